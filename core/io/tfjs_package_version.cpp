#include "core/io/tfjs_package_version.h"

#include <fstream>

#include <nlohmann/json.hpp>

namespace gapscope {

std::string tfjs_package_version(const std::filesystem::path& web_root) {
  std::ifstream in(web_root / "node_modules" / "@tensorflow" / "tfjs" / "package.json");
  if (!in) return "unknown";
  const nlohmann::json package = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!package.is_object() || !package.contains("version") || !package["version"].is_string()) return "unknown";
  return package["version"].get<std::string>();
}

std::filesystem::path web_root_beside(const std::filesystem::path& executable_dir) {
  for (const auto& candidate : {executable_dir / "share" / "gapscope" / "web",
                                executable_dir / ".." / "share" / "gapscope" / "web"}) {
    std::error_code error;
    if (std::filesystem::is_directory(candidate, error)) return candidate;
  }
  return {};
}

std::filesystem::path this_executable_directory() {
  std::error_code error;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::filesystem::path() : exe.parent_path();
}

}  // namespace gapscope

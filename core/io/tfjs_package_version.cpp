#include "core/io/tfjs_package_version.h"

#include <nlohmann/json.hpp>

#include "core/base/atomic_file.h"
#include "core/base/json_text.h"

namespace gapscope {

std::string tfjs_package_version(const std::filesystem::path& web_root) {
  std::string text;
  try {
    text = read_file_limited((web_root / "node_modules" / "@tensorflow" / "tfjs" / "package.json").string(), 1 << 20);
  } catch (const std::exception&) {
    return "unknown";
  }
  const nlohmann::json package = try_parse_json_text(text).value_or(nlohmann::json());
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

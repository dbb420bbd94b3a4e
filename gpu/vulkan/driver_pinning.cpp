#include "gpu/vulkan/driver_pinning.h"

#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <sstream>

#include "core/base/sanitizers.h"

namespace gapscope::gpu {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> split_paths(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, ':');)
    if (!part.empty()) parts.push_back(part);
  return parts;
}

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

// The manifest folders the loader searches when no variable overrides them.
std::vector<fs::path> default_manifest_folders() {
  std::vector<std::string> roots;
  const std::string config_home = environment("XDG_CONFIG_HOME");
  const std::string data_home = environment("XDG_DATA_HOME");
  const std::string home = environment("HOME");
  roots.push_back(!config_home.empty() ? config_home : home.empty() ? "" : home + "/.config");
  for (const std::string& d : split_paths(environment("XDG_CONFIG_DIRS"))) roots.push_back(d);
  roots.push_back("/etc");
  roots.push_back(!data_home.empty() ? data_home : home.empty() ? "" : home + "/.local/share");
  for (const std::string& d : split_paths(environment("XDG_DATA_DIRS"))) roots.push_back(d);
  roots.push_back("/usr/local/share");
  roots.push_back("/usr/share");
  std::vector<fs::path> folders;
  for (const std::string& root : roots)
    if (!root.empty()) folders.push_back(fs::path(root) / "vulkan" / "icd.d");
  return folders;
}

// The value of "library_path" in an ICD manifest, or "" when it has none. The
// manifests are small and flat; the loader's own reader is no stricter.
std::string library_path_in(const fs::path& manifest) {
  std::ifstream in(manifest);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t key = text.find("\"library_path\"");
  if (key == std::string::npos) return "";
  const size_t open = text.find('"', text.find(':', key));
  if (open == std::string::npos) return "";
  const size_t close = text.find('"', open + 1);
  if (close == std::string::npos) return "";
  const std::string path = text.substr(open + 1, close - open - 1);
  if (path.find('/') != std::string::npos && fs::path(path).is_relative())
    return (manifest.parent_path() / path).lexically_normal().string();
  return path;
}

void add_manifests(const fs::path& place, std::vector<fs::path>& manifests) {
  std::error_code error;
  if (fs::is_directory(place, error)) {
    std::vector<fs::path> found;
    for (const fs::directory_entry& entry : fs::directory_iterator(place, error))
      if (entry.path().extension() == ".json") found.push_back(entry.path());
    std::sort(found.begin(), found.end());
    manifests.insert(manifests.end(), found.begin(), found.end());
  } else if (fs::is_regular_file(place, error)) {
    manifests.push_back(place);
  }
}

}  // namespace

std::vector<std::string> vulkan_driver_libraries() {
  std::string chosen = environment("VK_DRIVER_FILES");
  if (chosen.empty()) chosen = environment("VK_ICD_FILENAMES");
  std::vector<fs::path> manifests;
  if (!chosen.empty()) {
    for (const std::string& place : split_paths(chosen)) add_manifests(place, manifests);
  } else {
    for (const fs::path& folder : default_manifest_folders()) add_manifests(folder, manifests);
  }
  std::vector<std::string> libraries;
  for (const fs::path& manifest : manifests) {
    const std::string library = library_path_in(manifest);
    if (!library.empty() && std::find(libraries.begin(), libraries.end(), library) == libraries.end())
      libraries.push_back(library);
  }
  return libraries;
}

std::vector<std::string> pin_vulkan_drivers() {
  static std::once_flag once;
  static std::vector<std::string> pinned;
  std::call_once(once, [] {
    for (const std::string& library : vulkan_driver_libraries())
      if (dlopen(library.c_str(), RTLD_NOW | RTLD_NODELETE)) pinned.push_back(library);
  });
  return pinned;
}

void pin_vulkan_drivers_for_leak_checks() {
  if constexpr (kAddressSanitizer) pin_vulkan_drivers();
}

}  // namespace gapscope::gpu

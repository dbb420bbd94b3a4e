// Vulkan drivers stay mapped once pinned (issue: under ASan a driver unloaded
// at vkDestroyInstance turned its globals into leaks from "<unknown module>"):
// the manifests are read as the loader reads them, and after an instance is
// made and destroyed every pinned driver is still in this process's maps.
#include <catch2/catch.hpp>
#include <stdlib.h>

#include <filesystem>
#include <optional>
#include <fstream>
#include <iterator>

#include "gpu/vulkan/device_list.h"
#include "gpu/vulkan/driver_pinning.h"

namespace gapscope::gpu {
namespace {

namespace fs = std::filesystem;

std::string process_maps() {
  std::ifstream in("/proc/self/maps");
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Sets an environment variable for one scope, restoring what was there.
class ScopedEnvironment {
 public:
  ScopedEnvironment(const char* name, const std::string& value) : name_(name) {
    if (const char* old = getenv(name)) old_ = old;
    setenv(name, value.c_str(), 1);
  }
  ~ScopedEnvironment() {
    if (old_) setenv(name_, old_->c_str(), 1);
    else unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("the ICD manifests named by VK_DRIVER_FILES give their libraries, relative ones beside them", "[gpu][devices]") {
  const fs::path dir = fs::temp_directory_path() / ("gapscope-icd-" + std::to_string(getpid()));
  fs::create_directories(dir / "icd.d");
  std::ofstream(dir / "icd.d" / "a.json") << R"({"file_format_version": "1.0.0",
      "ICD": {"library_path": "/usr/lib/x86_64-linux-gnu/libvulkan_lvp.so", "api_version": "1.3.230"}})";
  std::ofstream(dir / "icd.d" / "b.json") << R"({"ICD":{"api_version":"1.2","library_path":"../lib/libvk_b.so"}})";
  std::ofstream(dir / "icd.d" / "c.json") << R"({"ICD": {"library_path" : "libvk_c.so"}})";
  std::ofstream(dir / "icd.d" / "notes.txt") << R"({"ICD": {"library_path": "/never.so"}})";
  std::ofstream(dir / "single.json") << R"({"ICD": {"library_path": "/opt/x/libvk_d.so"}})";
  {
    ScopedEnvironment driver_files("VK_DRIVER_FILES", (dir / "icd.d").string() + ":" + (dir / "single.json").string());
    CHECK(vulkan_driver_libraries() == std::vector<std::string>{"/usr/lib/x86_64-linux-gnu/libvulkan_lvp.so",
                                                                (dir / "lib" / "libvk_b.so").string(), "libvk_c.so",
                                                                "/opt/x/libvk_d.so"});
  }
  {
    ScopedEnvironment old_name("VK_ICD_FILENAMES", (dir / "single.json").string());
    ScopedEnvironment driver_files("VK_DRIVER_FILES", "");
    CHECK(vulkan_driver_libraries() == std::vector<std::string>{"/opt/x/libvk_d.so"});
  }
  fs::remove_all(dir);
}

TEST_CASE("pinned Vulkan drivers stay mapped after the instance that loaded them is destroyed", "[gpu][devices]") {
  const std::vector<std::string> pinned = pin_vulkan_drivers();
  REQUIRE_FALSE(pinned.empty());  // scripts/setup.sh installs mesa-vulkan-drivers (lavapipe)
  { VulkanInstance instance; }
  const std::string maps = process_maps();
  for (const std::string& library : pinned) {
    INFO(library);
    CHECK(maps.find(fs::path(library).filename().string()) != std::string::npos);
  }
  CHECK(pin_vulkan_drivers() == pinned);  // once per process
}

}  // namespace gapscope::gpu

#include "ui/runs/run_record.h"

#include <cstdlib>

#include "core/io/tfjs_package_version.h"
#include "core/measure/measurement.h"
#include "gpu/vulkan/device_list.h"
#include "ui/browser/browser_environment.h"

namespace gapscope::ui {

std::string shipped_tfjs_version() {
  // find_web_root()'s places, without needing a QCoreApplication (--version has none).
  const char* from_environment = std::getenv("GAPSCOPE_WEB_DIR");
  const std::filesystem::path root =
      from_environment && *from_environment ? std::filesystem::path(from_environment)
                                            : web_root_beside(this_executable_directory());
  return root.empty() ? "unknown" : tfjs_package_version(root);
}

namespace {

// The device native-vulkan would pick, or why there is none.
std::string vulkan_device_text() {
  try {
    const auto devices = gpu::rank_devices(gpu::list_devices());
    const char* wanted = std::getenv(gpu::kDeviceEnvironmentVariable);
    const auto device = gpu::choose_device(devices, wanted ? wanted : "");
    return device.name + " (" + gpu::device_kind_name(device.kind) + ", " + device.driver + ")";
  } catch (const std::exception& e) {
    return std::string("none: ") + e.what();
  }
}

}  // namespace

nlohmann::json qt_run_record(const std::string& run_id, uint64_t seed, const std::string& flags) {
  nlohmann::json record = run_metadata(run_id);
  record["software"]["qt"] = qVersion();
  record["software"]["qtwebengine"] = browser::webengine_version_text().toStdString();
  record["software"]["tfjs"] = shipped_tfjs_version();
  const auto& env = browser::browser_environment();
  record["software"]["qt_platform"] = env.platform.toStdString();
  record["software"]["chromium_flags"] = env.chromium_flags.toStdString();
  record["machine"]["vulkan_device"] = vulkan_device_text();
  record["seed"] = seed;
  record["flags"] = flags;
  return record;
}

}  // namespace gapscope::ui

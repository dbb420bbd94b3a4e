#include "ui/runs/run_record.h"

#include <cstdlib>

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include "core/measure/measurement.h"
#include "gpu/vulkan/device_list.h"
#include "ui/browser/browser_environment.h"
#include "ui/browser/web_root.h"

namespace gapscope::ui {

std::string shipped_tfjs_version() {
  try {
    QFile file(browser::find_web_root() + "/node_modules/@tensorflow/tfjs/package.json");
    if (!file.open(QIODevice::ReadOnly)) return "unknown";
    const QString version = QJsonDocument::fromJson(file.readAll()).object().value("version").toString();
    return version.isEmpty() ? "unknown" : version.toStdString();
  } catch (const std::exception&) {
    return "unknown";
  }
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

#include "core/store/run_facts.h"

#include <initializer_list>

namespace gapscope {

namespace {

// The first of `pointers` that holds a value, as text (arrays/objects as JSON).
std::optional<std::string> first_text(const nlohmann::json& j, std::initializer_list<const char*> pointers) {
  for (const char* pointer : pointers) {
    const nlohmann::json::json_pointer at(pointer);
    if (!j.contains(at) || j.at(at).is_null()) continue;
    const auto& value = j.at(at);
    return value.is_string() ? value.get<std::string>() : value.dump();
  }
  return std::nullopt;
}

std::optional<int64_t> first_integer(const nlohmann::json& j, std::initializer_list<const char*> pointers) {
  for (const char* pointer : pointers) {
    const nlohmann::json::json_pointer at(pointer);
    if (j.contains(at) && j.at(at).is_number_integer()) return j.at(at).get<int64_t>();
  }
  return std::nullopt;
}

// webengine_version_text() reads "6.4.2 (Chromium 102.0.5005.177)".
std::optional<std::string> chromium_in(const std::optional<std::string>& webengine) {
  if (!webengine) return std::nullopt;
  const std::string marker = "Chromium ";
  const auto start = webengine->find(marker);
  if (start == std::string::npos) return std::nullopt;
  const auto from = start + marker.size();
  return webengine->substr(from, webengine->find(')', from) - from);
}

}  // namespace

RunFacts run_facts_from_metadata(const nlohmann::json& metadata) {
  if (!metadata.is_object()) return {};
  RunFacts facts;
  facts.started = first_text(metadata, {"/started"});
  facts.app_version = first_text(metadata, {"/software/gapscope"});
  facts.git_revision = first_text(metadata, {"/software/git_revision"});
  facts.compiler = first_text(metadata, {"/software/compiler"});
  facts.cpu_model = first_text(metadata, {"/machine/cpu"});
  facts.hardware_threads = first_integer(metadata, {"/machine/hardware_threads"});
  facts.vulkan_device = first_text(metadata, {"/machine/vulkan_device", "/machine/gpu", "/software/vulkan_device"});
  facts.qt_version = first_text(metadata, {"/software/qt"});
  facts.qtwebengine_version = first_text(metadata, {"/software/qtwebengine"});
  facts.chromium_version = first_text(metadata, {"/software/chromium"});
  if (!facts.chromium_version) facts.chromium_version = chromium_in(facts.qtwebengine_version);
  facts.chromium_flags = first_text(metadata, {"/software/chromium_flags"});
  facts.tfjs_version = first_text(metadata, {"/software/tfjs", "/software/tfjs_version"});
  facts.seed = first_integer(metadata, {"/seed", "/config/seed"});
  facts.flags = first_text(metadata, {"/flags", "/arguments"});
  return facts;
}

}  // namespace gapscope

// The searchable facts of a run, pulled out of its metadata JSON
// (run_metadata() plus whatever a front end adds: Qt/QtWebEngine versions,
// Vulkan device, seed...). Missing facts stay empty: older or smaller records
// still store, they just match fewer filters.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace gapscope {

struct RunFacts {
  std::optional<std::string> started;  // ISO-8601 UTC
  std::optional<std::string> app_version, git_revision, cpu_model, vulkan_device, qt_version,
      qtwebengine_version, chromium_version, chromium_flags, tfjs_version, compiler, flags;
  std::optional<int64_t> hardware_threads, seed;
};

RunFacts run_facts_from_metadata(const nlohmann::json& metadata);

}  // namespace gapscope

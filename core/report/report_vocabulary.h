// What the report and the exports say about phases, backends and grid
// points, in one place: phase titles and what each times, the order backends
// are listed in, and a configuration's preset/depth/width/batch/round.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/store/results_store.h"

namespace gapscope {

struct PhaseInfo {
  std::string phase;  // load, warmup, ...
  std::string title;  // "Training step"
  std::string what;   // what a sample times, one sentence
  std::string axis;   // the chart's value axis, without unit: "time per batch"
};

// load, warmup, infer, train, file_size, file_load, memory, cpu_utilisation,
// then device_memory and js_memory: the order of the report's sections.
const std::vector<PhaseInfo>& known_phases();
// A phase not in known_phases() gets its own name as title.
PhaseInfo phase_info(const std::string& phase);
// Where a phase comes in that order (unknown ones: known_phases().size()).
size_t phase_rank(const std::string& phase);
// Phases sorted into the report's order (unknown ones last, by name).
std::vector<std::string> in_report_order(std::vector<std::string> phases);

// The backend catalog's order (core/measure/backend_catalog.h), then any
// other by name.
bool backend_before(const std::string& a, const std::string& b);

// Where a configuration sits in its run: read from plan.config (what the
// sweep stored), else the store's columns. The preset falls back to the
// model name, as pool_rounds does.
struct GridPoint {
  std::string preset;
  std::optional<int64_t> depth, width, batch, round;
};
GridPoint grid_point(const StoredConfiguration& configuration);
// "paper-dnn 2×128", or the preset alone when depth and width are unknown (0).
std::string point_label(const std::string& preset, int64_t depth, int64_t width);

}  // namespace gapscope

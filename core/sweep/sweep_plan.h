// A sweep: one model family over a depth x width grid, on several backends,
// for the train and/or infer task. The plan lists every item (one grid point
// on one backend in one round) in the order they run: rounds repeat the whole
// grid (A B A B), and within a grid point the backends rotate, so slow drift of
// the machine spreads over every backend instead of biasing the one that runs
// last. An item is the unit a sweep commits and a resume skips.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/measure/runner.h"

namespace gapscope {

struct SweepGrid {
  std::string name = "custom";           // the preset it came from, or "custom"
  std::string model = "paper-dnn";       // paper-dnn | paper-cnn | paper-rnn
  std::vector<int64_t> depths, widths;
  std::vector<std::pair<int64_t, int64_t>> skip_points;  // (depth, width) left out of the grid
  std::vector<std::string> backends;
  std::vector<std::string> tasks = {"train", "infer"};  // train -> train; infer -> load, warmup, infer
  bool file_size = true;                 // also measure the model files' sizes (once per point and backend)
  int64_t batch = 64;
  int rounds = 2;                        // each round gets 1/rounds of the protocol's runs
  double runs_scale = 1.0;
  uint64_t seed = 1;
  std::vector<std::string> notes;        // what was trimmed or changed from the preset, for the report
};

struct SweepItem {
  int64_t index = 0;  // position in the plan
  int64_t depth = 0, width = 0;
  std::string backend;
  int round = 0;
};

// Presets (sweep_presets.h): "paper-fig1-4" (DNN, depth {1,2,4,8} x width {64,128,256}, batch 64,
// every browser framework + native) and "paper-gap-dnn", "paper-gap-cnn",
// "paper-gap-rnn" (the paper's Table 5 ranges, TF.js backends + native).
// `trim` drops the largest points that take too long on a small machine and
// says so in notes. Unknown names throw std::invalid_argument listing them.
// (core/sweep/sweep_presets.h)

// Throws std::invalid_argument naming the field: empty lists, unknown model,
// backend (one not in core/measure/backend_catalog.h) or task, rounds outside
// [1, 100], depth/width outside the preset's limits, more items than
// core/sweep/sweep_size.h allows (checked before anything is planned).
void validate_sweep_grid(const SweepGrid& grid);

// The phases an item runs (from tasks; file_size only in round 0).
std::vector<std::string> sweep_phases(const SweepGrid& grid, int round);
// The protocol of one item: batch, phases, runs scaled by runs_scale / rounds.
Protocol sweep_protocol(const SweepGrid& grid, int round);

// Every item, in run order (see above). Deterministic.
std::vector<SweepItem> plan_sweep(const SweepGrid& grid);

// What a store keeps of an item (ConfigurationPlan.config): preset, depth,
// width, batch, round, rounds, seed.
nlohmann::json sweep_item_config(const SweepGrid& grid, const SweepItem& item);

nlohmann::json to_json(const SweepGrid& grid);
SweepGrid sweep_grid_from_json(const nlohmann::json& json);  // throws std::invalid_argument

}  // namespace gapscope

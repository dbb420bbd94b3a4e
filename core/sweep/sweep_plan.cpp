#include "core/sweep/sweep_plan.h"

#include <algorithm>
#include <stdexcept>

#include "core/measure/backend_catalog.h"
#include "core/spec/presets.h"
#include "core/sweep/sweep_presets.h"
#include "core/sweep/sweep_size.h"

namespace gapscope {
namespace {

const std::vector<std::string>& known_models() {
  static const std::vector<std::string> models = {"paper-dnn", "paper-cnn", "paper-rnn"};
  return models;
}

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string joined(const std::vector<std::string>& list) {
  std::string text;
  for (const auto& item : list) text += (text.empty() ? "" : ", ") + item;
  return text;
}

void require(bool ok, const std::string& message) {
  if (!ok) throw std::invalid_argument("sweep: " + message);
}

}  // namespace

void validate_sweep_grid(const SweepGrid& grid) {
  require(contains(known_models(), grid.model),
          "unknown model '" + grid.model + "' (known: " + joined(known_models()) + ")");
  require(!grid.depths.empty(), "no depths");
  require(!grid.widths.empty(), "no widths");
  require(!grid.backends.empty(), "no backends");
  require(grid.skip_points.size() < grid.depths.size() * grid.widths.size(), "every grid point is skipped");
  require(!grid.tasks.empty(), "no tasks (train, infer)");
  for (const auto& backend : grid.backends)
    require(find_backend(backend) != nullptr, "unknown backend '" + backend + "' (known: " + joined(backend_ids()) + ")");
  for (const auto& task : grid.tasks)
    require(task == "train" || task == "infer", "unknown task '" + task + "' (known: train, infer)");
  require(grid.rounds >= 1 && grid.rounds <= 100, "rounds " + std::to_string(grid.rounds) + " outside [1, 100]");
  require(grid.batch >= 1 && grid.batch <= 65536, "batch " + std::to_string(grid.batch) + " outside [1, 65536]");
  require(grid.runs_scale >= 0.01 && grid.runs_scale <= 100, "runs scale outside [0.01, 100]");
  // Fixed: every item is planned and stored in the history before the first runs.
  check_sweep_size(grid.depths.size(), grid.widths.size(), grid.backends.size(), grid.rounds, kMaxSweepItems,
                   "split the grid over several sweeps");
  // The preset checks each depth and width against its own limits (SpecError names them).
  for (int64_t depth : grid.depths)
    for (int64_t width : grid.widths) {
      require(depth >= 1 && depth <= 64, "depth " + std::to_string(depth) + " outside [1, 64]");
      require(width >= 1 && width <= 65536, "width " + std::to_string(width) + " outside [1, 65536]");
      make_preset(grid.model, static_cast<int>(depth), static_cast<int>(width));
    }
}

std::vector<std::string> sweep_phases(const SweepGrid& grid, int round) {
  std::vector<std::string> phases;
  if (contains(grid.tasks, "infer")) phases.insert(phases.end(), {"load", "warmup", "infer"});
  if (contains(grid.tasks, "train")) phases.push_back("train");
  if (grid.file_size && round == 0) phases.push_back("file_size");
  return phases;
}

Protocol sweep_protocol(const SweepGrid& grid, int round) {
  Protocol protocol;
  protocol.batch_size = grid.batch;
  protocol.phases = sweep_phases(grid, round);
  return protocol.scaled(grid.runs_scale / grid.rounds);
}

std::vector<SweepItem> plan_sweep(const SweepGrid& grid) {
  validate_sweep_grid(grid);
  std::vector<SweepItem> items;
  const size_t backends = grid.backends.size();
  for (int round = 0; round < grid.rounds; ++round) {
    size_t point = 0;
    for (int64_t depth : grid.depths)
      for (int64_t width : grid.widths) {
        if (std::find(grid.skip_points.begin(), grid.skip_points.end(), std::make_pair(depth, width)) !=
            grid.skip_points.end())
          continue;
        // Rotate the backends per point and round: none always runs first or last.
        for (size_t k = 0; k < backends; ++k) {
          const std::string& backend = grid.backends[(k + point + static_cast<size_t>(round)) % backends];
          items.push_back({static_cast<int64_t>(items.size()), depth, width, backend, round});
        }
        ++point;
      }
  }
  return items;
}

nlohmann::json sweep_item_config(const SweepGrid& grid, const SweepItem& item) {
  return {{"preset", grid.model}, {"depth", item.depth}, {"width", item.width}, {"batch", grid.batch},
          {"round", item.round},  {"rounds", grid.rounds}, {"seed", grid.seed}, {"sweep", grid.name}};
}

nlohmann::json to_json(const SweepGrid& grid) {
  return {{"name", grid.name},           {"model", grid.model},   {"depths", grid.depths},
          {"widths", grid.widths},       {"skip_points", grid.skip_points}, {"backends", grid.backends}, {"tasks", grid.tasks},
          {"file_size", grid.file_size}, {"batch", grid.batch},   {"rounds", grid.rounds},
          {"runs_scale", grid.runs_scale}, {"seed", grid.seed},   {"notes", grid.notes}};
}

SweepGrid sweep_grid_from_json(const nlohmann::json& json) {
  if (!json.is_object()) throw std::invalid_argument("sweep: the grid is not a JSON object");
  SweepGrid grid;
  try {
    grid.name = json.value("name", grid.name);
    grid.model = json.at("model").get<std::string>();
    grid.depths = json.at("depths").get<std::vector<int64_t>>();
    grid.widths = json.at("widths").get<std::vector<int64_t>>();
    grid.skip_points = json.value("skip_points", grid.skip_points);
    grid.backends = json.at("backends").get<std::vector<std::string>>();
    grid.tasks = json.value("tasks", grid.tasks);
    grid.file_size = json.value("file_size", grid.file_size);
    grid.batch = json.value("batch", grid.batch);
    grid.rounds = json.value("rounds", grid.rounds);
    grid.runs_scale = json.value("runs_scale", grid.runs_scale);
    grid.seed = json.value("seed", grid.seed);
    grid.notes = json.value("notes", grid.notes);
  } catch (const nlohmann::json::exception& e) {
    throw std::invalid_argument(std::string("sweep: bad grid JSON: ") + e.what());
  }
  validate_sweep_grid(grid);
  return grid;
}

}  // namespace gapscope

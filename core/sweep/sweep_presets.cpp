#include "core/sweep/sweep_presets.h"

#include <stdexcept>

#include "core/analysis/paper_reference.h"
#include "core/measure/backend_catalog.h"

namespace gapscope {
namespace {

std::vector<std::string> with_native(std::vector<std::string> browser) {
  browser.insert(browser.begin(), "native-cpu");
  return browser;
}

// Keeps the values <= limit; records what was dropped.
void trim_to(std::vector<int64_t>& values, int64_t limit, const std::string& what, SweepGrid& grid) {
  std::string dropped;
  std::vector<int64_t> kept;
  for (int64_t v : values) {
    if (v <= limit) kept.push_back(v);
    else dropped += (dropped.empty() ? "" : ", ") + std::to_string(v);
  }
  if (dropped.empty()) return;
  values = kept;
  grid.notes.push_back("trimmed: " + what + " " + dropped + " left out of the paper's grid");
}

// The paper's Table 5 range of a model family (core/analysis/paper_reference.h).
SweepGrid gap_grid(const std::string& name, const std::string& model) {
  SweepGrid grid;
  grid.name = name;
  grid.model = model;
  for (const PaperGrid& paper : paper_gap_grids())
    if (paper.model == model) {
      grid.depths = paper.depths;
      grid.widths = paper.widths;
      grid.notes.push_back("grid: " + paper.source);
    }
  grid.backends = with_native(framework_backend_ids(kTensorFlowJs));
  return grid;
}

}  // namespace

std::vector<std::string> sweep_preset_names() {
  return {"paper-fig1-4", "paper-gap-dnn", "paper-gap-cnn", "paper-gap-rnn"};
}

SweepGrid sweep_preset(const std::string& name, bool trim) {
  SweepGrid grid;
  if (name == "paper-fig1-4") {
    grid.name = name;
    grid.model = "paper-dnn";
    grid.depths = {1, 2, 4, 8};
    grid.widths = {64, 128, 256};
    grid.backends = with_native(backend_ids(BackendKind::browser));
    if (trim) trim_to(grid.depths, 4, "depths", grid);
  } else if (name == "paper-gap-dnn") {
    grid = gap_grid(name, "paper-dnn");
    if (trim) trim_to(grid.depths, 4, "depths", grid);
    if (trim) trim_to(grid.widths, 256, "widths", grid);
  } else if (name == "paper-gap-cnn") {
    grid = gap_grid(name, "paper-cnn");
    if (trim) trim_to(grid.depths, 2, "depths", grid);
    if (trim) trim_to(grid.widths, 32, "widths", grid);
  } else if (name == "paper-gap-rnn") {
    grid = gap_grid(name, "paper-rnn");
    if (trim) trim_to(grid.depths, 2, "depths", grid);
    // An LSTM of 256 units over 40 characters takes tfjs-cpu seconds per training step.
    if (trim) trim_to(grid.widths, 64, "widths", grid);
  } else {
    std::string known;
    for (const auto& n : sweep_preset_names()) known += (known.empty() ? "" : ", ") + n;
    throw std::invalid_argument("unknown sweep preset '" + name + "' (known: " + known + ")");
  }
  return grid;
}

}  // namespace gapscope

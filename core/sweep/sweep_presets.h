// The paper's grids as sweep presets:
//   paper-fig1-4   Section 4 (Figures 1-4, Tables 2-3): the DNN, depth {1,2,4,8}
//                  x width {64,128,256}, batch 64, every browser framework and
//                  native-cpu.
//   paper-gap-dnn, paper-gap-cnn, paper-gap-rnn   Section 5 (Table 5's ranges,
//                  paper_gap_grids(); the grid's first note says which source
//                  it follows): TF.js cpu/wasm/webgl against native-cpu.
// trim drops the largest points (what takes hours in the slow frameworks on a
// 2-core machine) and says which in the grid's notes, for the report.
#pragma once
#include <string>
#include <vector>

#include "core/sweep/sweep_plan.h"

namespace gapscope {

// Unknown names throw std::invalid_argument listing the known ones.
SweepGrid sweep_preset(const std::string& name, bool trim = false);
std::vector<std::string> sweep_preset_names();

}  // namespace gapscope

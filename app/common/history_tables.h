// Plain-text tables of stored runs for `gapscope history`: medians per
// configuration and phase, failures, and two runs side by side (the ratios:
// core/analysis/ratio_summary.h).
#pragma once
#include <string>

#include "core/analysis/ratio_analysis.h"
#include "core/store/results_store.h"

namespace gapscope::cli {

// One row per (preset, depth, width, backend): the pooled median of each timed
// phase (load, warmup, infer, train) and the TF.js file size.
std::string medians_table(const StoredRun& run);
// One row per failed configuration; empty when none failed.
std::string failures_table(const StoredRun& run);
// Pooled medians of the configurations and phases both runs have, and B/A.
std::string comparison_table(const StoredRun& a, const StoredRun& b);

}  // namespace gapscope::cli

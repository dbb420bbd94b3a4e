// The table `gapscope run` prints: one row per backend, one column per figure
// (load, warmup, infer per sample, train per batch, model bytes, peak memory),
// each cell the median and its ratio to native-cpu; a failed backend's row says
// why instead. Below it, what each backend really ran on.
#pragma once
#include <string>
#include <vector>

#include "core/measure/measurement.h"

namespace gapscope::cli {

struct BackendResult {
  std::string backend;
  std::vector<Measurement> records;
  std::string failure_reason;  // empty: the run produced its records
  std::string failure_message;
};

std::string side_by_side_table(const std::vector<BackendResult>& results, const std::string& baseline = "native-cpu");

}  // namespace gapscope::cli

// The paper's Section 5: per configuration, how many times slower the browser
// is than native (browser median / native median, same model, same grid
// point, same task), and a regression tree that says which factors (backend,
// task, depth, width, and the model family when a run has several) explain
// that ratio, with each factor's importance.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/analysis/regression_tree.h"
#include "core/store/results_store.h"

namespace gapscope {

struct RatioPoint {
  std::string preset;     // paper-dnn | paper-cnn | paper-rnn (or the model name)
  int64_t depth = 0, width = 0;
  std::string backend;    // the browser backend
  std::string reference;  // the native backend it is divided by
  std::string task;       // train (ms per batch) | infer (ms per sample)
  double browser_ms = 0, native_ms = 0;
  double ratio = 0;       // browser_ms / native_ms
};

struct RatioAnalysis {
  std::vector<RatioPoint> points;
  // Fit on log10(ratio) (ratios span orders of magnitude; a leaf's value is
  // then the log of the geometric mean ratio of its configurations), depth
  // limited to the number of factors as the paper. None if fewer than 2 points.
  std::optional<RegressionTree> tree;
  std::vector<std::string> notes;  // e.g. "tfjs-webgl divided by native-vulkan (NVIDIA ...)"
};

struct RatioOptions {
  // The native backend browser times are divided by. Empty: native-cpu, except
  // tfjs-webgl, which is divided by native-vulkan when the run measured it on a
  // real (not software) GPU - the paper's TF.js-GPU vs TensorFlow-GPU.
  std::string reference;
};

// Pools the samples of every round of a configuration (same preset, depth,
// width, backend) before taking medians. Points without both sides are left
// out (and counted in notes).
RatioAnalysis analyse_ratios(const StoredRun& run, const RatioOptions& options = {});

// Per (preset, depth, width, backend, phase[, format]): every round's samples
// pooled into one record, for tables and charts.
struct PooledMeasurement {
  std::string preset;
  int64_t depth = 0, width = 0;
  std::string backend;
  std::string phase, format, unit;
  SampleSummary summary;
  Capabilities capabilities;  // the first round's
};
std::vector<PooledMeasurement> pool_rounds(const StoredRun& run);

}  // namespace gapscope

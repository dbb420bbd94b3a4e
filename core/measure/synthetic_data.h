// Synthetic batches for benchmarks: timing does not depend on pixel values, and
// a benchmark must not depend on a dataset being installed. Inputs uniform in
// [0,1) (integer ids in [0, input_dim) when the model starts with an
// embedding), labels uniform over the classes (one per prediction), targets
// encoded for the model's loss.
// Seeded, so the browser runner sends exactly the rows the native runner uses.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "core/nn/model.h"

namespace gapscope {

// Rows a job runs on: inputs (rows x input size) and targets encoded for the
// model's loss (rows x target size).
struct DataRows {
  std::vector<float> x, target;
  int64_t rows = 0;
  std::span<const float> sample(const Model& model, int64_t i) const;
};

struct SyntheticData : DataRows {
  SyntheticData(const Model& model, int64_t rows, uint64_t seed);
};

// Checks that `data` fits `model` (sizes of x and target per row); throws
// std::invalid_argument naming both sizes.
void check_rows_fit(const DataRows& data, const Model& model);

// The seeds of the native protocol's data, per phase (offsets from Job::seed).
inline constexpr uint64_t kInferDataSeedOffset = 1000;
inline constexpr uint64_t kTrainDataSeedOffset = 2000;
inline constexpr int64_t kTrainDataBatches = 8;

}  // namespace gapscope

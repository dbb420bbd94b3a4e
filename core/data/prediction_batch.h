// The input of `gapscope-native predict`: a JSON array of samples, each a
// number array that may be nested (a 28x28 image) and is flattened row-major;
// a flat array of numbers alone is one sample.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

namespace gapscope {

struct PredictionBatch {
  int64_t rows = 0;
  std::vector<float> values;  // rows x per_sample, row-major
};

// Throws DataError naming the sample and the index path ("sample [2][0][5]
// must be a number, got string", "sample 1 has 783 values, the model takes
// 784"), or what parse_json_text refuses (syntax, nesting).
PredictionBatch parse_prediction_batch(std::string_view text, int64_t per_sample);

}  // namespace gapscope

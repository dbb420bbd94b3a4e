// The input of `gapscope-native predict` (core/data/prediction_batch.h) for a
// model of kPredictionInputsPerSample inputs. Every failure must be a
// DataError; a batch that parses holds rows x inputs finite floats.
#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "core/data/dataset.h"
#include "core/data/prediction_batch.h"
#include "tests/fuzz/fuzz_support.h"

using namespace gapscope;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  PredictionBatch batch;
  try {
    batch = parse_prediction_batch(fuzz::as_text(data, size), fuzz::kPredictionInputsPerSample);
  } catch (const DataError&) {
    return 0;
  }
  if (batch.rows < 1 || batch.values.size() != static_cast<size_t>(batch.rows * fuzz::kPredictionInputsPerSample))
    std::abort();
  for (float v : batch.values)
    if (!std::isfinite(v)) std::abort();
  return 0;
}

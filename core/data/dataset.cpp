#include "core/data/dataset.h"

#include <algorithm>

#include "core/base/checked_math.h"
#include "core/base/number_text.h"
#include "core/base/system_memory.h"

namespace gapscope {

bool require_memory_for(const std::string& subject, int64_t count, int64_t values_per_image, const DataLimits& limits) {
  const int64_t budget = limits.memory_bytes >= 0 ? limits.memory_bytes : available_memory_bytes();
  if (budget <= 0) return false;
  const int64_t floats = saturating_mul(saturating_mul(count, values_per_image), 4);
  const int64_t needed = saturating_mul(floats, 2);
  if (needed <= budget) return true;
  throw DataError(subject + " " + with_thousands(count) + " images of " + with_thousands(values_per_image) +
                  " values: holding them takes " + format_bytes(floats) + " as floats and " + format_bytes(needed) +
                  " while they are split and batched, more than the " + format_bytes(budget) +
                  " of memory available (" +
                  (limits.memory_bytes >= 0 ? std::string("set by the caller") : memory_budget_source()) + ")");
}

int64_t Dataset::stored_per_sample() const {
  int64_t elements = element_count(sample_shape);
  return one_hot_depth > 0 ? elements / one_hot_depth : elements;
}

void Dataset::copy_sample(int64_t i, float* out) const {
  int64_t stored = stored_per_sample();
  const float* in = features.data() + i * stored;
  if (one_hot_depth == 0) {
    std::copy_n(in, stored, out);
    return;
  }
  std::fill_n(out, stored * one_hot_depth, 0.0f);
  for (int64_t r = 0; r < stored; ++r) out[r * one_hot_depth + static_cast<int64_t>(in[r])] = 1.0f;
}

}  // namespace gapscope

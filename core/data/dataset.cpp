#include "core/data/dataset.h"

#include <algorithm>

namespace gapscope {

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

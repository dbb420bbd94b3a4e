#include "core/train/targets.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace gapscope {

void encode_targets(Loss loss, std::span<const int32_t> labels, int64_t target_size,
                    std::span<float> out) {
  if (static_cast<int64_t>(out.size()) != static_cast<int64_t>(labels.size()) * target_size)
    throw std::invalid_argument("encode_targets: output size mismatch");
  bool sparse = loss == Loss::sparse_categorical_crossentropy;
  std::fill(out.begin(), out.end(), 0.0f);
  for (size_t i = 0; i < labels.size(); ++i) {
    int32_t label = labels[i];
    float* row = out.data() + i * static_cast<size_t>(target_size);
    if (sparse || target_size == 1) {
      row[0] = static_cast<float>(label);
      continue;
    }
    if (label < 0 || label >= target_size)
      throw std::invalid_argument("label " + std::to_string(label) + " of sample " +
                                  std::to_string(i) + " is outside the model's " +
                                  std::to_string(target_size) + " outputs");
    row[label] = 1.0f;
  }
}

}  // namespace gapscope

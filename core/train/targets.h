// Turns class labels into the target rows a loss expects: a class index for
// sparse_categorical_crossentropy, a single 0/1 for one-output binary models,
// one-hot rows otherwise.
#pragma once
#include <cstdint>
#include <span>

#include "core/base/loss.h"

namespace gapscope {

void encode_targets(Loss loss, std::span<const int32_t> labels, int64_t target_size,
                    std::span<float> out);

}  // namespace gapscope

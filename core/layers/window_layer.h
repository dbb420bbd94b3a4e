// What conv2d and the pooling layers share: a window sliding over a
// channels-last image [H, W, C] (kernel_size or pool_size), its strides and
// padding, with TF's output sizes (core/base/window_size.h).
#pragma once
#include <utility>
#include <vector>

#include "core/spec/layer_type.h"

namespace gapscope::layer_entry {

// [OH, OW] of the window on `input`. Empty strides (a spec not yet
// completed) mean [1, 1], or the window itself when strides_follow_window.
std::pair<int64_t, int64_t> window_output_hw(const LayerSpec& layer, const std::vector<int64_t>& window,
                                             bool strides_follow_window, const Shape& input);

// The input must be [height, width, channels], and a valid window must fit
// it; `what` is "kernel" or "pool" in the message.
void check_window_input(const LayerSpec& layer, const LayerPlace& place, const Shape& input,
                        const std::vector<int64_t>& window, const char* what);

}  // namespace gapscope::layer_entry

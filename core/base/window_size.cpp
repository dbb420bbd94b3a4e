#include "core/base/window_size.h"

#include <algorithm>

namespace gapscope {

WindowAxis window_axis(int64_t in, int64_t window, int64_t stride, Padding padding) {
  stride = std::max<int64_t>(1, stride);
  WindowAxis axis;
  if (padding == Padding::same) {
    axis.out = in / stride + (in % stride != 0 ? 1 : 0);
    axis.pad_total = std::max<int64_t>((axis.out - 1) * stride + window - in, 0);
    axis.pad_before = axis.pad_total / 2;
    return axis;
  }
  axis.out = window > in ? 0 : (in - window) / stride + 1;
  return axis;
}

const char* padding_name(Padding padding) { return padding == Padding::same ? "same" : "valid"; }

}  // namespace gapscope

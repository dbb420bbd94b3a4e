// TF's output size and padding of a sliding window (convolution or pooling)
// along one axis: the one home of this rule in C++. The web harness keeps a
// JS twin (resources/web/harness/model_spec.js, windowAxis) that
// tests/core/base/window_size_test.cpp checks against this on a table of cases.
//   valid: out = floor((in - k) / s) + 1, no padding (0 when k > in)
//   same:  out = ceil(in / s), pad_total = max((out - 1) * s + k - in, 0),
//          pad_before = pad_total / 2 (the odd pixel goes bottom/right)
#pragma once
#include <cstdint>

namespace gapscope {

enum class Padding { valid, same };

struct WindowAxis {
  int64_t out = 0;
  int64_t pad_before = 0;
  int64_t pad_total = 0;
};

// Strides < 1 (an invalid spec) count as 1, so sizes of any spec can be shown.
WindowAxis window_axis(int64_t in, int64_t window, int64_t stride, Padding padding);

// "valid", "same".
const char* padding_name(Padding padding);

}  // namespace gapscope

#include "core/nn/window_geometry.h"

#include <algorithm>
#include <stdexcept>

namespace gapscope {
namespace {

std::string list(const std::vector<int64_t>& v) { return shape_to_string(Shape(v.begin(), v.end())); }

void require_pair(const std::string& layer, const char* field, const std::vector<int64_t>& v) {
  if (v.size() != 2 || v[0] < 1 || v[1] < 1)
    throw std::invalid_argument("layer '" + layer + "': " + field +
                                " must be two sizes >= 1, got " + list(v));
}

// Output size and leading padding of one axis; a valid window must fit.
void axis(const std::string& layer, const char* name, int64_t in, int64_t k, int64_t stride,
          Padding padding, int64_t& out, int64_t& pad_before) {
  if (padding == Padding::valid && in < k)
    throw std::invalid_argument("layer '" + layer + "': window " + std::to_string(k) +
                                " is larger than the input " + name + " " + std::to_string(in) +
                                " (padding valid)");
  const WindowAxis a = window_axis(in, k, stride, padding);
  out = a.out;
  pad_before = a.pad_before;
}

}  // namespace

WindowGeometry window_geometry(const std::string& layer, const Shape& input,
                               const std::vector<int64_t>& window,
                               const std::vector<int64_t>& strides,
                               const std::vector<int64_t>& default_strides, Padding padding,
                               const std::vector<int64_t>& dilation) {
  if (input.size() != 3 || input[0] < 1 || input[1] < 1 || input[2] < 1)
    throw std::invalid_argument("layer '" + layer + "': input must be [height, width, channels], got " +
                                shape_to_string(input));
  require_pair(layer, "window size", window);
  const std::vector<int64_t>& s = strides.empty() ? default_strides : strides;
  require_pair(layer, "strides", s);
  WindowGeometry g;
  g.in_h = input[0];
  g.in_w = input[1];
  g.channels = input[2];
  g.kernel_h = window[0];
  g.kernel_w = window[1];
  g.stride_h = s[0];
  g.stride_w = s[1];
  if (!dilation.empty()) {
    require_pair(layer, "dilation_rate", dilation);
    g.dilation_h = dilation[0];
    g.dilation_w = dilation[1];
  }
  axis(layer, "height", g.in_h, (g.kernel_h - 1) * g.dilation_h + 1, g.stride_h, padding, g.out_h, g.pad_top);
  axis(layer, "width", g.in_w, (g.kernel_w - 1) * g.dilation_w + 1, g.stride_w, padding, g.out_w, g.pad_left);
  return g;
}

}  // namespace gapscope

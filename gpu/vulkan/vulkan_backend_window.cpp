// Convolution windows (im2col, col2im) and max/average pooling on Vulkan, all
// from gpu/shaders/window.comp: one invocation per output element; the ops
// that sum overlapping windows gather per input pixel (deterministic, no
// atomics). im2col and col2im move 4 channels at a time where C and the views
// allow. Pool backward: where the windows tile the image (e.g. 2x2 stride 2
// on an even image) one invocation per window writes all its taps. Otherwise
// max pooling finds each pixel's window's winning tap again where windows do
// not overlap; where they overlap, a first pass stores every window's winning
// tap so that pixels do not rescan whole windows.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

#include "core/ops/op_checks_layers.h"
#include "gpu/vulkan/vulkan_backend.h"

namespace gapscope::gpu {
namespace {

// Mirrors the push constants of window.comp after `uint n`.
struct WindowParams {
  uint32_t n;
  int32_t batch, in_h, in_w, channels, kernel_h, kernel_w, stride_h, stride_w, pad_top, pad_left, out_h, out_w;
  uint32_t width = 0, rows_per_group = 0;  // im2col only
  int32_t dilation_h = 1, dilation_w = 1;
};

// im2col: each invocation copies one column of cols for this many rows.
constexpr int64_t kIm2colRowsPerInvocation = 8;

// The kernels index with 32-bit signed integers.
void require_int_indexable(const Tensor& t, const char* op) {
  if (t.size() > std::numeric_limits<int32_t>::max())
    throw std::invalid_argument(std::string("native-vulkan ") + op + ": " + shape_to_string(t.shape()) +
                                " has too many elements for 32-bit indexing");
}

WindowParams params_for(const WindowGeometry& g, int64_t n) {
  auto i = [](int64_t v) { return static_cast<int32_t>(v); };
  WindowParams params{static_cast<uint32_t>(n), i(g.batch),    i(g.in_h),     i(g.in_w),     i(g.channels),
                      i(g.kernel_h),            i(g.kernel_w), i(g.stride_h), i(g.stride_w), i(g.pad_top),
                      i(g.pad_left),            i(g.out_h),    i(g.out_w)};
  params.dilation_h = i(g.dilation_h);
  params.dilation_w = i(g.dilation_w);
  return params;
}

std::string label(const WindowGeometry& g) {
  return std::to_string(g.batch) + "x" + std::to_string(g.in_h) + "x" + std::to_string(g.in_w) + "x" +
         std::to_string(g.channels) + " k" + std::to_string(g.kernel_h) + "x" + std::to_string(g.kernel_w) + " s" +
         std::to_string(g.stride_h) + "x" + std::to_string(g.stride_w);
}

}  // namespace

void VulkanBackend::im2col(const WindowGeometry& g, const Tensor& x, Tensor& cols) {
  check_im2col(g, x, cols);
  require_int_indexable(x, "im2col");
  require_int_indexable(cols, "im2col");
  if (cols.size() == 0) return;
  // Channels 4 at a time (vec4 loads and stores) where C and both views allow.
  const bool vec4 = g.channels % 4 == 0 && x.offset() % 4 == 0 && cols.offset() % 4 == 0;
  WindowGeometry kernel_g = g;
  if (vec4) kernel_g.channels /= 4;
  // Workgroups cover column tiles of `width` columns x `rows_per_group` rows.
  const int64_t rows = cols.dim(0), k = cols.dim(1) / (vec4 ? 4 : 1);
  const int64_t width = std::min<int64_t>(k, 256), lanes = 256 / width;
  const int64_t per_group = lanes * kIm2colRowsPerInvocation, column_tiles = (k + width - 1) / width;
  if (column_tiles > 65535)
    throw std::invalid_argument("native-vulkan im2col: windows of " + std::to_string(k) + " taps are too large");
  WindowParams params = params_for(kernel_g, rows);
  params.width = static_cast<uint32_t>(width);
  params.rows_per_group = static_cast<uint32_t>(per_group);
  const Groups grid{static_cast<uint32_t>(std::min<int64_t>((rows + per_group - 1) / per_group, 65535)),
                    static_cast<uint32_t>(column_tiles), 1};
  run(vec4 ? "im2col_v4" : "im2col", {in(x), out(cols)}, params, grid, label(g));
}

void VulkanBackend::col2im(const WindowGeometry& g, const Tensor& cols, Tensor& dx) {
  check_col2im(g, cols, dx);
  require_int_indexable(cols, "col2im");
  require_int_indexable(dx, "col2im");
  if (dx.size() == 0) return;
  const bool vec4 = g.channels % 4 == 0 && dx.offset() % 4 == 0 && cols.offset() % 4 == 0;
  WindowGeometry kernel_g = g;
  if (vec4) kernel_g.channels /= 4;
  const int64_t n = dx.size() / (vec4 ? 4 : 1);
  run(vec4 ? "col2im_v4" : "col2im", {in(cols), out(dx)}, params_for(kernel_g, n), linear_groups(n), label(g));
}

void VulkanBackend::pool_forward(PoolKind kind, const WindowGeometry& g, const Tensor& x, Tensor& y) {
  check_pool_forward(g, x, y);
  require_int_indexable(x, "pool_forward");
  require_int_indexable(y, "pool_forward");
  if (y.size() == 0) return;
  run(kind == PoolKind::max ? "pool_max" : "pool_average", {in(x), out(y)}, params_for(g, y.size()),
      linear_groups(y.size()), label(g));
}

void VulkanBackend::pool_backward(PoolKind kind, const WindowGeometry& g, const Tensor& x, const Tensor& y,
                                  const Tensor& dy, Tensor& dx) {
  check_pool_backward(g, x, y, dy, dx);
  require_int_indexable(x, "pool_backward");
  require_int_indexable(y, "pool_backward");
  if (dx.size() == 0) return;
  const WindowParams params = params_for(g, dx.size());
  const bool tiled = g.kernel_h == g.stride_h && g.kernel_w == g.stride_w && g.pad_top == 0 && g.pad_left == 0 &&
                     g.out_h * g.stride_h == g.in_h && g.out_w * g.stride_w == g.in_w;
  if (tiled) {  // every pixel in exactly one window: one invocation per window writes its taps
    WindowParams per_window = params;
    per_window.n = static_cast<uint32_t>(y.size());
    if (kind == PoolKind::average)
      run("pool_average_backward_tiled", {in(dy), out(dx)}, per_window, linear_groups(y.size()), label(g));
    else
      run("pool_max_backward_tiled", {in(x), in(y), in(dy), out(dx)}, per_window, linear_groups(y.size()), label(g));
    return;
  }
  if (kind == PoolKind::average) {
    run("pool_average_backward", {in(dy), out(dx)}, params, linear_groups(dx.size()), label(g));
    return;
  }
  const bool overlapping = g.kernel_h > g.stride_h || g.kernel_w > g.stride_w;
  if (!overlapping) {
    run("pool_max_backward", {in(x), in(y), in(dy), out(dx)}, params, linear_groups(dx.size()), label(g));
    return;
  }
  Tensor arg = scratch(3, y.size());
  WindowParams first = params;
  first.n = static_cast<uint32_t>(y.size());
  run("pool_argmax", {in(x), in(y), out(arg)}, first, linear_groups(y.size()), label(g));
  run("pool_max_backward_indexed", {in(arg), in(dy), out(dx)}, params, linear_groups(dx.size()), label(g));
}

}  // namespace gapscope::gpu

// Depthwise convolution on Vulkan (gpu/shaders/depthwise.comp): one
// invocation per element written, each a gather over the taps or windows that
// reach it, so results are deterministic without atomics. The kernel's
// gradient is summed in chunks of output rows, then over the chunks.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

#include "core/base/checked_math.h"
#include "core/ops/op_checks_layers.h"
#include "gpu/vulkan/vulkan_backend.h"

namespace gapscope::gpu {
namespace {

// Mirrors the push constants of depthwise.comp after `uint n`.
struct DepthwiseParams {
  uint32_t n;
  int32_t batch, in_h, in_w, channels, kernel_h, kernel_w, stride_h, stride_w, pad_top, pad_left, out_h, out_w,
      multiplier, rows_per_chunk;
};

DepthwiseParams params_for(const WindowGeometry& g, int64_t multiplier, int64_t n, int64_t rows_per_chunk = 0) {
  auto i = [](int64_t v) { return static_cast<int32_t>(v); };
  return {static_cast<uint32_t>(n), i(g.batch),    i(g.in_h),     i(g.in_w),     i(g.channels),
          i(g.kernel_h),            i(g.kernel_w), i(g.stride_h), i(g.stride_w), i(g.pad_top),
          i(g.pad_left),            i(g.out_h),    i(g.out_w),    i(multiplier), i(rows_per_chunk)};
}

// Invocations that keep a large GPU busy (an H100 runs 132 x 2048 at once).
constexpr int64_t kBusyInvocations = 1 << 18;

// The kernels index with 32-bit signed integers.
void require_indexable(const char* op, std::initializer_list<const Tensor*> tensors) {
  for (const Tensor* t : tensors)
    if (t->size() > std::numeric_limits<int32_t>::max())
      throw std::invalid_argument(std::string("native-vulkan ") + op + ": " + shape_to_string(t->shape()) +
                                  " has too many elements for 32-bit indexing");
}

}  // namespace

void VulkanBackend::depthwise_conv_forward(const WindowGeometry& g, const Tensor& x, const Tensor& kernel, Tensor& y) {
  const int64_t m = check_depthwise("depthwise_conv_forward", g, x, kernel, y);
  require_indexable("depthwise_conv_forward", {&x, &kernel, &y});
  if (y.size() == 0) return;
  // Channels 4 at a time (vec4 loads and stores) where the shapes and views allow.
  if (m == 1 && g.channels % 4 == 0 && x.offset() % 4 == 0 && kernel.offset() % 4 == 0 && y.offset() % 4 == 0) {
    WindowGeometry vec_g = g;
    vec_g.channels /= 4;
    run("depthwise_forward_v4", {in(x), in(kernel), out(y)}, params_for(vec_g, m, y.size() / 4),
        linear_groups(y.size() / 4));
    return;
  }
  run("depthwise_forward", {in(x), in(kernel), out(y)}, params_for(g, m, y.size()), linear_groups(y.size()));
}

void VulkanBackend::depthwise_conv_backward_input(const WindowGeometry& g, const Tensor& kernel, const Tensor& dy,
                                                  Tensor& dx) {
  const int64_t m = check_depthwise("depthwise_conv_backward_input", g, dx, kernel, dy);
  require_indexable("depthwise_conv_backward_input", {&dx, &kernel, &dy});
  if (dx.size() == 0) return;
  run("depthwise_backward_input", {in(kernel), in(dy), out(dx)}, params_for(g, m, dx.size()), linear_groups(dx.size()));
}

void VulkanBackend::depthwise_conv_backward_kernel(const WindowGeometry& g, const Tensor& x, const Tensor& dy,
                                                   Tensor& dkernel) {
  const int64_t m = check_depthwise("depthwise_conv_backward_kernel", g, x, dkernel, dy);
  require_indexable("depthwise_conv_backward_kernel", {&x, &dkernel, &dy});
  if (dkernel.size() == 0) return;
  if (x.size() == 0) {
    fill(dkernel, 0.0f);
    return;
  }
  // Chunks of the batch's output rows, enough of them to fill the GPU (so at
  // most about kBusyInvocations partial sums, or the kernel's own elements).
  const int64_t rows = g.batch * g.out_h;
  const int64_t chunks_wanted = std::clamp<int64_t>(ceil_div(kBusyInvocations, dkernel.size()), 1, rows);
  const int64_t rows_per_chunk = ceil_div(rows, chunks_wanted), chunks = ceil_div(rows, rows_per_chunk);
  const int64_t n = chunks * dkernel.size();
  // One chunk writes dkernel itself; more write partial sums, then added up.
  Tensor part = chunks == 1 ? dkernel : scratch(0, n).reshaped({chunks, dkernel.size()});
  run("depthwise_backward_kernel", {in(x), in(dy), out(part)}, params_for(g, m, n, rows_per_chunk), linear_groups(n),
      shape_to_string(x.shape()) + " chunks " + std::to_string(chunks));
  if (chunks == 1) return;
  Tensor flat = dkernel.reshaped({dkernel.size()});
  sum_rows(part, 0.0f, flat);
}

}  // namespace gapscope::gpu

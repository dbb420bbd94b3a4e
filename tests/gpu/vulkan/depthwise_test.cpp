// Depthwise convolution on Vulkan against the CPU backend: forward and both
// adjoints over strides 1, 2 and 2x1, valid and same padding, kernels 1x1,
// 3x3, 5x5 and 3x2, multipliers 1, 2 and 3, channels 1 to 33.
//
// Tolerances (values in [-1, 1]): both sides add the same products in the
// same order, but a driver may fuse multiply-adds: forward and dx sum at most
// kh*kw*M = 75 products (abs 1e-5); dkernel sums B*OH*OW of them (up to 200:
// abs 1e-4). An indexing mistake moves whole products: errors of O(0.1).
#include <catch2/catch.hpp>

#include "core/nn/window_geometry.h"
#include "tests/gpu/vulkan/backend_pair.h"

namespace gapscope::gpu::test {
namespace {

struct DepthwiseCase {
  int64_t batch, h, w, c, kh, kw, sh, sw, m;
  Padding padding;
};

const DepthwiseCase kCases[] = {
    {2, 7, 5, 3, 1, 1, 1, 1, 1, Padding::valid},   // 1x1
    {2, 6, 7, 8, 3, 3, 1, 1, 1, Padding::same},    // MobileNet's 3x3 same
    {1, 8, 7, 5, 3, 3, 2, 2, 1, Padding::same},    // stride 2 same, odd width
    {2, 9, 9, 3, 3, 3, 2, 2, 2, Padding::valid},   // multiplier 2
    {1, 9, 8, 2, 5, 5, 2, 1, 3, Padding::same},    // 5x5 stride 2x1, multiplier 3
    {3, 6, 5, 33, 3, 2, 2, 1, 1, Padding::valid},  // 3x2 kernel, 33 channels
    {1, 4, 4, 1, 5, 5, 1, 1, 2, Padding::same},    // kernel larger than the image
};

WindowGeometry geometry_of(const DepthwiseCase& k) {
  return with_batch(window_geometry("test", {k.h, k.w, k.c}, {k.kh, k.kw}, {k.sh, k.sw}, {1, 1}, k.padding), k.batch);
}

std::string name_of(const DepthwiseCase& k) {
  return std::to_string(k.batch) + "x" + std::to_string(k.h) + "x" + std::to_string(k.w) + "x" + std::to_string(k.c) +
         " kernel " + std::to_string(k.kh) + "x" + std::to_string(k.kw) + " stride " + std::to_string(k.sh) + "x" +
         std::to_string(k.sw) + " multiplier " + std::to_string(k.m) + (k.padding == Padding::same ? " same" : " valid");
}

}  // namespace

TEST_CASE("vulkan depthwise convolution forward and adjoints match the CPU", "[gpu][ops][window][depthwise]") {
  uint64_t seed = 7000;
  for (const DepthwiseCase& k : kCases) {
    const WindowGeometry g = geometry_of(k);
    const std::string name = name_of(k);
    const Shape image{g.batch, g.in_h, g.in_w, g.channels}, out{g.batch, g.out_h, g.out_w, g.channels * k.m};
    const Shape kernel_shape{g.kernel_h, g.kernel_w, g.channels, k.m};
    Pair x = random_pair(image, seed += 3), kernel = random_pair(kernel_shape, seed += 3);
    Pair y = random_pair(out, seed += 3, 5.0f, 6.0f);  // stale values to overwrite
    cpu().depthwise_conv_forward(g, x.cpu, kernel.cpu, y.cpu);
    vulkan().depthwise_conv_forward(g, x.gpu, kernel.gpu, y.gpu);
    require_close(y, 0.0, 1e-5, "forward " + name);

    Pair dy = random_pair(out, seed += 3), dx = random_pair(image, seed += 3, 5.0f, 6.0f);
    cpu().depthwise_conv_backward_input(g, kernel.cpu, dy.cpu, dx.cpu);
    vulkan().depthwise_conv_backward_input(g, kernel.gpu, dy.gpu, dx.gpu);
    require_close(dx, 0.0, 1e-5, "backward input " + name);

    Pair dkernel = random_pair(kernel_shape, seed += 3, 5.0f, 6.0f);
    cpu().depthwise_conv_backward_kernel(g, x.cpu, dy.cpu, dkernel.cpu);
    vulkan().depthwise_conv_backward_kernel(g, x.gpu, dy.gpu, dkernel.gpu);
    require_close(dkernel, 0.0, 1e-4, "backward kernel " + name);
  }
}

// The kernel's gradient is summed over chunks of output rows, as many as fill
// a big GPU: several rows per chunk (MobileNet's layers at batch 4) and one
// chunk where the kernel alone has enough elements. Sums of up to 4,096
// products: relative 1e-4 (the chunks add in another order than the CPU).
TEST_CASE("vulkan depthwise kernel gradient in chunks of rows matches the CPU", "[gpu][ops][window][depthwise]") {
  uint64_t seed = 8000;
  for (const DepthwiseCase& k : {DepthwiseCase{4, 32, 32, 288, 3, 3, 1, 1, 1, Padding::same},
                                 DepthwiseCase{1, 8, 8, 6000, 7, 7, 1, 1, 1, Padding::same}}) {
    const WindowGeometry g = geometry_of(k);
    const Shape image{g.batch, g.in_h, g.in_w, g.channels}, out{g.batch, g.out_h, g.out_w, g.channels * k.m};
    Pair x = random_pair(image, seed += 3), dy = random_pair(out, seed += 3);
    Pair dkernel = random_pair({g.kernel_h, g.kernel_w, g.channels, k.m}, seed += 3, 5.0f, 6.0f);
    cpu().depthwise_conv_backward_kernel(g, x.cpu, dy.cpu, dkernel.cpu);
    vulkan().depthwise_conv_backward_kernel(g, x.gpu, dy.gpu, dkernel.gpu);
    require_close(dkernel, 1e-4, 1e-4, "backward kernel " + name_of(k));
  }
}

TEST_CASE("vulkan depthwise convolution rejects bad shapes as the CPU does", "[gpu][ops][window][depthwise]") {
  const WindowGeometry g = geometry_of({1, 5, 5, 3, 3, 3, 1, 1, 2, Padding::same});
  require_same_error([&](OpsBackend& ops) {
    Tensor x = ops.allocate({1, 5, 5, 3}), kernel = ops.allocate({3, 3, 4, 2}), y = ops.allocate({1, 5, 5, 6});
    ops.depthwise_conv_forward(g, x, kernel, y);
  });
  require_same_error([&](OpsBackend& ops) {
    Tensor x = ops.allocate({1, 5, 5, 3}), kernel = ops.allocate({3, 3, 3, 2}), y = ops.allocate({1, 5, 5, 3});
    ops.depthwise_conv_forward(g, x, kernel, y);
  });
  require_same_error([&](OpsBackend& ops) {
    Tensor dx = ops.allocate({1, 5, 4, 3}), kernel = ops.allocate({3, 3, 3, 2}), dy = ops.allocate({1, 5, 5, 6});
    ops.depthwise_conv_backward_input(g, kernel, dy, dx);
  });
}

}  // namespace gapscope::gpu::test

// Convolution windows and pooling on Vulkan against the CPU backend: im2col,
// col2im, max/average pooling forward and backward over windows with strides
// 1, 2 and 2x1, valid and same padding (pad_top/pad_left from
// window_geometry), kernels 1x1, 2x2, 3x3, 5x5 and 3x2, channels 1, 3, 8, 65,
// and max pooling with ties (inputs on a 0.5 grid) so that the first tap in
// window order must win on both backends.
//
// Tolerances (values in [-1, 1] or [-2, 2]):
// - im2col and max pooling move values without arithmetic: exact (0).
// - col2im and max-pool backward add at most kh*kw = 25 values per pixel in
//   the CPU's order; bit-exact unless a driver reassociates, whose error is
//   below 25 * 2^-24 * 25 ~ 4e-5: abs 4e-5.
// - average pooling and its backward also multiply by 1/count, which a GPU may
//   divide to 2.5 ulp: abs 4e-5 (as above) + rel 1e-6.
// An indexing or tie-breaking mistake moves a whole value: errors of O(0.1-1).
#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <stdexcept>
#include <string>

#include "core/nn/window_geometry.h"
#include "tests/gpu/vulkan/backend_pair.h"

namespace gapscope::gpu::test {
namespace {

struct WindowCase {
  int64_t batch, h, w, c, kh, kw, sh, sw;
  Padding padding;
};

const WindowCase kCases[] = {
    {2, 7, 5, 3, 1, 1, 1, 1, Padding::valid},    // 1x1
    {2, 6, 7, 1, 3, 3, 1, 1, Padding::same},     // 3x3 same, pads 1/1
    {1, 8, 7, 3, 3, 3, 2, 2, Padding::same},     // stride 2 same, odd width
    {2, 9, 9, 3, 3, 3, 2, 2, Padding::valid},    // stride 2 valid
    {2, 12, 12, 1, 5, 5, 1, 1, Padding::valid},  // the MNIST conv (smaller)
    {1, 9, 8, 3, 5, 5, 2, 1, Padding::same},     // 5x5 stride 2x1 same, pads 2/2
    {2, 8, 8, 8, 2, 2, 2, 2, Padding::valid},    // the MNIST pool
    {1, 7, 5, 65, 3, 3, 1, 1, Padding::same},    // 65 channels
    {1, 5, 6, 65, 2, 2, 2, 2, Padding::same},    // odd pool edge: pad 0, last window half out
    {3, 6, 5, 3, 3, 2, 2, 1, Padding::valid},    // 3x2 kernel, stride 2x1
    {1, 4, 4, 1, 5, 5, 1, 1, Padding::same},     // kernel larger than the image
    {1, 10, 9, 3, 2, 3, 3, 3, Padding::valid},   // stride > kernel: pixels no window covers
    {1, 5, 4, 128, 3, 3, 1, 1, Padding::same},   // 4-channel groups, 288 of them per window
    {2, 6, 6, 4, 5, 5, 2, 2, Padding::same},     // 4 channels, stride 2
};

WindowGeometry geometry_of(const WindowCase& k) {
  return with_batch(window_geometry("test", {k.h, k.w, k.c}, {k.kh, k.kw}, {k.sh, k.sw}, {1, 1}, k.padding),
                    k.batch);
}

std::string name_of(const WindowCase& k) {
  return std::to_string(k.batch) + "x" + std::to_string(k.h) + "x" + std::to_string(k.w) + "x" +
         std::to_string(k.c) + " kernel " + std::to_string(k.kh) + "x" + std::to_string(k.kw) + " stride " +
         std::to_string(k.sh) + "x" + std::to_string(k.sw) + (k.padding == Padding::same ? " same" : " valid");
}

Shape input_of(const WindowGeometry& g) { return {g.batch, g.in_h, g.in_w, g.channels}; }
Shape output_of(const WindowGeometry& g) { return {g.batch, g.out_h, g.out_w, g.channels}; }
Shape cols_of(const WindowGeometry& g) {
  return {g.batch * g.out_h * g.out_w, g.kernel_h * g.kernel_w * g.channels};
}

// Values on a 0.5 grid in [-2, 2]: many equal taps per window.
std::vector<float> tied_values(int64_t count, uint64_t seed) {
  std::vector<float> v = random_values(count, seed, -2.0f, 2.0f);
  for (float& x : v) x = std::round(x * 2.0f) / 2.0f;
  return v;
}

}  // namespace

TEST_CASE("vulkan im2col and col2im match the CPU", "[gpu][ops][window]") {
  uint64_t seed = 1000;
  for (const WindowCase& k : kCases) {
    const WindowGeometry g = geometry_of(k);
    const std::string name = name_of(k);
    Pair x = random_pair(input_of(g), seed += 3);
    Pair cols = random_pair(cols_of(g), seed += 3, 5.0f, 6.0f);  // stale values to overwrite
    cpu().im2col(g, x.cpu, cols.cpu);
    vulkan().im2col(g, x.gpu, cols.gpu);
    require_close(cols, 0.0, 0.0, "im2col " + name);

    Pair dcols = random_pair(cols_of(g), seed += 3);
    Pair dx = random_pair(input_of(g), seed += 3, 5.0f, 6.0f);
    cpu().col2im(g, dcols.cpu, dx.cpu);
    vulkan().col2im(g, dcols.gpu, dx.gpu);
    require_close(dx, 0.0, 4e-5, "col2im " + name);
  }
}

TEST_CASE("vulkan im2col and col2im on views at odd offsets", "[gpu][ops][window]") {
  // Views one float into their allocations: the vec4 kernels (C % 4 == 0)
  // must not be used, the scalar ones must add the offsets.
  const WindowCase k{2, 6, 5, 8, 3, 3, 1, 1, Padding::same};
  const WindowGeometry g = geometry_of(k);
  auto view = [](const Pair& all, const Shape& shape) {
    const int64_t n = element_count(shape);
    return Pair{all.cpu.rows(1, n).reshaped(shape), all.gpu.rows(1, n).reshaped(shape)};
  };
  Pair x_all = random_pair({element_count(input_of(g)) + 1}, 31);
  Pair cols_all = random_pair({element_count(cols_of(g)) + 1}, 32, 5.0f, 6.0f);
  Pair x = view(x_all, input_of(g)), cols = view(cols_all, cols_of(g));
  cpu().im2col(g, x.cpu, cols.cpu);
  vulkan().im2col(g, x.gpu, cols.gpu);
  require_close(cols_all, 0.0, 0.0, "im2col into a view");
  cpu().col2im(g, cols.cpu, x.cpu);
  vulkan().col2im(g, cols.gpu, x.gpu);
  require_close(x_all, 0.0, 4e-5, "col2im into a view");
}

TEST_CASE("vulkan pooling forward matches the CPU", "[gpu][ops][window]") {
  uint64_t seed = 2000;
  for (const WindowCase& k : kCases) {
    const WindowGeometry g = geometry_of(k);
    const std::string name = name_of(k);
    Pair x = random_pair(input_of(g), seed += 3);
    Pair y = random_pair(output_of(g), seed += 3, 5.0f, 6.0f);
    cpu().pool_forward(PoolKind::max, g, x.cpu, y.cpu);
    vulkan().pool_forward(PoolKind::max, g, x.gpu, y.gpu);
    require_close(y, 0.0, 0.0, "max pool " + name);
    cpu().pool_forward(PoolKind::average, g, x.cpu, y.cpu);
    vulkan().pool_forward(PoolKind::average, g, x.gpu, y.gpu);
    require_close(y, 1e-6, 4e-5, "average pool " + name);
  }
}

TEST_CASE("vulkan pooling backward matches the CPU, ties to the first tap", "[gpu][ops][window]") {
  uint64_t seed = 3000;
  for (const WindowCase& k : kCases) {
    const WindowGeometry g = geometry_of(k);
    const std::string name = name_of(k);
    for (bool ties : {false, true}) {
      const std::vector<float> xv = ties ? tied_values(element_count(input_of(g)), seed += 3)
                                         : random_values(element_count(input_of(g)), seed += 3);
      Pair x = pair_of(input_of(g), xv);
      // y from the CPU on both sides: the backward ops are tested on their own.
      Tensor y_cpu = cpu().allocate(output_of(g));
      cpu().pool_forward(PoolKind::max, g, x.cpu, y_cpu);
      Pair y = pair_of(output_of(g), read(cpu(), y_cpu));
      Pair dy = random_pair(output_of(g), seed += 3);
      Pair dx = random_pair(input_of(g), seed += 3, 5.0f, 6.0f);
      cpu().pool_backward(PoolKind::max, g, x.cpu, y.cpu, dy.cpu, dx.cpu);
      vulkan().pool_backward(PoolKind::max, g, x.gpu, y.gpu, dy.gpu, dx.gpu);
      require_close(dx, 0.0, 4e-5, std::string("max pool backward ") + (ties ? "ties " : "") + name);

      cpu().pool_forward(PoolKind::average, g, x.cpu, y.cpu);
      vulkan().pool_forward(PoolKind::average, g, x.gpu, y.gpu);
      cpu().pool_backward(PoolKind::average, g, x.cpu, y.cpu, dy.cpu, dx.cpu);
      vulkan().pool_backward(PoolKind::average, g, x.gpu, y.gpu, dy.gpu, dx.gpu);
      require_close(dx, 1e-6, 4e-5, "average pool backward " + name);
    }
  }
}

TEST_CASE("vulkan max pool backward gives each tie to the first tap only", "[gpu][ops][window]") {
  // One 2x2 window of equal values, and overlapping 2x2 stride-1 windows over
  // a constant image: the first tap (window order) of each window gets its dy.
  for (int64_t stride : {2, 1}) {
    const WindowGeometry g =
        with_batch(window_geometry("ties", {3, 3, 1}, {2, 2}, {stride, stride}, {1, 1}, Padding::valid), 1);
    Pair x = pair_of(input_of(g), std::vector<float>(9, 0.5f));
    Pair y = pair_of(output_of(g), std::vector<float>(static_cast<size_t>(g.out_h * g.out_w), 0.5f));
    std::vector<float> dyv(static_cast<size_t>(g.out_h * g.out_w));
    for (size_t i = 0; i < dyv.size(); ++i) dyv[i] = static_cast<float>(i + 1);
    Pair dy = pair_of(output_of(g), dyv);
    Pair dx = pair_of(input_of(g), std::vector<float>(9, 7.0f));
    cpu().pool_backward(PoolKind::max, g, x.cpu, y.cpu, dy.cpu, dx.cpu);
    vulkan().pool_backward(PoolKind::max, g, x.gpu, y.gpu, dy.gpu, dx.gpu);
    const std::vector<float> expected =
        stride == 2 ? std::vector<float>{1, 0, 0, 0, 0, 0, 0, 0, 0} : std::vector<float>{1, 2, 0, 3, 4, 0, 0, 0, 0};
    CHECK(read(vulkan(), dx.gpu) == expected);
    require_close(dx, 0.0, 0.0, "max pool backward ties stride " + std::to_string(stride));
  }
}

TEST_CASE("vulkan window ops with an empty batch do nothing", "[gpu][ops][window]") {
  WindowGeometry g = geometry_of(kCases[1]);
  g.batch = 0;
  Tensor x = vulkan().allocate(input_of(g)), y = vulkan().allocate(output_of(g));
  Tensor cols = vulkan().allocate(cols_of(g));
  vulkan().im2col(g, x, cols);
  vulkan().col2im(g, cols, x);
  vulkan().pool_forward(PoolKind::max, g, x, y);
  vulkan().pool_backward(PoolKind::max, g, x, y, y, x);
  vulkan().synchronize();
}

TEST_CASE("vulkan window ops reject bad arguments as the CPU does", "[gpu][ops][window]") {
  const WindowGeometry g = geometry_of(kCases[2]);
  Pair x = random_pair(input_of(g), 1), y = random_pair(output_of(g), 2), cols = random_pair(cols_of(g), 3);
  Pair wrong = random_pair({2, 3}, 4);
  same_invalid_argument([&] { cpu().im2col(g, x.cpu, wrong.cpu); }, [&] { vulkan().im2col(g, x.gpu, wrong.gpu); });
  same_invalid_argument([&] { cpu().col2im(g, cols.cpu, wrong.cpu); },
                        [&] { vulkan().col2im(g, cols.gpu, wrong.gpu); });
  same_invalid_argument([&] { cpu().pool_forward(PoolKind::max, g, wrong.cpu, y.cpu); },
                        [&] { vulkan().pool_forward(PoolKind::max, g, wrong.gpu, y.gpu); });
  same_invalid_argument([&] { cpu().pool_backward(PoolKind::average, g, x.cpu, y.cpu, wrong.cpu, x.cpu); },
                        [&] { vulkan().pool_backward(PoolKind::average, g, x.gpu, y.gpu, wrong.gpu, x.gpu); });
  WindowGeometry bad = g;
  bad.stride_w = 0;
  same_invalid_argument([&] { cpu().im2col(bad, x.cpu, cols.cpu); }, [&] { vulkan().im2col(bad, x.gpu, cols.gpu); });
}

}  // namespace gapscope::gpu::test

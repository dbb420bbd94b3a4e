// The ops behind relu's options and leaky_relu (piecewise linear), the maximum
// merge, nearest up-sampling and dilated convolution windows, on Vulkan
// against the CPU backend. All of them move or compare values without
// rounding (up-sampling's backward sums at most sh*sw values in the CPU's
// order), so both sides must agree exactly or to a few ulps.
#include <catch2/catch.hpp>

#include <limits>

#include "core/nn/window_geometry.h"
#include "tests/gpu/vulkan/backend_pair.h"

namespace gapscope::gpu::test {

TEST_CASE("vulkan piecewise-linear relu forms match the CPU", "[gpu][ops][elementwise]") {
  const float inf = std::numeric_limits<float>::infinity();
  const PiecewiseLinear forms[] = {{}, {.max_value = 6.0f}, {.negative_slope = 0.3f},
                                   {.negative_slope = 0.1f, .threshold = 0.5f, .max_value = 2.5f},
                                   {.negative_slope = 0.0f, .threshold = -1.0f, .max_value = inf}};
  uint64_t seed = 8100;
  for (const PiecewiseLinear& f : forms) {
    INFO("slope " << f.negative_slope << " threshold " << f.threshold << " cap " << f.max_value);
    Pair x = random_pair({3, 5, 67}, seed += 3, -4.0f, 8.0f);
    Pair y = random_pair({3, 5, 67}, seed += 3, 50.0f, 60.0f);
    cpu().piecewise_linear_forward(f, x.cpu, y.cpu);
    vulkan().piecewise_linear_forward(f, x.gpu, y.gpu);
    require_close(y, 1e-7, 0.0, "forward");
    Pair dy = random_pair({3, 5, 67}, seed += 3), dx = random_pair({3, 5, 67}, seed += 3, 50.0f, 60.0f);
    cpu().piecewise_linear_backward(f, x.cpu, dy.cpu, dx.cpu);
    vulkan().piecewise_linear_backward(f, x.gpu, dy.gpu, dx.gpu);
    require_close(dx, 1e-7, 0.0, "backward");
  }
  // The kinks, exactly: at the threshold the slope side, at the cap the identity side.
  const std::vector<float> at_kinks = {0.5f, 2.5f, 2.4f, 0.6f, 0.4f, 2.6f};
  const PiecewiseLinear f{.negative_slope = 0.1f, .threshold = 0.5f, .max_value = 2.5f};
  Pair x = pair_of({6}, at_kinks), dy = pair_of({6}, std::vector<float>(6, 1.0f)), dx = random_pair({6}, 1);
  Pair y = random_pair({6}, 2);
  cpu().piecewise_linear_forward(f, x.cpu, y.cpu);
  vulkan().piecewise_linear_forward(f, x.gpu, y.gpu);
  cpu().piecewise_linear_backward(f, x.cpu, dy.cpu, dx.cpu);
  vulkan().piecewise_linear_backward(f, x.gpu, dy.gpu, dx.gpu);
  CHECK(read(cpu(), y.cpu) == std::vector<float>{0.0f, 2.5f, 2.4f, 0.6f, 0.1f * (0.4f - 0.5f), 2.5f});
  CHECK(read(cpu(), dx.cpu) == std::vector<float>{0.1f, 1.0f, 1.0f, 1.0f, 0.1f, 0.0f});
  require_close(y, 0.0, 0.0, "forward at the kinks");
  require_close(dx, 0.0, 0.0, "backward at the kinks");
}

TEST_CASE("vulkan maximum merge and its gradient routing match the CPU", "[gpu][ops][elementwise]") {
  // Values on a coarse grid so that inputs tie often: ties go to the first.
  auto grid = [](int64_t n, uint64_t seed) {
    std::vector<float> v = random_values(n, seed, 0.0f, 4.0f);
    for (float& e : v) e = static_cast<float>(static_cast<int>(e));
    return v;
  };
  const Shape shape{4, 33};
  Pair a = pair_of(shape, grid(132, 1)), b = pair_of(shape, grid(132, 2)), c = pair_of(shape, grid(132, 3));
  Pair y = copy_of_cpu(a.cpu);
  for (Pair* x : {&b, &c}) {
    cpu().maximum(x->cpu, y.cpu);
    vulkan().maximum(x->gpu, y.gpu);
  }
  require_close(y, 0.0, 0.0, "maximum");
  Pair remaining = random_pair(shape, 9);
  const std::vector<float> dy = read(cpu(), remaining.cpu);
  std::vector<std::vector<float>> routed;
  for (Pair* x : {&a, &b, &c}) {
    Pair dx = random_pair(shape, 10, 50.0f, 60.0f);
    cpu().maximum_backward(x->cpu, y.cpu, remaining.cpu, dx.cpu);
    vulkan().maximum_backward(x->gpu, y.gpu, remaining.gpu, dx.gpu);
    require_close(dx, 0.0, 0.0, "routed gradient");
    routed.push_back(read(cpu(), dx.cpu));
  }
  require_close(remaining, 0.0, 0.0, "remaining");
  // Each element's gradient went to exactly one input: the first holding the maximum.
  const std::vector<float> av = read(cpu(), a.cpu), bv = read(cpu(), b.cpu), yv = read(cpu(), y.cpu);
  for (size_t i = 0; i < dy.size(); ++i) {
    const size_t winner = av[i] == yv[i] ? 0 : bv[i] == yv[i] ? 1 : 2;
    for (size_t k = 0; k < 3; ++k) CHECK(routed[k][i] == (k == winner ? dy[i] : 0.0f));
  }
  CHECK(read(cpu(), remaining.cpu) == std::vector<float>(dy.size(), 0.0f));
}

TEST_CASE("vulkan nearest up-sampling forward and backward match the CPU", "[gpu][ops][window]") {
  struct Case {
    int64_t b, h, w, c, sh, sw;
  };
  uint64_t seed = 8200;
  for (const Case& k : {Case{2, 3, 4, 5, 2, 2}, Case{1, 5, 2, 3, 3, 1}, Case{3, 1, 1, 7, 1, 4}, Case{1, 4, 3, 1, 2, 3}}) {
    INFO(k.b << "x" << k.h << "x" << k.w << "x" << k.c << " size " << k.sh << "x" << k.sw);
    const Shape small{k.b, k.h, k.w, k.c}, large{k.b, k.h * k.sh, k.w * k.sw, k.c};
    Pair x = random_pair(small, seed += 3), y = random_pair(large, seed += 3, 50.0f, 60.0f);
    cpu().upsample_nearest_forward(k.sh, k.sw, x.cpu, y.cpu);
    vulkan().upsample_nearest_forward(k.sh, k.sw, x.gpu, y.gpu);
    require_close(y, 0.0, 0.0, "forward");
    const std::vector<float> xv = read(cpu(), x.cpu), yv = read(cpu(), y.cpu);
    CHECK(yv[static_cast<size_t>(large[3] * (large[2] * 1 + 1) + 0)] ==
          xv[static_cast<size_t>(k.c * ((1 / k.sh) * k.w + 1 / k.sw))]);  // pixel (1, 1) of sample 0
    Pair dy = random_pair(large, seed += 3), dx = random_pair(small, seed += 3, 50.0f, 60.0f);
    cpu().upsample_nearest_backward(k.sh, k.sw, dy.cpu, dx.cpu);
    vulkan().upsample_nearest_backward(k.sh, k.sw, dy.gpu, dx.gpu);
    require_close(dx, 1e-6, 1e-7, "backward");
  }
  require_same_error([](OpsBackend& ops) {
    Tensor x = ops.allocate({1, 2, 2, 3}), y = ops.allocate({1, 4, 5, 3});
    ops.upsample_nearest_forward(2, 2, x, y);
  });
}

TEST_CASE("vulkan dilated im2col and col2im match the CPU, and pooling refuses dilation", "[gpu][ops][window]") {
  struct Case {
    int64_t b, h, w, c, kh, kw, dh, dw;
    Padding padding;
  };
  uint64_t seed = 8300;
  for (const Case& k : {Case{2, 9, 8, 3, 3, 3, 2, 2, Padding::same}, Case{1, 10, 7, 4, 3, 2, 3, 1, Padding::valid},
                        Case{1, 6, 6, 8, 2, 2, 2, 3, Padding::same}, Case{2, 5, 5, 1, 3, 3, 2, 2, Padding::valid}}) {
    const WindowGeometry g = with_batch(
        window_geometry("test", {k.h, k.w, k.c}, {k.kh, k.kw}, {1, 1}, {1, 1}, k.padding, {k.dh, k.dw}), k.b);
    INFO(k.h << "x" << k.w << "x" << k.c << " kernel " << k.kh << "x" << k.kw << " dilation " << k.dh << "x" << k.dw
              << " out " << g.out_h << "x" << g.out_w);
    // TF's sizes: valid out = in - (k - 1) * d; same keeps the size.
    CHECK(g.out_h == (k.padding == Padding::same ? k.h : k.h - (k.kh - 1) * k.dh));
    const Shape image{k.b, k.h, k.w, k.c}, cols{k.b * g.out_h * g.out_w, k.kh * k.kw * k.c};
    Pair x = random_pair(image, seed += 3), c = random_pair(cols, seed += 3, 50.0f, 60.0f);
    cpu().im2col(g, x.cpu, c.cpu);
    vulkan().im2col(g, x.gpu, c.gpu);
    require_close(c, 0.0, 0.0, "im2col");
    Pair dc = random_pair(cols, seed += 3), dx = random_pair(image, seed += 3, 50.0f, 60.0f);
    cpu().col2im(g, dc.cpu, dx.cpu);
    vulkan().col2im(g, dc.gpu, dx.gpu);
    require_close(dx, 1e-6, 1e-6, "col2im");
  }
  // im2col's adjoint is col2im: <im2col(x), c> == <x, col2im(c)> (dilated too).
  const WindowGeometry g =
      with_batch(window_geometry("test", {7, 7, 2}, {3, 3}, {1, 1}, {1, 1}, Padding::same, {2, 2}), 1);
  Pair x = random_pair({1, 7, 7, 2}, 1), c = random_pair({49, 18}, 2), cols = random_pair({49, 18}, 3),
       back = random_pair({1, 7, 7, 2}, 4);
  cpu().im2col(g, x.cpu, cols.cpu);
  cpu().col2im(g, c.cpu, back.cpu);
  double left = 0, right = 0;
  const auto colv = read(cpu(), cols.cpu), cv = read(cpu(), c.cpu), xv = read(cpu(), x.cpu), bv = read(cpu(), back.cpu);
  for (size_t i = 0; i < colv.size(); ++i) left += double(colv[i]) * cv[i];
  for (size_t i = 0; i < xv.size(); ++i) right += double(xv[i]) * bv[i];
  CHECK(left == Approx(right).epsilon(1e-5));
  require_same_error([&](OpsBackend& ops) {
    Tensor in = ops.allocate({1, 7, 7, 2}), out = ops.allocate({1, 7, 7, 2});
    ops.pool_forward(PoolKind::max, g, in, out);
  });
}

}  // namespace gapscope::gpu::test

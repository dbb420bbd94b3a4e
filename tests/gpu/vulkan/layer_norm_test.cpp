// Layer normalization on Vulkan against the CPU backend: forward (y and each
// row's mean and 1/std) and backward (dx, dgamma, dbeta) over x [R, C] with
// rows of 1 to 3,000 features (one invocation per row up to 32 features, a
// warp up to 1,024, a workgroup beyond) and up to 20,000 rows (dgamma and
// dbeta through sum_rows' two passes).
//
// Tolerances. The CPU adds a row in double, the GPU in float in a fixed tree
// of at most 256 lanes: a row's mean and variance are off by about
// log2(C) * 2^-24 relative (x in [-2, 3]): rel 1e-5 for mean and inv_std, with
// abs 1e-6 for means near 0. y and dx are a few roundings of values up to ~5
// after the factors: rel 1e-5, abs 1e-5 (an indexing mistake moves whole
// values). dgamma and dbeta are sums of R terms in [-1, 1] and [-2.5, 2.5]:
// rel 1e-5 and abs 8e-7 * sqrt(R) as in batch_norm_test.cpp.
#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "tests/gpu/vulkan/backend_pair.h"

namespace gapscope::gpu::test {
namespace {

struct Rows {
  int64_t rows, cols;
};
const Rows kCases[] = {{1, 1},  {3, 2},   {5, 7},    {7, 32},   {5, 33},   {257, 65}, {3, 300},
                       {2, 1024}, {2, 1025}, {4, 3000}, {2000, 16}, {20000, 8}};

std::string name_of(const Rows& k) { return std::to_string(k.rows) + "x" + std::to_string(k.cols); }

double sum_tolerance(int64_t rows) { return 8e-7 * std::sqrt(static_cast<double>(rows)); }

}  // namespace

TEST_CASE("vulkan layer norm forward matches the CPU", "[gpu][ops][layer_norm]") {
  uint64_t seed = 8000;
  const float epsilon = 1e-3f;
  for (const Rows& k : kCases) {
    const std::string name = name_of(k);
    Pair x = random_pair({k.rows, k.cols}, seed += 3, -2.0f, 3.0f);
    Pair gamma = random_pair({k.cols}, seed += 3, 0.5f, 1.5f), beta = random_pair({k.cols}, seed += 3);
    // Stale values to overwrite.
    Pair y = random_pair({k.rows, k.cols}, seed += 3, 5.0f, 6.0f);
    Pair mean = random_pair({k.rows}, seed += 3, 5.0f, 6.0f), inv_std = random_pair({k.rows}, seed += 3, 5.0f, 6.0f);
    cpu().layer_norm_forward(x.cpu, gamma.cpu, beta.cpu, epsilon, y.cpu, mean.cpu, inv_std.cpu);
    vulkan().layer_norm_forward(x.gpu, gamma.gpu, beta.gpu, epsilon, y.gpu, mean.gpu, inv_std.gpu);
    require_close(mean, 1e-5, 1e-6, "mean " + name);
    require_close(inv_std, 1e-5, 0.0, "inv_std " + name);
    require_close(y, 1e-5, 1e-5, "layer norm forward " + name);
  }
}

TEST_CASE("vulkan layer norm backward matches the CPU", "[gpu][ops][layer_norm]") {
  uint64_t seed = 9000;
  for (const Rows& k : kCases) {
    const std::string name = name_of(k);
    Pair x = random_pair({k.rows, k.cols}, seed += 3, -2.0f, 3.0f);
    Pair gamma = random_pair({k.cols}, seed += 3, 0.5f, 1.5f), beta = random_pair({k.cols}, seed += 3);
    // The CPU's statistics on both sides: the backward is tested on its own.
    Tensor y_cpu = cpu().allocate({k.rows, k.cols}), mean_cpu = cpu().allocate({k.rows}),
           inv_cpu = cpu().allocate({k.rows});
    cpu().layer_norm_forward(x.cpu, gamma.cpu, beta.cpu, 1e-3f, y_cpu, mean_cpu, inv_cpu);
    Pair mean = copy_of_cpu(mean_cpu), inv_std = copy_of_cpu(inv_cpu);

    Pair dy = random_pair({k.rows, k.cols}, seed += 3);
    Pair dx = random_pair({k.rows, k.cols}, seed += 3, 5.0f, 6.0f);
    Pair dgamma = random_pair({k.cols}, seed += 3, 5.0f, 6.0f), dbeta = random_pair({k.cols}, seed += 3, 5.0f, 6.0f);
    cpu().layer_norm_backward(x.cpu, mean.cpu, inv_std.cpu, gamma.cpu, dy.cpu, dx.cpu, dgamma.cpu, dbeta.cpu);
    vulkan().layer_norm_backward(x.gpu, mean.gpu, inv_std.gpu, gamma.gpu, dy.gpu, dx.gpu, dgamma.gpu, dbeta.gpu);
    require_close(dbeta, 1e-5, sum_tolerance(k.rows), "dbeta " + name);
    require_close(dgamma, 1e-5, sum_tolerance(k.rows), "dgamma " + name);
    require_close(dx, 1e-5, 1e-5, "layer norm dx " + name);
  }
}

TEST_CASE("vulkan layer norm: constant rows and views at odd offsets", "[gpu][ops][layer_norm]") {
  // Rows 1.. of a larger allocation, every third row constant (variance 0:
  // 1 / sqrt(epsilon)); statistics and gradients into views.
  std::vector<float> values = random_values(301 * 40, 31, -1.0f, 2.0f);
  for (int64_t r = 1; r < 301; r += 3)
    for (int64_t c = 0; c < 40; ++c) values[static_cast<size_t>(r * 40 + c)] = 0.75f;
  Pair all = pair_of({301, 40}, values);
  Pair x{all.cpu.rows(1, 300), all.gpu.rows(1, 300)};
  Pair gamma = random_pair({40}, 32), beta = random_pair({40}, 33);
  Pair stats = random_pair({3, 300}, 34);
  Pair mean{stats.cpu.rows(1, 1).reshaped({300}), stats.gpu.rows(1, 1).reshaped({300})};
  Pair inv_std{stats.cpu.rows(2, 1).reshaped({300}), stats.gpu.rows(2, 1).reshaped({300})};
  Pair y_all = random_pair({302, 40}, 35);
  Pair y{y_all.cpu.rows(2, 300), y_all.gpu.rows(2, 300)};
  cpu().layer_norm_forward(x.cpu, gamma.cpu, beta.cpu, 1e-3f, y.cpu, mean.cpu, inv_std.cpu);
  vulkan().layer_norm_forward(x.gpu, gamma.gpu, beta.gpu, 1e-3f, y.gpu, mean.gpu, inv_std.gpu);
  require_close(stats, 1e-5, 1e-6, "statistics into views");
  require_close(y_all, 1e-5, 1e-5, "layer norm y into a view");
  CHECK(read(cpu(), inv_std.cpu)[0] == Approx(1.0 / std::sqrt(1e-3)).epsilon(1e-6));

  vulkan().upload(stats.gpu, read(cpu(), stats.cpu));  // the backward is tested alone
  Pair dy = random_pair({300, 40}, 36), grads = random_pair({3, 40}, 37), dx_all = random_pair({303, 40}, 38);
  Pair dgamma{grads.cpu.rows(1, 1).reshaped({40}), grads.gpu.rows(1, 1).reshaped({40})};
  Pair dbeta{grads.cpu.rows(2, 1).reshaped({40}), grads.gpu.rows(2, 1).reshaped({40})};
  Pair dx{dx_all.cpu.rows(3, 300), dx_all.gpu.rows(3, 300)};
  cpu().layer_norm_backward(x.cpu, mean.cpu, inv_std.cpu, gamma.cpu, dy.cpu, dx.cpu, dgamma.cpu, dbeta.cpu);
  vulkan().layer_norm_backward(x.gpu, mean.gpu, inv_std.gpu, gamma.gpu, dy.gpu, dx.gpu, dgamma.gpu, dbeta.gpu);
  require_close(grads, 1e-5, sum_tolerance(300), "layer norm gradients into views");
  require_close(dx_all, 1e-5, 1e-5, "layer norm dx into a view");
}

TEST_CASE("vulkan layer norm rejects bad arguments as the CPU does", "[gpu][ops][layer_norm]") {
  require_same_error([](OpsBackend& ops) {
    Tensor x = ops.allocate({4, 3}), gamma = ops.allocate({4}), beta = ops.allocate({3}), y = ops.allocate({4, 3});
    Tensor mean = ops.allocate({4}), inv_std = ops.allocate({4});
    ops.layer_norm_forward(x, gamma, beta, 1e-3f, y, mean, inv_std);
  });
  require_same_error([](OpsBackend& ops) {
    Tensor x = ops.allocate({4, 3}), gamma = ops.allocate({3}), beta = ops.allocate({3}), y = ops.allocate({4, 3});
    Tensor mean = ops.allocate({3}), inv_std = ops.allocate({4});
    ops.layer_norm_forward(x, gamma, beta, 1e-3f, y, mean, inv_std);
  });
  require_same_error([](OpsBackend& ops) {
    Tensor x = ops.allocate({0, 3}), c = ops.allocate({3}), y = ops.allocate({0, 3}), r = ops.allocate({0});
    ops.layer_norm_forward(x, c, c, 1e-3f, y, r, r);
  });
  require_same_error([](OpsBackend& ops) {
    Tensor x = ops.allocate({4, 3}), r = ops.allocate({4}), c = ops.allocate({3}), dx = ops.allocate({4, 2});
    Tensor dgamma = ops.allocate({3}), dbeta = ops.allocate({3});
    ops.layer_norm_backward(x, r, r, c, x, dx, dgamma, dbeta);
  });
}

}  // namespace gapscope::gpu::test

// Batch normalization on Vulkan against the CPU backend: moments, forward
// and backward over x [R, C] with R = 1, 3, 257, 4100 and large (20,000 and
// 36,864 rows: the two-pass reduction through scratch), C = 1, 3, 16, 65 and
// 300 (two column tiles of 256).
//
// Tolerances. The CPU adds blocks of rows in float and the blocks in double;
// the GPU adds in float in a fixed tree (a few rows per invocation, then the
// invocations of a workgroup, then the groups). A float sum of R terms in such
// a tree is off by about sqrt(log2 R) * 2^-24 * sqrt(sum of squares) and at
// worst log2(R) * 2^-24 * sum |terms|. Hence:
// - mean, variance (x in [4, 6]: a mean far from 0, where a one-pass formula
//   would cancel): rel 1e-5 (> 16 * 6e-8 worst case for R < 2^16), abs 1e-7
//   for the variance of R = 1 (exactly 0 on both sides).
// - dbeta, dgamma (sums of R terms in [-1, 1] and [-1.7, 1.7]): rel 1e-5 and
//   abs 2e-7 * sqrt(R) * 4 (random-walk error with a factor 4 of margin;
//   typical values are ~sqrt(R)/2, so an indexing mistake is far beyond it).
// - y and dx: a few roundings per element of values up to ~10 after the
//   factors: rel 1e-5, abs 1e-5.
#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <stdexcept>
#include <string>

#include "tests/gpu/vulkan/backend_pair.h"

namespace gapscope::gpu::test {
namespace {

struct Rows {
  int64_t rows, cols;
};
const Rows kCases[] = {{1, 5},  {3, 3},      {257, 3},  {257, 65}, {4100, 1},
                       {3, 300}, {2000, 300}, {20000, 16}, {36864, 16}};

std::string name_of(const Rows& k) { return std::to_string(k.rows) + "x" + std::to_string(k.cols); }

}  // namespace

TEST_CASE("vulkan moments match the CPU", "[gpu][ops][batch_norm]") {
  uint64_t seed = 4000;
  for (const Rows& k : kCases) {
    Pair x = random_pair({k.rows, k.cols}, seed += 3, 4.0f, 6.0f);
    Pair mean = random_pair({k.cols}, seed += 3), variance = random_pair({k.cols}, seed += 3);
    cpu().moments(x.cpu, mean.cpu, variance.cpu);
    vulkan().moments(x.gpu, mean.gpu, variance.gpu);
    require_close(mean, 1e-5, 0.0, "mean " + name_of(k));
    require_close(variance, 1e-5, 1e-7, "variance " + name_of(k));
  }
}

TEST_CASE("vulkan batch norm forward and backward match the CPU", "[gpu][ops][batch_norm]") {
  uint64_t seed = 5000;
  const float epsilon = 1e-3f;
  for (const Rows& k : kCases) {
    const std::string name = name_of(k);
    Pair x = random_pair({k.rows, k.cols}, seed += 3, -2.0f, 3.0f);
    // The CPU's moments on both sides: forward and backward are tested on their own.
    Tensor mean_cpu = cpu().allocate({k.cols}), variance_cpu = cpu().allocate({k.cols});
    cpu().moments(x.cpu, mean_cpu, variance_cpu);
    Pair mean = copy_of_cpu(mean_cpu), variance = copy_of_cpu(variance_cpu);
    Pair gamma = random_pair({k.cols}, seed += 3, 0.5f, 1.5f), beta = random_pair({k.cols}, seed += 3);

    Pair y = random_pair({k.rows, k.cols}, seed += 3);
    cpu().batch_norm_forward(x.cpu, mean.cpu, variance.cpu, gamma.cpu, beta.cpu, epsilon, y.cpu);
    vulkan().batch_norm_forward(x.gpu, mean.gpu, variance.gpu, gamma.gpu, beta.gpu, epsilon, y.gpu);
    require_close(y, 1e-5, 1e-5, "batch norm forward " + name);

    Pair dy = random_pair({k.rows, k.cols}, seed += 3);
    Pair dx = random_pair({k.rows, k.cols}, seed += 3, 5.0f, 6.0f);
    Pair dgamma = random_pair({k.cols}, seed += 3, 5.0f, 6.0f), dbeta = random_pair({k.cols}, seed += 3, 5.0f, 6.0f);
    cpu().batch_norm_backward(x.cpu, mean.cpu, variance.cpu, gamma.cpu, epsilon, dy.cpu, dx.cpu, dgamma.cpu,
                              dbeta.cpu);
    vulkan().batch_norm_backward(x.gpu, mean.gpu, variance.gpu, gamma.gpu, epsilon, dy.gpu, dx.gpu, dgamma.gpu,
                                 dbeta.gpu);
    const double sum_tol = 8e-7 * std::sqrt(static_cast<double>(k.rows));
    require_close(dbeta, 1e-5, sum_tol, "dbeta " + name);
    require_close(dgamma, 1e-5, sum_tol, "dgamma " + name);
    require_close(dx, 1e-5, 1e-5, "batch norm dx " + name);
  }
}

TEST_CASE("vulkan batch norm on views at odd offsets", "[gpu][ops][batch_norm]") {
  // Rows 1.. of a larger allocation: every kernel must add the views' offsets.
  Pair all = random_pair({3001, 7}, 77, -1.0f, 2.0f);
  Pair x{all.cpu.rows(1, 3000), all.gpu.rows(1, 3000)};
  Pair stats = random_pair({3, 7}, 78, 0.5f, 1.5f);
  Pair mean{stats.cpu.rows(1, 1).reshaped({7}), stats.gpu.rows(1, 1).reshaped({7})};
  Pair variance{stats.cpu.rows(2, 1).reshaped({7}), stats.gpu.rows(2, 1).reshaped({7})};
  cpu().moments(x.cpu, mean.cpu, variance.cpu);
  vulkan().moments(x.gpu, mean.gpu, variance.gpu);
  require_close(stats, 1e-5, 1e-7, "moments into views");
  Pair gamma = random_pair({7}, 79), dy = random_pair({3000, 7}, 80);
  Pair grads = random_pair({3, 7}, 81);
  Pair dgamma{grads.cpu.rows(1, 1).reshaped({7}), grads.gpu.rows(1, 1).reshaped({7})};
  Pair dbeta{grads.cpu.rows(2, 1).reshaped({7}), grads.gpu.rows(2, 1).reshaped({7})};
  Pair dx_all = random_pair({3002, 7}, 82);
  Pair dx{dx_all.cpu.rows(2, 3000), dx_all.gpu.rows(2, 3000)};
  // Upload the CPU's moments to both sides first (the backward is tested alone).
  vulkan().upload(stats.gpu, read(cpu(), stats.cpu));
  cpu().batch_norm_backward(x.cpu, mean.cpu, variance.cpu, gamma.cpu, 1e-3f, dy.cpu, dx.cpu, dgamma.cpu, dbeta.cpu);
  vulkan().batch_norm_backward(x.gpu, mean.gpu, variance.gpu, gamma.gpu, 1e-3f, dy.gpu, dx.gpu, dgamma.gpu,
                               dbeta.gpu);
  require_close(grads, 1e-5, 8e-7 * std::sqrt(3000.0), "batch norm gradients into views");
  require_close(dx_all, 1e-5, 1e-5, "batch norm dx into a view");
}

TEST_CASE("vulkan batch norm rejects bad arguments as the CPU does", "[gpu][ops][batch_norm]") {
  Pair x = random_pair({4, 3}, 1), c3 = random_pair({3}, 2), c4 = random_pair({4}, 3);
  Pair empty{cpu().allocate({0, 3}), vulkan().allocate({0, 3})};
  same_invalid_argument([&] { cpu().moments(x.cpu, c3.cpu, c4.cpu); },
                        [&] { vulkan().moments(x.gpu, c3.gpu, c4.gpu); });
  same_invalid_argument([&] { cpu().moments(empty.cpu, c3.cpu, c3.cpu); },
                        [&] { vulkan().moments(empty.gpu, c3.gpu, c3.gpu); });
  same_invalid_argument(
      [&] { cpu().batch_norm_forward(x.cpu, c3.cpu, c3.cpu, c4.cpu, c3.cpu, 1e-3f, x.cpu); },
      [&] { vulkan().batch_norm_forward(x.gpu, c3.gpu, c3.gpu, c4.gpu, c3.gpu, 1e-3f, x.gpu); });
  same_invalid_argument(
      [&] { cpu().batch_norm_backward(x.cpu, c3.cpu, c3.cpu, c3.cpu, 1e-3f, x.cpu, x.cpu, c3.cpu, c4.cpu); },
      [&] { vulkan().batch_norm_backward(x.gpu, c3.gpu, c3.gpu, c3.gpu, 1e-3f, x.gpu, x.gpu, c3.gpu, c4.gpu); });
}

}  // namespace gapscope::gpu::test

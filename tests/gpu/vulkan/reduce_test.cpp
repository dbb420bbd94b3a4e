// Row broadcasts and column sums on Vulkan against the CPU backend: tiny,
// odd and edge shapes, a dense layer's bias gradient (64 x 4096: one pass),
// a conv's (36,864 x 16: two passes over row chunks), a tall single column,
// beta 0 over NaN, views at odd offsets, and the argument errors.
//
// Tolerances: add_row_bias is one correctly rounded add per element: exact.
// sum_rows adds R values in [-1, 1] in another order than Eigen; the rounding
// errors of a running sum random-walk to about 2^-24 * R / 4 (partial sums
// grow like sqrt(R), each add errs by up to half an ulp of them), so absolute
// 1e-7 * R (several times that) plus relative 1e-6 for beta * out. A lost or
// doubled row is an error of O(0.5), far above it.
#include <catch2/catch.hpp>
#include <functional>
#include <limits>
#include <string>

#include "tests/gpu/vulkan/backend_pair.h"

namespace gapscope::gpu::test {
namespace {

void check_sum_rows(int64_t rows, int64_t cols, float beta, uint64_t seed, int64_t row_offset = 0) {
  Pair all = random_pair({rows + row_offset, cols}, seed);
  Pair x{all.cpu.rows(row_offset, rows), all.gpu.rows(row_offset, rows)};
  Pair out = random_pair({cols}, seed + 1);
  cpu().sum_rows(x.cpu, beta, out.cpu);
  vulkan().sum_rows(x.gpu, beta, out.gpu);
  require_close(out, 1e-6, 1e-7 * static_cast<double>(std::max<int64_t>(rows, 10)),
                "sum_rows " + std::to_string(rows) + "x" + std::to_string(cols) + " beta " + std::to_string(beta) +
                    " offset " + std::to_string(row_offset));
}

}  // namespace

TEST_CASE("vulkan add_row_bias matches the CPU exactly", "[gpu][ops][reduce]") {
  uint64_t seed = 300;
  const int64_t sizes[] = {1, 3, 65, 257};
  for (int64_t rows : sizes)
    for (int64_t cols : sizes) {
      Pair y = random_pair({rows, cols}, seed += 2), bias = random_pair({cols}, seed + 1);
      cpu().add_row_bias(y.cpu, bias.cpu);
      vulkan().add_row_bias(y.gpu, bias.gpu);
      require_close(y, 0.0, 0.0, "add_row_bias");
    }
  for (const Shape& shape : {Shape{300, 257}, Shape{36864, 16}, Shape{64, 4096}}) {
    Pair y = random_pair(shape, seed += 2), bias = random_pair({shape[1]}, seed + 1);
    cpu().add_row_bias(y.cpu, bias.cpu);
    vulkan().add_row_bias(y.gpu, bias.gpu);
    require_close(y, 0.0, 0.0, "add_row_bias");
  }
  // A view that starts mid-allocation, a bias view too.
  Pair y_all = random_pair({20, 33}, 1), bias_all = random_pair({3, 33}, 2);
  Pair y{y_all.cpu.rows(7, 9), y_all.gpu.rows(7, 9)};
  Pair bias{bias_all.cpu.rows(1, 1).reshaped({33}), bias_all.gpu.rows(1, 1).reshaped({33})};
  cpu().add_row_bias(y.cpu, bias.cpu);
  vulkan().add_row_bias(y.gpu, bias.gpu);
  require_close(y_all, 0.0, 0.0, "add_row_bias view (rows outside untouched)");
}

TEST_CASE("vulkan sum_rows matches the CPU for edge shapes and beta", "[gpu][ops][reduce]") {
  uint64_t seed = 400;
  const int64_t sizes[] = {1, 3, 65, 257};
  for (int64_t rows : sizes)
    for (int64_t cols : sizes)
      for (float beta : {0.0f, 1.0f, 0.5f}) check_sum_rows(rows, cols, beta, seed += 2);
  check_sum_rows(300, 257, 1.0f, seed += 2);
  check_sum_rows(70000, 1, 0.0f, seed += 2);
  check_sum_rows(5000, 3, 0.0f, seed += 2, 1);  // odd view offset, two passes
  check_sum_rows(129, 65, 2.0f, seed += 2, 3);
  check_sum_rows(0, 5, 0.5f, seed += 2);         // no rows: out = beta * out
}

TEST_CASE("vulkan sum_rows for a dense layer's and a conv's bias gradient", "[gpu][ops][reduce]") {
  check_sum_rows(64, 4096, 0.0f, 1);     // one pass: 64 rows
  check_sum_rows(36864, 16, 0.0f, 2);    // 144 chunks of 256 rows, then their sum
  check_sum_rows(36864, 16, 1.0f, 3);
  check_sum_rows(1000, 1000, 0.0f, 4);   // 16 column groups x 16 chunks of 64 rows
}

TEST_CASE("vulkan sum_rows with beta 0 overwrites out even where it held NaN", "[gpu][ops][reduce]") {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (int64_t rows : {3, 20000}) {
    Pair x = random_pair({rows, 5}, 9);
    Pair out = pair_of({5}, std::vector<float>(5, nan));
    cpu().sum_rows(x.cpu, 0.0f, out.cpu);
    vulkan().sum_rows(x.gpu, 0.0f, out.gpu);
    require_close(out, 1e-6, 1e-7 * static_cast<double>(rows), "sum_rows beta 0 over NaN");
  }
}

TEST_CASE("vulkan sum_rows is deterministic", "[gpu][ops][reduce]") {
  Tensor x = random_pair({36864, 16}, 5).gpu;
  Tensor a = vulkan().allocate({16}), b = vulkan().allocate({16});
  vulkan().sum_rows(x, 0.0f, a);
  vulkan().sum_rows(x, 0.0f, b);
  CHECK(read(vulkan(), a) == read(vulkan(), b));
}

TEST_CASE("vulkan add_row_bias and sum_rows reject bad arguments as the CPU does", "[gpu][ops][reduce]") {
  require_same_error([](OpsBackend& ops) {
    Tensor y = ops.allocate({4}), bias = ops.allocate({4});
    ops.add_row_bias(y, bias);
  });
  require_same_error([](OpsBackend& ops) {
    Tensor y = ops.allocate({4, 3}), bias = ops.allocate({4});
    ops.add_row_bias(y, bias);
  });
  require_same_error([](OpsBackend& ops) {
    Tensor x = ops.allocate({2, 3, 4}), out = ops.allocate({4});
    ops.sum_rows(x, 0.0f, out);
  });
  require_same_error([](OpsBackend& ops) {
    Tensor x = ops.allocate({4, 3}), out = ops.allocate({4});
    ops.sum_rows(x, 0.0f, out);
  });
}

}  // namespace gapscope::gpu::test

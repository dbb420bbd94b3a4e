// CpuBackend dropout masks (values, rate, determinism, the documented hash) and
// the element-wise multiply and axpy.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "core/base/random.h"
#include "core/ops/cpu/cpu_backend.h"
#include "tests/core/ops/host_tensors.h"

namespace gapscope {
namespace {

using test::to_tensor;
using test::to_vector;

struct Dropped {
  std::vector<float> mask, y;
};

Dropped dropout(OpsBackend& ops, const std::vector<float>& x, float rate, uint64_t seed) {
  const Shape shape{static_cast<int64_t>(x.size())};
  Tensor xt = to_tensor(ops, shape, x), mask = ops.allocate(shape), y = ops.allocate(shape);
  ops.dropout_forward(xt, rate, seed, mask, y);
  return {to_vector(ops, mask), to_vector(ops, y)};
}

std::vector<float> ramp(size_t n) {
  std::vector<float> x(n);
  for (size_t i = 0; i < n; ++i) x[i] = 0.001f * static_cast<float>(i) - 3.0f;
  return x;
}

}  // namespace

TEST_CASE("dropout masks are 0 or 1/(1-rate), drop about `rate`, follow hash_uniform",
          "[cpu][dropout]") {
  CpuBackend ops(1);
  const float rate = 0.3f;
  const std::vector<float> x = ramp(100000);
  Dropped d = dropout(ops, x, rate, 77);
  const float keep = 1.0f / (1.0f - rate);
  size_t dropped = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    REQUIRE((d.mask[i] == 0.0f || d.mask[i] == keep));
    REQUIRE(d.mask[i] == (hash_uniform(77, i) >= rate ? keep : 0.0f));
    REQUIRE(d.y[i] == x[i] * d.mask[i]);
    dropped += d.mask[i] == 0.0f;
  }
  // Binomial: stddev sqrt(n p (1-p)) = 145; allow 5 sigma.
  CHECK(static_cast<double>(dropped) == Approx(0.3 * x.size()).margin(725));
}

TEST_CASE("dropout is deterministic per seed and thread count", "[cpu][dropout]") {
  CpuBackend one(1), two(2);
  const std::vector<float> x = ramp(300000);
  Dropped a = dropout(one, x, 0.5f, 5), b = dropout(one, x, 0.5f, 5), c = dropout(one, x, 0.5f, 6);
  Dropped threaded = dropout(two, x, 0.5f, 5);
  CHECK(a.mask == b.mask);
  CHECK(a.mask != c.mask);
  CHECK(a.mask == threaded.mask);
  CHECK(a.y == threaded.y);
}

TEST_CASE("dropout rate 0 keeps everything - rates outside 0 to 1 are errors", "[cpu][dropout]") {
  CpuBackend ops(1);
  Dropped d = dropout(ops, ramp(100), 0.0f, 1);
  for (float m : d.mask) CHECK(m == 1.0f);
  CHECK(d.y == ramp(100));
  CHECK_THROWS_WITH(dropout(ops, ramp(10), 1.0f, 1), Catch::Contains("dropout_forward"));
  CHECK_THROWS_AS(dropout(ops, ramp(10), -0.1f, 1), std::invalid_argument);
  Tensor x = ops.allocate({2, 3}), wrong = ops.allocate({3, 2}), y = ops.allocate({2, 3});
  CHECK_THROWS_AS(ops.dropout_forward(x, 0.5f, 1, wrong, y), std::invalid_argument);
}

TEST_CASE("multiply and axpy, also in place", "[cpu][elementwise]") {
  CpuBackend ops(1);
  Tensor a = to_tensor(ops, {2, 2}, {1, 2, 3, 4}), b = to_tensor(ops, {2, 2}, {0.5f, -1, 2, 0});
  Tensor y = ops.allocate({2, 2});
  ops.multiply(a, b, y);
  CHECK(to_vector(ops, y) == std::vector<float>{0.5f, -2, 6, 0});
  ops.axpy(2.0f, a, y);
  CHECK(to_vector(ops, y) == std::vector<float>{2.5f, 2, 12, 8});
  ops.multiply(a, b, a);  // in place
  CHECK(to_vector(ops, a) == std::vector<float>{0.5f, -2, 6, 0});
  Tensor wrong = ops.allocate({4});
  CHECK_THROWS_WITH(ops.multiply(a, wrong, y), Catch::Contains("multiply"));
  CHECK_THROWS_WITH(ops.axpy(1.0f, a, wrong), Catch::Contains("axpy"));
}

}  // namespace gapscope

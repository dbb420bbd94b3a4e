// CpuBackend activations: forward against the scalar reference, backward
// against double-precision central differences of the float forward, softmax
// rows and its Jacobian-vector product, in-place use and thread splitting.
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

// Points where an activation has a kink; finite differences must stay clear.
bool near_kink(Activation a, float x, float margin) {
  auto near = [&](float k) { return std::fabs(x - k) < margin; };
  switch (a) {
    case Activation::relu: return near(0);
    case Activation::relu6: return near(0) || near(6);
    case Activation::hard_sigmoid: return near(-2.5f) || near(2.5f);
    case Activation::selu: return near(0);
    default: return false;
  }
}

std::vector<float> random_values(Rng& rng, size_t n, float low, float high) {
  std::vector<float> v(n);
  for (float& x : v) x = rng.uniform(low, high);
  return v;
}

}  // namespace

TEST_CASE("activation_forward matches the scalar reference, tails included", "[cpu][activation]") {
  CpuBackend ops(1);
  std::vector<float> xs = {-100,  -30, -14,  -5, -2.5f, -1, -1e-3f, 0,
                           1e-3f, 1,   2.5f, 6,  14,    30, 100};
  Rng rng(1);
  for (float v : random_values(rng, 1000, -8, 8)) xs.push_back(v);
  Shape shape{static_cast<int64_t>(xs.size())};
  Tensor x = to_tensor(ops, shape, xs), y = ops.allocate(shape);
  for (Activation a : all_activations()) {
    if (a == Activation::softmax) continue;
    ops.activation_forward(a, x, y);
    std::vector<float> got = to_vector(ops, y);
    for (size_t i = 0; i < xs.size(); ++i) {
      float expected = activation_value(a, xs[i]);
      INFO(activation_name(a) << "(" << xs[i] << ") = " << got[i] << ", reference " << expected);
      REQUIRE(std::isfinite(got[i]));
      CHECK(std::fabs(got[i] - expected) <= 1e-6f + 4e-6f * std::fabs(expected));
    }
  }
}

TEST_CASE("activation_backward at kinks and tails equals the scalar derivative",
          "[cpu][activation]") {
  CpuBackend ops(1);
  std::vector<float> xs = {-100, -2.5f, 0, 2.5f, 6, 100};
  Shape shape{static_cast<int64_t>(xs.size())};
  Tensor x = to_tensor(ops, shape, xs), y = ops.allocate(shape), dx = ops.allocate(shape);
  Tensor dy = to_tensor(ops, shape, std::vector<float>(xs.size(), 1.0f));
  for (Activation a : all_activations()) {
    if (a == Activation::softmax) continue;
    ops.activation_forward(a, x, y);
    ops.activation_backward(a, x, y, dy, dx);
    std::vector<float> yv = to_vector(ops, y), got = to_vector(ops, dx);
    for (size_t i = 0; i < xs.size(); ++i) {
      float expected = activation_derivative(a, xs[i], yv[i]);
      INFO(activation_name(a) << "'(" << xs[i] << ") = " << got[i] << ", reference " << expected);
      REQUIRE(std::isfinite(got[i]));
      CHECK(std::fabs(got[i] - expected) <= 1e-6f + 1e-5f * std::fabs(expected));
    }
  }
}

TEST_CASE("activation_backward matches central differences", "[cpu][activation][gradient]") {
  CpuBackend ops(1);
  Rng rng(7);
  const size_t n = 600;
  const float h = 1e-3f;
  Shape shape{20, 30};
  for (Activation a : all_activations()) {
    if (a == Activation::softmax) continue;
    std::vector<float> xv;
    while (xv.size() < n) {
      float v = rng.uniform(-4.5f, 4.5f) + (a == Activation::relu6 ? 3.0f : 0.0f);
      if (!near_kink(a, v, 1e-2f)) xv.push_back(v);
    }
    std::vector<float> dyv = random_values(rng, n, -1, 1);
    std::vector<float> up(xv), down(xv);
    for (size_t i = 0; i < n; ++i) up[i] += h, down[i] -= h;
    Tensor x = to_tensor(ops, shape, xv), dy = to_tensor(ops, shape, dyv);
    Tensor y = ops.allocate(shape), dx = ops.allocate(shape);
    ops.activation_forward(a, x, y);
    ops.activation_backward(a, x, y, dy, dx);
    std::vector<float> analytic = to_vector(ops, dx);
    // Every element is perturbed at once: element-wise functions do not mix them.
    Tensor xu = to_tensor(ops, shape, up), xd = to_tensor(ops, shape, down);
    Tensor yu = ops.allocate(shape), yd = ops.allocate(shape);
    ops.activation_forward(a, xu, yu);
    ops.activation_forward(a, xd, yd);
    std::vector<float> yup = to_vector(ops, yu), ydown = to_vector(ops, yd);
    double worst = 0;
    for (size_t i = 0; i < n; ++i) {
      double step = static_cast<double>(up[i]) - down[i];  // the step floats really took
      double numeric = dyv[i] * ((static_cast<double>(yup[i]) - ydown[i]) / step);
      double error = std::fabs(numeric - analytic[i]) / std::max(1.0, std::fabs(numeric));
      worst = std::max(worst, error);
    }
    INFO(activation_name(a) << ": worst relative error " << worst);
    CHECK(worst < 1e-3);
  }
}

TEST_CASE("softmax rows sum to 1 and stay finite for huge logits", "[cpu][activation][softmax]") {
  CpuBackend ops(1);
  std::vector<float> xv = {1, 2, 3, 4, -100, 0, 100, 50, 1000, 1000, -1000, 0, 0, 0, 0, 0};
  Tensor x = to_tensor(ops, {4, 4}, xv), y = ops.allocate({4, 4});
  ops.activation_forward(Activation::softmax, x, y);
  std::vector<float> yv = to_vector(ops, y);
  for (int r = 0; r < 4; ++r) {
    double sum = 0, max = -1e30;
    for (int c = 0; c < 4; ++c) max = std::max(max, static_cast<double>(xv[r * 4 + c]));
    for (int c = 0; c < 4; ++c) sum += std::exp(xv[r * 4 + c] - max);
    double total = 0;
    for (int c = 0; c < 4; ++c) {
      float p = yv[r * 4 + c];
      REQUIRE(std::isfinite(p));
      CHECK(p == Approx(std::exp(xv[r * 4 + c] - max) / sum).margin(1e-7).epsilon(1e-6));
      total += p;
    }
    CHECK(total == Approx(1.0).margin(1e-6));
  }
  CHECK(yv[2 * 4 + 0] == Approx(0.5f));
  CHECK(yv[3 * 4 + 1] == Approx(0.25f));
}

TEST_CASE("softmax backward is the Jacobian-vector product",
          "[cpu][activation][softmax][gradient]") {
  CpuBackend ops(1);
  Rng rng(11);
  const int64_t rows = 3, cols = 6;
  const size_t n = rows * cols;
  std::vector<float> xv = random_values(rng, n, -3, 3), dyv = random_values(rng, n, -1, 1);
  Tensor x = to_tensor(ops, {rows, cols}, xv), dy = to_tensor(ops, {rows, cols}, dyv);
  Tensor y = ops.allocate({rows, cols}), dx = ops.allocate({rows, cols});
  ops.activation_forward(Activation::softmax, x, y);
  ops.activation_backward(Activation::softmax, x, y, dy, dx);
  std::vector<float> analytic = to_vector(ops, dx);
  // L = sum(dy * softmax(x)); perturb one logit at a time (softmax mixes a row).
  auto loss = [&](const std::vector<float>& values) {
    Tensor xt = to_tensor(ops, {rows, cols}, values), yt = ops.allocate({rows, cols});
    ops.activation_forward(Activation::softmax, xt, yt);
    std::vector<float> yv = to_vector(ops, yt);
    double s = 0;
    for (size_t i = 0; i < n; ++i) s += static_cast<double>(dyv[i]) * yv[i];
    return s;
  };
  const float h = 1e-3f;
  for (size_t i = 0; i < n; ++i) {
    std::vector<float> up(xv), down(xv);
    up[i] += h;
    down[i] -= h;
    double numeric = (loss(up) - loss(down)) / (static_cast<double>(up[i]) - down[i]);
    INFO("logit " << i);
    CHECK(analytic[i] == Approx(numeric).margin(2e-5).epsilon(1e-3));
  }
}

TEST_CASE("activations work in place", "[cpu][activation]") {
  CpuBackend ops(1);
  Rng rng(3);
  std::vector<float> xv = random_values(rng, 64, -4, 4), dyv = random_values(rng, 64, -1, 1);
  for (Activation a : all_activations()) {
    INFO(activation_name(a));
    Tensor x = to_tensor(ops, {8, 8}, xv), y = ops.allocate({8, 8}), dx = ops.allocate({8, 8});
    Tensor dy = to_tensor(ops, {8, 8}, dyv);
    ops.activation_forward(a, x, y);
    ops.activation_backward(a, x, y, dy, dx);
    Tensor inplace = to_tensor(ops, {8, 8}, xv);
    ops.activation_forward(a, inplace, inplace);
    CHECK(to_vector(ops, inplace) == to_vector(ops, y));
    ops.activation_backward(a, x, y, dy, dy);  // dx aliases dy
    CHECK(to_vector(ops, dy) == to_vector(ops, dx));
  }
}

TEST_CASE("activations give the same bits on 1 and 2 threads", "[cpu][activation][threads]") {
  CpuBackend one(1), two(2);
  Rng rng(5);
  const Shape shape{300, 1000};  // large enough to be split
  std::vector<float> xv = random_values(rng, 300000, -6, 6),
                     dyv = random_values(rng, 300000, -1, 1);
  for (Activation a : {Activation::relu, Activation::tanh, Activation::softmax, Activation::gelu}) {
    INFO(activation_name(a));
    std::vector<float> results[2][2];
    CpuBackend* backends[2] = {&one, &two};
    for (int b = 0; b < 2; ++b) {
      OpsBackend& ops = *backends[b];
      Tensor x = to_tensor(ops, shape, xv), dy = to_tensor(ops, shape, dyv);
      Tensor y = ops.allocate(shape), dx = ops.allocate(shape);
      ops.activation_forward(a, x, y);
      ops.activation_backward(a, x, y, dy, dx);
      results[b][0] = to_vector(ops, y);
      results[b][1] = to_vector(ops, dx);
    }
    CHECK(results[0][0] == results[1][0]);
    CHECK(results[0][1] == results[1][1]);
  }
}

TEST_CASE("activation shape mismatches are errors naming the op", "[cpu][activation]") {
  CpuBackend ops(1);
  Tensor x = ops.allocate({2, 3}), wrong = ops.allocate({3, 2}), y = ops.allocate({2, 3});
  CHECK_THROWS_WITH(ops.activation_forward(Activation::relu, x, wrong),
                    Catch::Contains("activation_forward"));
  CHECK_THROWS_AS(ops.activation_backward(Activation::relu, x, y, wrong, y), std::invalid_argument);
}

}  // namespace gapscope

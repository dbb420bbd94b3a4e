// layer_normalization on the CPU: finite-difference gradients over ranks 1 to
// 3, with and without center and scale; forward values worked out by hand;
// the initializers; training and inference agree; threads change nothing.
#include <catch2/catch.hpp>

#include <cmath>

#include "core/base/random.h"
#include "core/nn/layer.h"
#include "core/ops/cpu/cpu_backend.h"
#include "tests/core/nn/gradient_check.h"

namespace gapscope {
namespace {

using testing::gradient_check;
using testing::host;

LayerSpec layer_norm(bool center = true, bool scale = true) {
  LayerSpec spec;
  spec.type = "layer_normalization";
  spec.name = "layer_normalization_1";
  spec.center = center;
  spec.scale = scale;
  return spec;
}

// The forward output of `spec` for a batch x of per-sample shape `in`.
std::vector<float> forward(OpsBackend& ops, const LayerSpec& spec, const Shape& in, const std::vector<float>& x,
                           bool training = false) {
  auto layer = make_layer(spec, in, ops);
  const int64_t batch = static_cast<int64_t>(x.size()) / element_count(in);
  layer->reserve(ops, batch);
  Shape batched{batch};
  batched.insert(batched.end(), in.begin(), in.end());
  Tensor t = ops.allocate(batched);
  ops.upload(t, x);
  return host(ops, layer->forward(ops, t, {training, 0}));
}

}  // namespace

TEST_CASE("layer_normalization gradients match finite differences, any rank, with and without center and scale",
          "[layer][gradient][layer_normalization]") {
  gradient_check(layer_norm(), 3, {6}, 600);
  gradient_check(layer_norm(), 2, {4, 5}, 601);     // a sequence: each step normalised on its own
  gradient_check(layer_norm(), 2, {3, 2, 5}, 602);  // an image: each pixel over its channels
  gradient_check(layer_norm(false, true), 2, {4, 5}, 603);
  gradient_check(layer_norm(true, false), 2, {4, 5}, 604);
  gradient_check(layer_norm(false, false), 2, {4, 5}, 605);
  gradient_check(layer_norm(), 4, {1, 2}, 606);  // two features: the smallest row with a variance
}

TEST_CASE("layer_normalization normalises each position over its features", "[layer][layer_normalization]") {
  CpuBackend ops(1);
  // Rows [1, 2, 3, 4] (mean 2.5, variance 1.25) and [5, 5, 5, 5] (variance 0).
  const std::vector<float> y = forward(ops, layer_norm(), {2, 4}, {1, 2, 3, 4, 5, 5, 5, 5});
  const double inv = 1.0 / std::sqrt(1.25 + 0.001);
  for (int c = 0; c < 4; ++c) {
    CHECK(y[c] == Approx((c + 1 - 2.5) * inv).epsilon(1e-6));
    CHECK(y[4 + c] == 0.0f);  // a constant row is all mean: epsilon keeps it finite
  }
  // The same numbers whether one row per sample or several.
  const std::vector<float> per_sample = forward(ops, layer_norm(), {4}, {1, 2, 3, 4, 5, 5, 5, 5});
  CHECK(per_sample == y);
  // Training and inference compute the same (no moving statistics).
  CHECK(forward(ops, layer_norm(), {2, 4}, {1, 2, 3, 4, 5, 5, 5, 5}, true) == y);
}

TEST_CASE("layer_normalization applies gamma and beta per feature, from their initializers",
          "[layer][layer_normalization]") {
  CpuBackend ops(1);
  LayerSpec spec = layer_norm();
  spec.gamma_initializer = Initializer{.kind = Initializer::Kind::constant, .value = 2};
  spec.beta_initializer = Initializer{.kind = Initializer::Kind::constant, .value = -1};
  auto layer = make_layer(spec, Shape{3}, ops);
  REQUIRE(layer->parameters().size() == 2);
  CHECK(layer->parameters()[0]->name == "layer_normalization_1/gamma");
  CHECK(layer->parameters()[1]->name == "layer_normalization_1/beta");
  // As built, before initialize(): gamma 1, beta 0.
  CHECK(host(ops, layer->parameters()[0]->value) == std::vector<float>{1, 1, 1});
  CHECK(host(ops, layer->parameters()[1]->value) == std::vector<float>{0, 0, 0});
  Rng rng(1);
  layer->initialize(ops, rng);
  CHECK(host(ops, layer->parameters()[0]->value) == std::vector<float>{2, 2, 2});
  CHECK(host(ops, layer->parameters()[1]->value) == std::vector<float>{-1, -1, -1});
  ops.upload(layer->parameters()[0]->value, std::vector<float>{1, 2, 3});
  layer->reserve(ops, 1);
  Tensor x = ops.allocate({1, 3});
  ops.upload(x, std::vector<float>{0, 3, 6});  // mean 3, variance 6: xhat = [-1, 0, 1] * 3 / sqrt(6 + eps)
  const std::vector<float> y = host(ops, layer->forward(ops, x, {}));
  const double s = 3 / std::sqrt(6.0 + 0.001);
  CHECK(y[0] == Approx(-1 * s * 1 - 1).epsilon(1e-6));
  CHECK(y[1] == Approx(-1).epsilon(1e-6));
  CHECK(y[2] == Approx(1 * s * 3 - 1).epsilon(1e-6));

  // Without center and scale: no weights, and the initializers are not drawn.
  LayerSpec bare = layer_norm(false, false);
  bare.gamma_initializer = Initializer::random_normal;
  auto plain = make_layer(bare, Shape{3}, ops);
  CHECK(plain->parameters().empty());
  plain->initialize(ops, rng);
  plain->reserve(ops, 1);
  const std::vector<float> unscaled = host(ops, plain->forward(ops, x, {}));
  CHECK(unscaled[0] == Approx(-s).epsilon(1e-6));
  CHECK(unscaled[2] == Approx(s).epsilon(1e-6));
}

TEST_CASE("layer_normalization on several threads gives the one-thread values", "[layer][layer_normalization]") {
  // 600 positions of 96 features: the rows and the gamma/beta sums split over threads.
  const Shape in{30, 96};
  const int64_t batch = 20, n = batch * element_count(in);
  Rng rng(9);
  std::vector<float> x(static_cast<size_t>(n)), dy(static_cast<size_t>(n));
  for (float& v : x) v = rng.uniform(-3.0f, 5.0f);
  for (float& v : dy) v = rng.uniform(-1.0f, 1.0f);
  auto run = [&](CpuBackend& ops) {
    auto layer = make_layer(layer_norm(), in, ops);
    layer->reserve(ops, batch);
    Tensor xt = ops.allocate({batch, 30, 96}), dyt = ops.allocate({batch, 30, 96});
    ops.upload(xt, x);
    ops.upload(dyt, dy);
    std::vector<std::vector<float>> out = {host(ops, layer->forward(ops, xt, {true, 0}))};
    out.push_back(host(ops, layer->backward(ops, xt, dyt, true)));
    for (Parameter* p : layer->parameters()) out.push_back(host(ops, p->grad));
    return out;
  };
  CpuBackend one(1), four(4);
  const auto a = run(one), b = run(four);
  REQUIRE(a.size() == 4);
  for (size_t k = 0; k < a.size(); ++k) {
    INFO("output " << k);
    for (size_t i = 0; i < a[k].size(); ++i) REQUIRE(b[k][i] == Approx(a[k][i]).epsilon(1e-5).margin(1e-6));
  }
}

}  // namespace gapscope

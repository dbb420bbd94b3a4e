// relu's options, leaky_relu, up_sampling2d, dilated conv2d, batch norm
// without center or scale, and the maximum merge: finite-difference gradient
// checks and forward values worked out by hand.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "core/base/initializer.h"
#include "core/base/random.h"
#include "core/nn/layer.h"
#include "core/nn/model.h"
#include "core/ops/cpu/cpu_backend.h"
#include "tests/core/nn/gradient_check.h"

namespace gapscope {
namespace {

using testing::forward_one;
using testing::gradient_check;

LayerSpec relu(float slope, float threshold, float cap) {
  LayerSpec spec;
  spec.type = "relu";
  spec.negative_slope = slope;
  spec.threshold = threshold;
  spec.max_value = cap;
  return spec;
}

// Keeps x away from the kinks (finite differences across one are meaningless).
void away_from(std::vector<float>& x, std::initializer_list<float> kinks) {
  for (float& v : x)
    for (float k : kinks)
      if (std::abs(v - k) < 0.05f) v = k + 0.1f;
}

}  // namespace

TEST_CASE("relu with Keras's options and leaky_relu: values and gradients", "[layer][gradient]") {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  // slope 0.1 below threshold 1, capped at 3: f(0) = 0.1 * (0 - 1); f(1) = 0 (Keras: at the threshold, the slope side).
  CHECK(forward_one(relu(0.1f, 1.0f, 3.0f), {5}, {0, 1, 2, 3, 5}) ==
        std::vector<float>{0.1f * -1.0f, 0, 2, 3, 3});
  CHECK(forward_one(relu(0.0f, 0.0f, 6.0f), {4}, {-1, 3, 7, 6}) == std::vector<float>{0, 3, 6, 6});
  CHECK(forward_one(relu(0.0f, 0.0f, nan), {3}, {-1, 3, 700}) == std::vector<float>{0, 3, 700});
  LayerSpec leaky;
  leaky.type = "leaky_relu";
  leaky.negative_slope = 0.3f;
  CHECK(forward_one(leaky, {3}, {-2, 0, 4}) == std::vector<float>{-0.3f * 2, 0, 4});
  gradient_check(relu(0.1f, 1.0f, 3.0f), 2, {3, 5}, 600, -3.0f, 5.0f, true,
                 [](std::vector<float>& x) { away_from(x, {1.0f, 3.0f}); });
  gradient_check(relu(0.25f, -0.5f, nan), 2, {7}, 601, -3.0f, 3.0f, true,
                 [](std::vector<float>& x) { away_from(x, {-0.5f}); });
  gradient_check(leaky, 2, {2, 3, 2}, 602, -2.0f, 2.0f, true, [](std::vector<float>& x) { away_from(x, {0.0f}); });
}

TEST_CASE("up_sampling2d repeats each pixel over its block; its gradient sums the block", "[layer][gradient][cnn]") {
  LayerSpec spec;
  spec.type = "up_sampling2d";
  spec.upsampling_size = {2, 3};
  // A 2x1 image of 2 channels -> 4x3.
  CHECK(forward_one(spec, {2, 1, 2}, {1, -1, 2, -2}) ==
        std::vector<float>{1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 2, -2, 2, -2, 2, -2, 2, -2, 2, -2, 2, -2});
  gradient_check(spec, 2, {3, 2, 3}, 610);
  spec.upsampling_size = {1, 2};
  gradient_check(spec, 3, {2, 4, 1}, 611);
}

TEST_CASE("conv2d with dilation_rate: TF's sizes, spread taps and gradients", "[layer][gradient][cnn]") {
  LayerSpec spec;
  spec.type = "conv2d";
  spec.filters = 1;
  spec.kernel_size = {2, 2};
  spec.dilation_rate = {2, 2};
  spec.use_bias = false;
  // Kernel of ones over a 3x3 image 1..9, dilation 2, valid: one output, the four corners.
  CpuBackend ops(1);
  spec.name = "dilated";
  auto layer = make_layer(spec, Shape{3, 3, 1}, ops);
  CHECK(layer->output_shape() == Shape{1, 1, 1});
  layer->reserve(ops, 1);
  ops.fill(layer->parameters()[0]->value, 1.0f);
  Tensor x = ops.allocate({1, 3, 3, 1});
  ops.upload(x, std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8, 9});
  CHECK(testing::host(ops, layer->forward(ops, x, {})) == std::vector<float>{1 + 3 + 7 + 9});
  for (const auto& [kernel, dilation, padding] :
       {std::tuple{std::vector<int64_t>{3, 3}, std::vector<int64_t>{2, 2}, Padding::same},
        std::tuple{std::vector<int64_t>{2, 3}, std::vector<int64_t>{3, 1}, Padding::valid},
        std::tuple{std::vector<int64_t>{3, 2}, std::vector<int64_t>{1, 2}, Padding::same}}) {
    LayerSpec c;
    c.type = "conv2d";
    c.filters = 2;
    c.kernel_size = kernel;
    c.dilation_rate = dilation;
    c.padding = padding;
    c.activation = Activation::tanh;
    INFO("kernel " << shape_to_string(kernel) << " dilation " << shape_to_string(dilation));
    gradient_check(c, 2, {7, 6, 2}, 620 + static_cast<uint64_t>(kernel[1]));
  }
}

TEST_CASE("batch_normalization without center or scale: no beta / gamma weight, gradients of the rest",
          "[layer][gradient]") {
  for (const auto& [center, scale] : {std::pair{false, true}, std::pair{true, false}, std::pair{false, false}}) {
    LayerSpec spec;
    spec.type = "batch_normalization";
    spec.center = center;
    spec.scale = scale;
    spec.name = "bn";
    CpuBackend ops(1);
    auto layer = make_layer(spec, Shape{4}, ops);
    std::vector<std::string> names;
    for (Parameter* p : layer->parameters()) names.push_back(p->name);
    std::vector<std::string> expected;
    if (scale) expected.push_back("bn/gamma");
    if (center) expected.push_back("bn/beta");
    expected.insert(expected.end(), {"bn/moving_mean", "bn/moving_variance"});
    CHECK(names == expected);
    INFO("center " << center << " scale " << scale);
    gradient_check(spec, 5, {3}, 630 + center * 2 + scale);
  }
  // Its weights start as their initializers say (Keras's defaults: 1, 0, 0, 1).
  LayerSpec spec;
  spec.type = "batch_normalization";
  spec.name = "bn";
  spec.gamma_initializer.kind = spec.moving_variance_initializer.kind = Initializer::Kind::constant;
  spec.gamma_initializer.value = 0.5;
  spec.moving_variance_initializer.value = 2.0;
  CpuBackend ops(1);
  auto layer = make_layer(spec, Shape{2}, ops);
  Rng rng(1);
  layer->initialize(ops, rng);
  std::vector<std::vector<float>> values;
  for (Parameter* p : layer->parameters()) values.push_back(testing::host(ops, p->value));
  CHECK(values == std::vector<std::vector<float>>{{0.5f, 0.5f}, {0, 0}, {0, 0}, {2, 2}});
}

TEST_CASE("maximum merge: the element-wise max; each gradient goes to the first input holding it",
          "[model][graph][gradient]") {
  CpuBackend ops(1);
  Model model(parse_model_spec(nlohmann::json::parse(R"({"format": "gapscope.model/2", "name": "max", "input": {"shape": [4]},
    "layers": [
      {"type": "dense", "name": "d", "units": 4, "use_bias": false, "kernel_initializer": "identity"},
      {"type": "maximum", "name": "out", "inputs": ["input", "d", "input"]}],
    "loss": "mean_squared_error"})")),
              ops, 1);
  std::vector<float> out(4);
  model.predict(std::vector<float>{3.0f, -2.0f, 0.0f, 5.0f}, 1, out);
  CHECK(out == std::vector<float>{3.0f, -2.0f, 0.0f, 5.0f});
}

}  // namespace gapscope

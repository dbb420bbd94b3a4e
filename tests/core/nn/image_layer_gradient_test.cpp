// The layers of today's vision models besides conv2d: depthwise and separable convolution,
// zero padding, cropping, global pooling, and relu / softmax as layers.
// Finite-difference gradient checks, and forward values worked out by hand.
#include <catch2/catch.hpp>

#include "core/nn/layer.h"
#include "core/ops/cpu/cpu_backend.h"
#include "tests/core/nn/gradient_check.h"

namespace gapscope {
namespace {

using testing::distinct_values;
using testing::forward_one;
using testing::gradient_check;

LayerSpec layer_of(const char* type, std::vector<int64_t> margins = {}) {
  LayerSpec spec;
  spec.type = type;
  spec.margins = std::move(margins);
  return spec;
}


}  // namespace

TEST_CASE("zero_padding2d and cropping2d gradients, symmetric and uneven margins", "[layer][gradient][cnn]") {
  for (const std::vector<int64_t>& m : {std::vector<int64_t>{1, 1, 1, 1}, {0, 2, 1, 0}, {2, 0, 0, 3}}) {
    INFO("margins " << shape_to_string(m));
    gradient_check(layer_of("zero_padding2d", m), 2, {3, 4, 2}, 500);
    gradient_check(layer_of("cropping2d", m), 2, {6, 7, 3}, 501);
  }
}

TEST_CASE("zero_padding2d surrounds the image with zeros; cropping2d cuts the same block out", "[layer][cnn]") {
  // A 2x2 image of 1 channel: [[1, 2], [3, 4]], padded top 1, bottom 0, left 0, right 1.
  const std::vector<float> padded = forward_one(layer_of("zero_padding2d", {1, 0, 0, 1}), {2, 2, 1}, {1, 2, 3, 4});
  CHECK(padded == std::vector<float>{0, 0, 0, 1, 2, 0, 3, 4, 0});
  CHECK(forward_one(layer_of("cropping2d", {1, 0, 0, 1}), {3, 3, 1}, padded) == std::vector<float>{1, 2, 3, 4});
  // Channels stay together: a 1x1 image of 2 channels, padded by 1 all round.
  const std::vector<float> two = forward_one(layer_of("zero_padding2d", {1, 1, 1, 1}), {1, 1, 2}, {5, 6});
  CHECK(two.size() == 18);
  CHECK(two[8] == 5);
  CHECK(two[9] == 6);
}

TEST_CASE("global pooling gradients and values: the mean and max of each channel", "[layer][gradient][cnn]") {
  gradient_check(layer_of("global_average_pooling2d"), 3, {4, 5, 2}, 510);
  gradient_check(layer_of("global_max_pooling2d"), 3, {4, 5, 2}, 511, -2.0f, 2.0f, true, distinct_values);
  const std::vector<float> x = {1, -1, 2, -2, 3, -3, 6, -6};  // 2x2 image, 2 channels
  CHECK(forward_one(layer_of("global_average_pooling2d"), {2, 2, 2}, x) == std::vector<float>{3, -3});
  CHECK(forward_one(layer_of("global_max_pooling2d"), {2, 2, 2}, x) == std::vector<float>{6, -1});
}

TEST_CASE("relu and softmax layers: the activations, as layers", "[layer][gradient]") {
  LayerSpec relu6 = layer_of("relu");
  relu6.max_value = 6.0f;
  CHECK(forward_one(relu6, {4}, {-1, 3, 7, 6}) == std::vector<float>{0, 3, 6, 6});
  CHECK(forward_one(layer_of("relu"), {3}, {-1, 3, 7}) == std::vector<float>{0, 3, 7});
  gradient_check(relu6, 2, {5}, 520, -8.0f, 8.0f);
  gradient_check(layer_of("softmax"), 2, {3, 4}, 521);
  const std::vector<float> p = forward_one(layer_of("softmax"), {2}, {0.0f, std::log(3.0f)});
  CHECK(p[0] == Approx(0.25));
  CHECK(p[1] == Approx(0.75));
}

TEST_CASE("depthwise_conv2d gradients: multipliers 1 and 2, strides, both paddings, bias and activation",
          "[layer][gradient][cnn]") {
  struct Case {
    int64_t multiplier;
    std::vector<int64_t> kernel, strides;
    Padding padding;
    Activation activation;
    bool bias;
  };
  for (const Case& c : {Case{1, {3, 3}, {1, 1}, Padding::same, Activation::linear, true},
                        Case{2, {3, 2}, {2, 1}, Padding::valid, Activation::tanh, true},
                        Case{1, {3, 3}, {2, 2}, Padding::same, Activation::linear, false},
                        Case{3, {1, 1}, {1, 1}, Padding::valid, Activation::sigmoid, true}}) {
    LayerSpec spec = layer_of("depthwise_conv2d");
    spec.depth_multiplier = c.multiplier;
    spec.kernel_size = c.kernel;
    spec.strides = c.strides;
    spec.padding = c.padding;
    spec.activation = c.activation;
    spec.use_bias = c.bias;
    INFO("multiplier " << c.multiplier << " kernel " << shape_to_string(c.kernel) << " strides "
                       << shape_to_string(c.strides));
    gradient_check(spec, 2, {5, 6, 3}, 530 + static_cast<uint64_t>(c.multiplier));
  }
}

TEST_CASE("depthwise_conv2d filters each channel with its own kernels", "[layer][cnn]") {
  // A 2x2 image of 2 channels, a 2x2 kernel, multiplier 2, valid: one output pixel of 4 values.
  CpuBackend ops(1);
  LayerSpec spec = layer_of("depthwise_conv2d");
  spec.name = "dw";
  spec.kernel_size = {2, 2};
  spec.strides = {1, 1};
  spec.depth_multiplier = 2;
  spec.use_bias = false;
  auto layer = make_layer(spec, Shape{2, 2, 2}, ops);
  layer->reserve(ops, 1);
  // kernel [i, j, c, m]: channel 0 sums its taps (m 0) or takes tap (0, 0) (m 1); channel 1 doubles tap (1, 1).
  std::vector<float> kernel(16, 0.0f);
  for (int t = 0; t < 4; ++t) kernel[static_cast<size_t>(t * 4 + 0)] = 1.0f;
  kernel[1] = 1.0f;
  kernel[static_cast<size_t>(3 * 4 + 2)] = 2.0f;
  ops.upload(layer->parameters()[0]->value, kernel);
  Tensor x = ops.allocate({1, 2, 2, 2});
  ops.upload(x, std::vector<float>{1, 10, 2, 20, 3, 30, 4, 40});  // (pixel, channel)
  CHECK(testing::host(ops, layer->forward(ops, x, {})) == std::vector<float>{10, 1, 80, 0});
}

TEST_CASE("separable_conv2d gradients: the depthwise and the pointwise kernels and the bias", "[layer][gradient][cnn]") {
  LayerSpec spec = layer_of("separable_conv2d");
  spec.filters = 4;
  spec.kernel_size = {3, 3};
  spec.strides = {2, 1};
  spec.padding = Padding::same;
  spec.depth_multiplier = 2;
  spec.activation = Activation::tanh;
  gradient_check(spec, 2, {5, 6, 3}, 540);
  // Its weights in TF.js's order and names.
  CpuBackend ops(1);
  spec.name = "sep";
  auto layer = make_layer(spec, Shape{5, 6, 3}, ops);
  std::vector<std::string> names;
  for (Parameter* p : layer->parameters()) names.push_back(p->name + " " + shape_to_string(p->value.shape()));
  CHECK(names == std::vector<std::string>{"sep/depthwise_kernel [3, 3, 3, 2]", "sep/pointwise_kernel [1, 1, 6, 4]",
                                          "sep/bias [4]"});
  CHECK(layer->output_shape() == Shape{3, 6, 4});
}

}  // namespace gapscope

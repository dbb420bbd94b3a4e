// The layers of today's vision models that move or pick values: zero padding,
// cropping, global pooling, and relu / softmax as layers. Finite-difference
// gradient checks, and forward values worked out by hand.
#include <catch2/catch.hpp>

#include "core/nn/layer.h"
#include "core/ops/cpu/cpu_backend.h"
#include "tests/core/nn/gradient_check.h"

namespace gapscope {
namespace {

using testing::distinct_values;
using testing::gradient_check;

LayerSpec layer_of(const char* type, std::vector<int64_t> margins = {}) {
  LayerSpec spec;
  spec.type = type;
  spec.margins = std::move(margins);
  return spec;
}

// The forward output of `spec` for one sample x of shape `in`.
std::vector<float> forward_one(const LayerSpec& spec, const Shape& in, const std::vector<float>& x) {
  CpuBackend ops(1);
  LayerSpec named = spec;
  named.name = std::string(spec.type) + "_1";
  auto layer = make_layer(named, in, ops);
  layer->reserve(ops, 1);
  Shape batched{1};
  batched.insert(batched.end(), in.begin(), in.end());
  Tensor t = ops.allocate(batched);
  ops.upload(t, x);
  return testing::host(ops, layer->forward(ops, t, {}));
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

}  // namespace gapscope

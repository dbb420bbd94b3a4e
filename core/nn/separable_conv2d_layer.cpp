#include "core/nn/separable_conv2d_layer.h"

namespace gapscope {
namespace {

LayerSpec depthwise_part(const LayerSpec& spec) {
  LayerSpec part = spec;
  part.type = "depthwise_conv2d";
  part.use_bias = false;
  part.activation = Activation::linear;
  return part;
}

LayerSpec pointwise_part(const LayerSpec& spec) {
  LayerSpec part = spec;
  part.type = "conv2d";
  part.kernel_size = {1, 1};
  part.strides = {1, 1};
  part.padding = Padding::valid;
  part.kernel_initializer = spec.pointwise_initializer;
  return part;
}

}  // namespace

SeparableConv2dLayer::SeparableConv2dLayer(const LayerSpec& spec, const Shape& input_shape, OpsBackend& ops)
    : Layer(spec.name, input_shape, {}),
      depthwise_(depthwise_part(spec), input_shape, ops),
      pointwise_(pointwise_part(spec), depthwise_.output_shape(), ops) {
  set_output_shape(pointwise_.output_shape());
  pointwise_.parameters().front()->name = spec.name + "/pointwise_kernel";
}

std::vector<Parameter*> SeparableConv2dLayer::parameters() {
  std::vector<Parameter*> all = depthwise_.parameters();
  for (Parameter* p : pointwise_.parameters()) all.push_back(p);
  return all;
}

void SeparableConv2dLayer::initialize(OpsBackend& ops, Rng& rng) {
  depthwise_.initialize(ops, rng);
  pointwise_.initialize(ops, rng);
}

void SeparableConv2dLayer::reserve(OpsBackend& ops, int64_t max_batch) {
  depthwise_.reserve(ops, max_batch);
  pointwise_.reserve(ops, max_batch);
}

Tensor SeparableConv2dLayer::forward(OpsBackend& ops, const Tensor& x, const ForwardContext& ctx) {
  h_ = depthwise_.forward(ops, x, ctx);
  return pointwise_.forward(ops, h_, ctx);
}

Tensor SeparableConv2dLayer::backward(OpsBackend& ops, const Tensor& x, const Tensor& dy, bool need_dx) {
  return depthwise_.backward(ops, x, pointwise_.backward(ops, h_, dy, true), need_dx);
}

}  // namespace gapscope

#include "core/nn/reshape_layer.h"

#include <stdexcept>

namespace gapscope {
namespace {

const Shape& checked_output(const LayerSpec& spec, const Shape& input_shape, const Shape& output_shape) {
  bool positive = !output_shape.empty();
  for (int64_t d : output_shape) positive = positive && d >= 1;
  if (!positive || element_count(output_shape) != element_count(input_shape))
    throw std::invalid_argument("layer '" + spec.name + "': target_shape " + shape_to_string(output_shape) +
                                " must hold the " + std::to_string(element_count(input_shape)) +
                                " values of the input " + shape_to_string(input_shape));
  return output_shape;
}

}  // namespace

ReshapeLayer::ReshapeLayer(const LayerSpec& spec, const Shape& input_shape, const Shape& output_shape)
    : Layer(spec.name, input_shape, checked_output(spec, input_shape, output_shape)) {}

// x [B, input...] -> y [B, output...] (a view of x)
Tensor ReshapeLayer::forward(OpsBackend&, const Tensor& x, const ForwardContext&) {
  return x.reshaped(batched(x.dim(0), output_shape()));
}

// dy [B, output...] -> dx [B, input...] (a view of dy)
Tensor ReshapeLayer::backward(OpsBackend&, const Tensor& x, const Tensor& dy, bool need_dx) {
  if (!need_dx) return {};
  return dy.reshaped(batched(x.dim(0), input_shape()));
}

}  // namespace gapscope

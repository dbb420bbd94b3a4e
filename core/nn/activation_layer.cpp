#include "core/nn/activation_layer.h"

namespace gapscope {

ActivationLayer::ActivationLayer(const LayerSpec& spec, const Shape& input_shape)
    : Layer(spec.name, input_shape, input_shape), activation_(spec.activation) {}

void ActivationLayer::reserve(OpsBackend& ops, int64_t max_batch) {
  if (!y_.empty() && y_.dim(0) >= max_batch) return;
  y_ = ops.allocate(batched(max_batch, output_shape()));
  dx_ = ops.allocate(batched(max_batch, input_shape()));
}

// x [B, ...] -> y [B, ...]
Tensor ActivationLayer::forward(OpsBackend& ops, const Tensor& x, const ForwardContext&) {
  Tensor y = first_rows(y_, x.dim(0));
  ops.activation_forward(activation_, x, y);
  return y;
}

Tensor ActivationLayer::backward(OpsBackend& ops, const Tensor& x, const Tensor& dy, bool need_dx) {
  if (!need_dx) return {};
  Tensor dx = first_rows(dx_, x.dim(0));
  ops.activation_backward(activation_, x, first_rows(y_, x.dim(0)), dy, dx);
  return dx;
}

}  // namespace gapscope

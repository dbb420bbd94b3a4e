#include "core/nn/piecewise_linear_layer.h"

namespace gapscope {

PiecewiseLinearLayer::PiecewiseLinearLayer(const LayerSpec& spec, const Shape& input_shape, PiecewiseLinear f)
    : Layer(spec.name, input_shape, input_shape), f_(f) {}

void PiecewiseLinearLayer::reserve(OpsBackend& ops, int64_t max_batch) {
  if (!y_.empty() && y_.dim(0) >= max_batch) return;
  y_ = ops.allocate(batched(max_batch, output_shape()));
  dx_ = ops.allocate(batched(max_batch, input_shape()));
}

Tensor PiecewiseLinearLayer::forward(OpsBackend& ops, const Tensor& x, const ForwardContext&) {
  Tensor y = first_rows(y_, x.dim(0)).reshaped(x.shape());
  ops.piecewise_linear_forward(f_, x, y);
  return y;
}

Tensor PiecewiseLinearLayer::backward(OpsBackend& ops, const Tensor& x, const Tensor& dy, bool need_dx) {
  if (!need_dx) return {};
  Tensor dx = first_rows(dx_, x.dim(0)).reshaped(x.shape());
  ops.piecewise_linear_backward(f_, x, dy.reshaped(x.shape()), dx);
  return dx;
}

}  // namespace gapscope

#include "core/nn/dropout_layer.h"

#include <functional>

namespace gapscope {

DropoutLayer::DropoutLayer(const LayerSpec& spec, const Shape& input_shape)
    : Layer(spec.name, input_shape, input_shape), rate_(spec.rate) {}

void DropoutLayer::reserve(OpsBackend& ops, int64_t max_batch) {
  if (!y_.empty() && y_.dim(0) >= max_batch) return;
  Shape shape = batched(max_batch, input_shape());
  mask_ = ops.allocate(shape);
  y_ = ops.allocate(shape);
  dx_ = ops.allocate(shape);
}

Tensor DropoutLayer::forward(OpsBackend& ops, const Tensor& x, const ForwardContext& ctx) {
  mask_active_ = ctx.training && rate_ > 0.0f;
  if (!mask_active_) return x;
  int64_t batch = x.dim(0);
  // Mix the layer name in so that two dropout layers draw different masks.
  uint64_t seed = ctx.dropout_seed ^ std::hash<std::string>{}(name());
  Tensor mask = first_rows(mask_, batch), y = first_rows(y_, batch);
  ops.dropout_forward(x, rate_, seed, mask, y);
  return y;
}

Tensor DropoutLayer::backward(OpsBackend& ops, const Tensor& x, const Tensor& dy, bool need_dx) {
  if (!need_dx) return {};
  if (!mask_active_) return dy;
  Tensor dx = first_rows(dx_, x.dim(0));
  ops.multiply(dy, first_rows(mask_, x.dim(0)), dx);
  return dx;
}

}  // namespace gapscope

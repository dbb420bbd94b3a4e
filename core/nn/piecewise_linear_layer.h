// relu with Keras's options and leaky_relu: y = f(x) element-wise, f as
// OpsBackend's PiecewiseLinear (a cap, a threshold, a slope below it).
#pragma once
#include "core/nn/layer.h"

namespace gapscope {

class PiecewiseLinearLayer final : public Layer {
 public:
  PiecewiseLinearLayer(const LayerSpec& spec, const Shape& input_shape, PiecewiseLinear f);
  void reserve(OpsBackend& ops, int64_t max_batch) override;
  // x [B, ...] -> y [B, ...]
  Tensor forward(OpsBackend& ops, const Tensor& x, const ForwardContext& ctx) override;
  // dy [B, ...] -> dx = dy * f'(x)
  Tensor backward(OpsBackend& ops, const Tensor& x, const Tensor& dy, bool need_dx) override;

 private:
  PiecewiseLinear f_;
  Tensor y_, dx_;
};

}  // namespace gapscope

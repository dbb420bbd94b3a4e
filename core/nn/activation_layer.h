// activation: y = f(x) element-wise (softmax over the last axis).
#pragma once
#include "core/nn/layer.h"

namespace gapscope {

class ActivationLayer final : public Layer {
 public:
  ActivationLayer(const LayerSpec& spec, const Shape& input_shape);
  void reserve(OpsBackend& ops, int64_t max_batch) override;
  Tensor forward(OpsBackend& ops, const Tensor& x, const ForwardContext& ctx) override;
  Tensor backward(OpsBackend& ops, const Tensor& x, const Tensor& dy, bool need_dx) override;
  Activation activation() const { return activation_; }

 private:
  Activation activation_;
  Tensor y_, dx_;
};

}  // namespace gapscope

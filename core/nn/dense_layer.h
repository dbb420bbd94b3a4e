// dense: y = act(x W + b). W is [in, units] (TF.js kernel layout), b is [units].
#pragma once
#include "core/nn/layer.h"

namespace gapscope {

class DenseLayer final : public Layer {
 public:
  DenseLayer(const LayerSpec& spec, const Shape& input_shape, OpsBackend& ops);

  void reserve(OpsBackend& ops, int64_t max_batch) override;
  Tensor forward(OpsBackend& ops, const Tensor& x, const ForwardContext& ctx) override;
  Tensor backward(OpsBackend& ops, const Tensor& x, const Tensor& dy, bool need_dx) override;
  // Backward from the gradient w.r.t. the pre-activation z (fused softmax + cross-entropy).
  Tensor backward_from_preactivation(OpsBackend& ops, const Tensor& x, const Tensor& dz,
                                     bool need_dx);
  std::vector<Parameter*> parameters() override;

  Activation activation() const { return activation_; }
  Parameter& kernel() { return kernel_; }

 private:
  Activation activation_;
  bool use_bias_;
  Parameter kernel_;
  Parameter bias_;
  Tensor z_, y_, dz_, dx_;  // [max_batch, ...] buffers; y_ aliases z_ for linear
};

}  // namespace gapscope

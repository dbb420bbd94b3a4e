// dense: y = act(x W + b). W is [in, units] (TF.js kernel layout), b is [units].
// As in Keras, it acts on the last axis: x [B, ..., in] -> y [B, ..., units]
// (a dense after an RNN with return_sequences is the per-step output layer).
#pragma once
#include "core/nn/layer.h"

namespace gapscope {

class DenseLayer final : public Layer {
 public:
  DenseLayer(const LayerSpec& spec, const Shape& input_shape, OpsBackend& ops);

  void initialize(OpsBackend& ops, Rng& rng) override;
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
  Initializer kernel_initializer_, bias_initializer_;
  int64_t rows_per_sample_;  // product of the axes before the last
  Parameter kernel_;
  Parameter bias_;
  Tensor z_, y_, dz_, dx_;  // [max_batch * rows_per_sample, ...]; y_ aliases z_ for linear
};

}  // namespace gapscope

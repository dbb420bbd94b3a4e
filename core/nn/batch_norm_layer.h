// batch_normalization over the last axis (any input rank; x viewed as [R, C]),
// as TF.js 4.22: y = gamma * (x - mean) / sqrt(var + epsilon) + beta (gamma 1
// without scale, beta 0 without center).
// Training: mean and var are the batch's own (biased) moments, and the moving
// statistics follow them; inference: the moving statistics.
#pragma once
#include "core/nn/layer.h"

namespace gapscope {

class BatchNormLayer final : public Layer {
 public:
  BatchNormLayer(const LayerSpec& spec, const Shape& input_shape, OpsBackend& ops);

  // Each weight by its initializer (Keras's defaults: gamma 1, beta 0,
  // moving_mean 0, moving_variance 1). As built, before initialize(), the
  // weights hold those defaults.
  void initialize(OpsBackend& ops, Rng& rng) override;
  void reserve(OpsBackend& ops, int64_t max_batch) override;
  Tensor forward(OpsBackend& ops, const Tensor& x, const ForwardContext& ctx) override;
  // Training-mode gradients, from the moments of the last training forward.
  Tensor backward(OpsBackend& ops, const Tensor& x, const Tensor& dy, bool need_dx) override;
  // gamma (if scale), beta (if center) (trainable), moving_mean, moving_variance
  // (not trainable, no grad).
  std::vector<Parameter*> parameters() override;

 private:
  void set_initial_values(OpsBackend& ops);

  float momentum_, epsilon_;
  bool center_, scale_;
  Initializer gamma_initializer_, beta_initializer_, moving_mean_initializer_, moving_variance_initializer_;
  int64_t rows_per_sample_;  // product of the axes before the last
  Parameter gamma_, beta_, moving_mean_, moving_variance_;
  Tensor batch_mean_, batch_variance_;  // [C], from the last training forward
  Tensor y_, dx_;                       // [max_batch * rows_per_sample, C]
};

}  // namespace gapscope

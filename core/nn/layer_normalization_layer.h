// layer_normalization over the last axis (any input rank; x viewed as [R, C],
// one row per sample position), as TF.js 4.22's LayerNormalization: each row's
// own mean and biased variance, y = (x - mean) / sqrt(var + epsilon) * gamma
// + beta. The same in training and inference (no moving statistics).
#pragma once
#include "core/base/initializer.h"
#include "core/nn/layer.h"

namespace gapscope {

class LayerNormalizationLayer final : public Layer {
 public:
  LayerNormalizationLayer(const LayerSpec& spec, const Shape& input_shape, OpsBackend& ops);

  // gamma (scale) and beta (center) from their initializers, in that order.
  void initialize(OpsBackend& ops, Rng& rng) override;
  void reserve(OpsBackend& ops, int64_t max_batch) override;
  // x [B, ..., C] -> y [B, ..., C]
  Tensor forward(OpsBackend& ops, const Tensor& x, const ForwardContext& ctx) override;
  // dy [B, ..., C] -> dgamma, dbeta [C], dx [B, ..., C], from the last forward's statistics.
  Tensor backward(OpsBackend& ops, const Tensor& x, const Tensor& dy, bool need_dx) override;
  // gamma if scale, beta if center (TF.js's order).
  std::vector<Parameter*> parameters() override;

 private:
  float epsilon_;
  bool scale_, center_;
  Initializer gamma_initializer_, beta_initializer_;
  int64_t rows_per_sample_;  // product of the axes before the last
  // Both always exist: without scale gamma stays 1, without center beta stays
  // 0, and their gradients are computed but belong to no parameter.
  Parameter gamma_, beta_;
  Tensor mean_, inv_std_;  // [max_batch * rows_per_sample], from the last forward
  Tensor y_, dx_;          // [max_batch * rows_per_sample, C]
};

}  // namespace gapscope

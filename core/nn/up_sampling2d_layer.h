// up_sampling2d (nearest): each pixel repeated over an [sh, sw] block.
#pragma once
#include "core/nn/layer.h"

namespace gapscope {

class UpSampling2dLayer final : public Layer {
 public:
  UpSampling2dLayer(const LayerSpec& spec, const Shape& input_shape);
  void reserve(OpsBackend& ops, int64_t max_batch) override;
  // x [B, H, W, C] -> y [B, H*sh, W*sw, C]
  Tensor forward(OpsBackend& ops, const Tensor& x, const ForwardContext& ctx) override;
  // dy [B, H*sh, W*sw, C] -> dx [B, H, W, C], the sum over each block
  Tensor backward(OpsBackend& ops, const Tensor& x, const Tensor& dy, bool need_dx) override;

 private:
  int64_t sh_, sw_;
  Tensor y_, dx_;
};

}  // namespace gapscope

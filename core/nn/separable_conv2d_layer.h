// separable_conv2d, as Keras/TF.js SeparableConv2D: a depthwise convolution
// (no bias, no activation) then a 1x1 convolution with the bias and the
// activation. x [B, H, W, C] -> h [B, OH, OW, C*M] -> y [B, OH, OW, filters];
// weights "depthwise_kernel" [kh, kw, C, M], "pointwise_kernel" [1, 1, C*M,
// filters], "bias" [filters], in that order (TF.js's).
#pragma once
#include "core/nn/conv2d_layer.h"
#include "core/nn/depthwise_conv2d_layer.h"

namespace gapscope {

class SeparableConv2dLayer final : public Layer {
 public:
  SeparableConv2dLayer(const LayerSpec& spec, const Shape& input_shape, OpsBackend& ops);

  void initialize(OpsBackend& ops, Rng& rng) override;
  void reserve(OpsBackend& ops, int64_t max_batch) override;
  Tensor forward(OpsBackend& ops, const Tensor& x, const ForwardContext& ctx) override;
  Tensor backward(OpsBackend& ops, const Tensor& x, const Tensor& dy, bool need_dx) override;
  std::vector<Parameter*> parameters() override;

 private:
  DepthwiseConv2dLayer depthwise_;
  Conv2dLayer pointwise_;
  Tensor h_;  // the depthwise output of the last forward
};

}  // namespace gapscope

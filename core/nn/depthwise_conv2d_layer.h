// depthwise_conv2d: y = act(depthwise(x, K) + b) over channels-last images, as
// Keras/TF.js DepthwiseConv2D: each input channel c has its own
// depth_multiplier (M) filters. x [B, H, W, C] -> y [B, OH, OW, C*M];
// K "depthwise_kernel" [kh, kw, C, M], b [C*M]. Direct kernels
// (OpsBackend::depthwise_conv_*), no im2col.
#pragma once
#include "core/nn/layer.h"

namespace gapscope {

class DepthwiseConv2dLayer final : public Layer {
 public:
  DepthwiseConv2dLayer(const LayerSpec& spec, const Shape& input_shape, OpsBackend& ops);

  void initialize(OpsBackend& ops, Rng& rng) override;
  void reserve(OpsBackend& ops, int64_t max_batch) override;
  Tensor forward(OpsBackend& ops, const Tensor& x, const ForwardContext& ctx) override;
  Tensor backward(OpsBackend& ops, const Tensor& x, const Tensor& dy, bool need_dx) override;
  std::vector<Parameter*> parameters() override;

 private:
  int64_t output_columns() const { return output_shape().back(); }  // C*M
  int64_t output_rows(int64_t batch) const { return batch * geometry_.out_h * geometry_.out_w; }

  Activation activation_;
  bool use_bias_;
  Initializer kernel_initializer_, bias_initializer_;
  WindowGeometry geometry_;
  Parameter kernel_, bias_;
  Tensor z_, y_, dz_, dx_;  // z_, y_, dz_ [max_batch, OH, OW, C*M] (y_ is z_ for linear); dx_ [max_batch, H, W, C]
};

}  // namespace gapscope

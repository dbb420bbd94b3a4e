// dropout: in training y = x * mask, mask = (u >= rate) / (1 - rate); identity in inference.
#pragma once
#include "core/nn/layer.h"

namespace gapscope {

class DropoutLayer final : public Layer {
 public:
  DropoutLayer(const LayerSpec& spec, const Shape& input_shape);
  void reserve(OpsBackend& ops, int64_t max_batch) override;
  Tensor forward(OpsBackend& ops, const Tensor& x, const ForwardContext& ctx) override;
  Tensor backward(OpsBackend& ops, const Tensor& x, const Tensor& dy, bool need_dx) override;

 private:
  float rate_;
  bool mask_active_ = false;  // whether the last forward applied a mask
  Tensor mask_, y_, dx_;
};

}  // namespace gapscope

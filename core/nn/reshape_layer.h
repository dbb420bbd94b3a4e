// flatten and reshape: the same values under another per-sample shape
// (flatten: [prod(input)]; reshape: the spec's target_shape). Forward and
// backward are views, no data moves.
#pragma once
#include "core/nn/layer.h"

namespace gapscope {

class ReshapeLayer final : public Layer {
 public:
  // output_shape as the layer type gives it; throws std::invalid_argument
  // when it does not hold the input's element count.
  ReshapeLayer(const LayerSpec& spec, const Shape& input_shape, const Shape& output_shape);

  void reserve(OpsBackend&, int64_t) override {}
  Tensor forward(OpsBackend& ops, const Tensor& x, const ForwardContext& ctx) override;
  Tensor backward(OpsBackend& ops, const Tensor& x, const Tensor& dy, bool need_dx) override;
};

}  // namespace gapscope

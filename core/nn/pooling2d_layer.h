// max_pooling2d, average_pooling2d: the max or mean of each window of a
// channels-last image, per channel, as Keras/TF.js (average over the in-image
// taps only). x [B, H, W, C] -> y [B, OH, OW, C]; no weights.
#pragma once
#include <memory>

#include "core/nn/layer.h"

namespace gapscope {

class Pooling2dLayer final : public Layer {
 public:
  Pooling2dLayer(const LayerSpec& spec, const Shape& input_shape, PoolKind kind);
  // global_*_pooling2d: one window over the whole image, output [C].
  static std::unique_ptr<Pooling2dLayer> global(const LayerSpec& spec, const Shape& input_shape, PoolKind kind);

  void reserve(OpsBackend& ops, int64_t max_batch) override;
  Tensor forward(OpsBackend& ops, const Tensor& x, const ForwardContext& ctx) override;
  Tensor backward(OpsBackend& ops, const Tensor& x, const Tensor& dy, bool need_dx) override;

  PoolKind kind() const { return kind_; }
  const WindowGeometry& geometry() const { return geometry_; }  // batch 0

 private:
  Pooling2dLayer(const std::string& name, const Shape& input_shape, Shape output_shape, PoolKind kind,
                 const WindowGeometry& geometry);
  Shape window_output(int64_t batch) const { return {batch, geometry_.out_h, geometry_.out_w, geometry_.channels}; }

  PoolKind kind_;
  WindowGeometry geometry_;
  Tensor y_, dx_;  // [max_batch, OH, OW, C], [max_batch, H, W, C]
};

}  // namespace gapscope

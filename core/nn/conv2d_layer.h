// conv2d: y = act(conv(x, W) + b) over channels-last images, as Keras/TF.js.
// x [B, H, W, C] -> y [B, OH, OW, filters]; W is [kh, kw, C, filters] (TF.js
// kernel layout), b [filters]. Computed as im2col + GEMM: the im2col rows
// [B*OH*OW, kh*kw*C] times W viewed as [kh*kw*C, filters] is y channels-last,
// a chunk of samples at a time so that each chunk's im2col stays in L2.
// backward(x) must follow the forward of the same x (it reuses its im2col).
#pragma once
#include "core/nn/layer.h"

namespace gapscope {

class Conv2dLayer final : public Layer {
 public:
  Conv2dLayer(const LayerSpec& spec, const Shape& input_shape, OpsBackend& ops);

  void initialize(OpsBackend& ops, Rng& rng) override;
  void reserve(OpsBackend& ops, int64_t max_batch) override;
  Tensor forward(OpsBackend& ops, const Tensor& x, const ForwardContext& ctx) override;
  Tensor backward(OpsBackend& ops, const Tensor& x, const Tensor& dy, bool need_dx) override;
  std::vector<Parameter*> parameters() override;

  Activation activation() const { return activation_; }
  const WindowGeometry& geometry() const { return geometry_; }  // batch 0

 private:
  int64_t patch_size() const;   // kh * kw * C
  int64_t pixels() const;       // OH * OW
  int64_t chunk_samples(int64_t max_batch) const;
  Tensor chunk_cols(int64_t first_sample, int64_t samples) const;

  // im2col floats per chunk of samples (~1 MiB: half of a 2 MiB L2).
  static constexpr int64_t kChunkFloats = 256 * 1024;
  // Up to this many floats (64 MiB), forward keeps every chunk's cols for
  // backward's dW; beyond, backward recomputes them chunk by chunk.
  static constexpr int64_t kKeptColsFloats = 16 * 1024 * 1024;

  Activation activation_;
  bool use_bias_;
  Initializer kernel_initializer_, bias_initializer_;
  WindowGeometry geometry_;
  bool pointwise_;  // 1x1, stride 1, valid: x itself is the im2col matrix
  Parameter kernel_;
  Parameter bias_;
  int64_t chunk_ = 1;       // samples per im2col chunk
  bool keep_cols_ = false;  // cols_ holds the whole batch's im2col, not one chunk's
  int64_t cols_batch_ = 0;  // batch whose whole im2col cols_ holds, else 0
  // cols_ [(keep_cols_ ? max_batch : chunk) * OH * OW, kh*kw*C]: im2col, then dcols.
  // z_, y_, dz_ [max_batch * OH * OW, F] (y_ aliases z_ for linear); dx_ [max_batch, H, W, C].
  Tensor cols_, z_, y_, dz_, dx_;
};

}  // namespace gapscope

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
  int64_t chunk_samples(int64_t max_batch, int threads) const;
  Tensor chunk_cols(int64_t first_sample, int64_t samples) const;
  void bias_and_activation(OpsBackend& ops, int64_t first, int64_t count);

  // im2col floats per chunk of samples and thread (~1 MiB: half of a 2 MiB
  // L2; the ops split each chunk over the threads).
  static constexpr int64_t kChunkFloats = 256 * 1024;
  // Forward keeps every chunk's cols for backward's dW where they are short
  // rows (a first layer's few taps: dW reads them front to back) up to
  // kKeptColsFloats (64 MiB), or where the whole batch's stay in L2 anyway.
  // Otherwise backward recomputes them chunk by chunk: im2col into L2 costs
  // less than dW reading long rows of cols back from memory, column strip
  // by column strip.
  static constexpr int64_t kKeptColsFloats = 16 * 1024 * 1024;
  static constexpr int64_t kKeptShortRow = 32;  // floats
  static constexpr int64_t kKeptInL2Floats = 2 * kChunkFloats;

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

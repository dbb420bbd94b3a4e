// Layers of two or more inputs, as Keras's merge layers: add, average,
// multiply (element-wise, all inputs one shape) and concatenate (along one
// axis). The Model calls forward_all / backward_all with every input.
#pragma once
#include <vector>

#include "core/nn/layer.h"

namespace gapscope {

class MergeLayer : public Layer {
 public:
  // xs: one [B, input_k...] per input -> y [B, output...].
  virtual Tensor forward_all(OpsBackend& ops, const std::vector<Tensor>& xs, const ForwardContext& ctx) = 0;
  // dy [B, output...] -> d loss / d xs[k], one per input, shaped as xs[k].
  // Views of the layer's buffers or of dy itself: read them before the next step.
  virtual std::vector<Tensor> backward_all(OpsBackend& ops, const std::vector<Tensor>& xs, const Tensor& dy) = 0;

  // A merge has no single input.
  Tensor forward(OpsBackend&, const Tensor&, const ForwardContext&) final;
  Tensor backward(OpsBackend&, const Tensor&, const Tensor&, bool) final;
  const std::vector<Shape>& input_shapes() const { return input_shapes_; }

 protected:
  MergeLayer(const LayerSpec& spec, std::vector<Shape> inputs, Shape output);

 private:
  std::vector<Shape> input_shapes_;
};

enum class ElementwiseMerge { add, average, multiply, maximum };

// y = x0 + x1 + ... (add), that / n (average), x0 * x1 * ... (multiply),
// max(x0, x1, ...) (maximum).
//   xs [B, S...] each -> y [B, S...]
//   add: dx_k = dy; average: dx_k = dy / n; multiply: dx_k = dy * prod_{j != k} x_j;
//   maximum: dx_k = dy where x_k is the first input equal to y, else 0
class ElementwiseMergeLayer final : public MergeLayer {
 public:
  ElementwiseMergeLayer(const LayerSpec& spec, ElementwiseMerge kind, const std::vector<Shape>& inputs);
  void reserve(OpsBackend& ops, int64_t max_batch) override;
  Tensor forward_all(OpsBackend& ops, const std::vector<Tensor>& xs, const ForwardContext& ctx) override;
  std::vector<Tensor> backward_all(OpsBackend& ops, const std::vector<Tensor>& xs, const Tensor& dy) override;

 private:
  ElementwiseMerge kind_;
  Tensor y_;
  std::vector<Tensor> dxs_;  // average: one; multiply: one per input; maximum: one more; add: none (dy itself)
};

// Concatenation along per-sample axis `axis` (0-based, without the batch axis):
//   xs [B, ..., A_k, ...] -> y [B, ..., sum A_k, ...]; dx_k = its slice of dy.
// Seen as matrices [B x prod(leading axes), A_k x prod(trailing axes)], each
// input is a block of columns of y (OpsBackend::copy_columns).
class ConcatenateLayer final : public MergeLayer {
 public:
  ConcatenateLayer(const LayerSpec& spec, int64_t axis, const std::vector<Shape>& inputs);
  void reserve(OpsBackend& ops, int64_t max_batch) override;
  Tensor forward_all(OpsBackend& ops, const std::vector<Tensor>& xs, const ForwardContext& ctx) override;
  std::vector<Tensor> backward_all(OpsBackend& ops, const std::vector<Tensor>& xs, const Tensor& dy) override;

 private:
  // Rows per sample of the matrix view, and each input's columns.
  int64_t rows_per_sample_ = 1;
  std::vector<int64_t> columns_;
  int64_t total_columns_ = 0;
  Tensor y_;
  std::vector<Tensor> dxs_;
};

}  // namespace gapscope

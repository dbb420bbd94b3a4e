// embedding (TF.js Embedding): ids -> rows of "<name>/embeddings" [input_dim,
// output_dim]. Per sample x holds ids as floats, shape [T] (any shape S works:
// y is [S..., output_dim]). Ids are not differentiable: backward gives no dx.
#pragma once
#include "core/nn/layer.h"

namespace gapscope {

class EmbeddingLayer final : public Layer {
 public:
  EmbeddingLayer(const LayerSpec& spec, const Shape& input_shape, OpsBackend& ops);

  void initialize(OpsBackend& ops, Rng& rng) override;
  void reserve(OpsBackend& ops, int64_t max_batch) override;
  Tensor forward(OpsBackend& ops, const Tensor& x, const ForwardContext& ctx) override;
  Tensor backward(OpsBackend& ops, const Tensor& x, const Tensor& dy, bool need_dx) override;
  std::vector<Parameter*> parameters() override { return {&embeddings_}; }

 private:
  Initializer initializer_;
  int64_t ids_per_sample_;
  Parameter embeddings_;
  Tensor y_;  // [max_batch * ids_per_sample, output_dim]
};

}  // namespace gapscope

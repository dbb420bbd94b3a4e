#include "core/nn/embedding_layer.h"

#include <stdexcept>
#include <string>

#include "core/base/initializer.h"

namespace gapscope {

EmbeddingLayer::EmbeddingLayer(const LayerSpec& spec, const Shape& input_shape, OpsBackend& ops)
    : Layer(spec.name, input_shape,
            [&] {
              Shape out = input_shape;
              out.push_back(spec.output_dim);
              return out;
            }()),
      initializer_(spec.kernel_initializer),
      ids_per_sample_(element_count(input_shape)) {
  if (spec.input_dim < 1 || spec.output_dim < 1)
    throw std::invalid_argument(
        "layer '" + spec.name + "': input_dim and output_dim must be >= 1, got " +
        std::to_string(spec.input_dim) + " and " + std::to_string(spec.output_dim));
  embeddings_.name = spec.name + "/embeddings";
  embeddings_.value = ops.allocate({spec.input_dim, spec.output_dim});
  embeddings_.grad = ops.allocate({spec.input_dim, spec.output_dim});
}

// Fans from the table's shape [input_dim, output_dim], as Keras.
void EmbeddingLayer::initialize(OpsBackend& ops, Rng& rng) {
  std::vector<float> values(static_cast<size_t>(embeddings_.value.size()));
  gapscope::initialize(initializer_, embeddings_.value.shape(), rng, values);
  ops.upload(embeddings_.value, values);
}

void EmbeddingLayer::reserve(OpsBackend& ops, int64_t max_batch) {
  const int64_t rows = max_batch * ids_per_sample_;
  if (!y_.empty() && y_.dim(0) >= rows) return;
  y_ = ops.allocate({rows, embeddings_.value.dim(1)});
}

// x [B, T] ids -> y [B, T, D] = table[x]
Tensor EmbeddingLayer::forward(OpsBackend& ops, const Tensor& x, const ForwardContext&) {
  const int64_t batch = x.dim(0), rows = batch * ids_per_sample_;
  reserve(ops, batch);
  Tensor y = first_rows(y_, rows);
  ops.gather_rows(embeddings_.value, x.reshaped({rows}), y);
  return y.reshaped(batched(batch, output_shape()));
}

// dy [B, T, D] -> dtable = 0, dtable[x[i]] += dy[i]; no dx
Tensor EmbeddingLayer::backward(OpsBackend& ops, const Tensor& x, const Tensor& dy, bool) {
  const int64_t rows = x.dim(0) * ids_per_sample_;
  ops.scatter_add_rows(dy.reshaped({rows, embeddings_.value.dim(1)}), x.reshaped({rows}),
                       embeddings_.grad);
  return {};
}

}  // namespace gapscope

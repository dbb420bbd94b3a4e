#include "core/nn/layer.h"

#include <stdexcept>

#include "core/nn/activation_layer.h"
#include "core/nn/batch_norm_layer.h"
#include "core/nn/conv2d_layer.h"
#include "core/nn/dense_layer.h"
#include "core/nn/dropout_layer.h"
#include "core/nn/embedding_layer.h"
#include "core/nn/gru_layer.h"
#include "core/nn/lstm_layer.h"
#include "core/nn/simple_rnn_layer.h"
#include "core/nn/pooling2d_layer.h"
#include "core/nn/reshape_layer.h"

namespace gapscope {

Shape Layer::batched(int64_t batch, const Shape& shape) {
  Shape s{batch};
  s.insert(s.end(), shape.begin(), shape.end());
  return s;
}

std::unique_ptr<Layer> make_layer(const LayerSpec& spec, const Shape& input_shape, OpsBackend& ops) {
  if (spec.type == "dense") return std::make_unique<DenseLayer>(spec, input_shape, ops);
  if (spec.type == "activation") return std::make_unique<ActivationLayer>(spec, input_shape);
  if (spec.type == "dropout") return std::make_unique<DropoutLayer>(spec, input_shape);
  if (spec.type == "embedding") return std::make_unique<EmbeddingLayer>(spec, input_shape, ops);
  if (spec.type == "simple_rnn") return std::make_unique<SimpleRnnLayer>(spec, input_shape, ops);
  if (spec.type == "lstm") return std::make_unique<LstmLayer>(spec, input_shape, ops);
  if (spec.type == "gru") return std::make_unique<GruLayer>(spec, input_shape, ops);
  if (spec.type == "conv2d") return std::make_unique<Conv2dLayer>(spec, input_shape, ops);
  if (spec.type == "max_pooling2d") return std::make_unique<Pooling2dLayer>(spec, input_shape, PoolKind::max);
  if (spec.type == "average_pooling2d")
    return std::make_unique<Pooling2dLayer>(spec, input_shape, PoolKind::average);
  if (spec.type == "flatten" || spec.type == "reshape") return std::make_unique<ReshapeLayer>(spec, input_shape);
  if (spec.type == "batch_normalization") return std::make_unique<BatchNormLayer>(spec, input_shape, ops);
  throw std::invalid_argument("layer '" + spec.name + "': no engine layer for type '" + spec.type + "'");
}

}  // namespace gapscope

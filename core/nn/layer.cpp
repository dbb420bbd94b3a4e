#include "core/nn/layer.h"

#include <stdexcept>

#include "core/nn/activation_layer.h"
#include "core/nn/dense_layer.h"
#include "core/nn/dropout_layer.h"

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
  throw std::invalid_argument("layer '" + spec.name + "': no engine layer for type '" + spec.type + "'");
}

}  // namespace gapscope

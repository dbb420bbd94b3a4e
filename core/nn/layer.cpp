#include "core/nn/layer.h"

#include <stdexcept>

#include "core/spec/layer_type.h"

namespace gapscope {

Shape Layer::batched(int64_t batch, const Shape& shape) {
  Shape s{batch};
  s.insert(s.end(), shape.begin(), shape.end());
  return s;
}

std::unique_ptr<Layer> make_layer(const LayerSpec& spec, const std::vector<Shape>& input_shapes, OpsBackend& ops) {
  const LayerType& type = layer_type_of(spec);
  if (type.is_merge()) return type.make_merge(spec, input_shapes, ops);
  return type.make(spec, input_shapes.at(0), ops);
}

}  // namespace gapscope

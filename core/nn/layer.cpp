#include "core/nn/layer.h"

#include <stdexcept>

#include "core/spec/layer_type.h"

namespace gapscope {

Shape Layer::batched(int64_t batch, const Shape& shape) {
  Shape s{batch};
  s.insert(s.end(), shape.begin(), shape.end());
  return s;
}

std::unique_ptr<Layer> make_layer(const LayerSpec& spec, const Shape& input_shape, OpsBackend& ops) {
  return layer_type_of(spec).make(spec, input_shape, ops);
}

}  // namespace gapscope

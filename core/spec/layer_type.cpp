// The parts of the layer-type interface that need only the spec: defaults of
// the interface and the rules several types share.
#include "core/spec/layer_type.h"

#include <algorithm>
#include <stdexcept>

#include "core/base/checked_math.h"
#include "core/base/json_fields.h"
#include "core/base/number_text.h"

namespace gapscope {

void LayerType::check_input(const LayerSpec& layer, const LayerPlace& place, const Shape& input) const {
  if (input.empty()) throw_input_needs(layer, place, "an input of rank >= 1", input);
}

void LayerType::check_inputs(const LayerSpec& layer, const LayerPlace& place, const std::vector<Shape>& inputs) const {
  check_input(layer, place, inputs.empty() ? Shape{} : inputs.front());
}

Shape LayerType::output_shape_of(const LayerSpec& layer, const std::vector<Shape>& inputs) const {
  return output_shape(layer, inputs.empty() ? Shape{} : inputs.front());
}

std::unique_ptr<Layer> LayerType::make_merge(const LayerSpec& layer, const std::vector<Shape>&, OpsBackend&) const {
  throw std::logic_error("layer '" + layer.name + "': " + std::string(name()) + " is not a merge");
}

int64_t LayerType::kept_elements(const LayerSpec& layer, const Shape& input, const Shape& output) const {
  return saturating_element_count(output);
}

bool LayerType::has_activation() const {
  const std::vector<LayerField>& all = fields();
  return std::any_of(all.begin(), all.end(), [](const LayerField& f) { return f.key == "activation"; });
}

const LayerType& layer_type_of(const LayerSpec& layer) {
  if (const LayerType* type = find_layer_type(layer.type)) return *type;
  throw std::invalid_argument("layer '" + layer.name + "': unknown layer type '" + layer.type + "'");
}

const std::vector<std::string>& layer_type_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const LayerType* type : layer_types()) out.emplace_back(type->name());
    return out;
  }();
  return names;
}

void check_count(int64_t value, const std::string& path, const SpecLimits& limits) {
  if (value < 1) throw SpecError(path + " must be >= 1, got " + with_thousands(value));
  if (value > limits.max_units)
    throw SpecError(path + " must be <= " + with_thousands(limits.max_units) + ", got " + with_thousands(value));
}

void check_pair(const std::vector<int64_t>& pair, const std::string& path) {
  if (pair.size() != 2)
    throw SpecError(path + " must have exactly 2 values [height, width], got " + shape_to_string(pair));
  for (size_t i = 0; i < 2; ++i)
    if (pair[i] < 1) throw SpecError(element_path(path, i) + " must be >= 1, got " + with_thousands(pair[i]));
}

void throw_input_needs(const LayerSpec& layer, const LayerPlace& place, const std::string& rule,
                       const Shape& input) {
  throw SpecError(place.where + ": " + layer.type + " needs " + rule + ", got " + shape_to_string(input) +
                  (place.reads_model_input ? " (input.shape)" : ""));
}

}  // namespace gapscope

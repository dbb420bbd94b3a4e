// Merges: add, average, multiply, maximum (element-wise; every input one shape) and
// concatenate (along `axis`; the other axes equal). Two or more inputs, named
// in the layer's "inputs"; no weights.
//   inputs [S] each -> [S]; concatenate: [.., A_k, ..] -> [.., sum A_k, ..]
#include "core/io/tfjs_layer_config.h"
#include "core/layers/entry_support.h"
#include "core/nn/merge_layers.h"

namespace gapscope {
namespace {

using namespace layer_entry;

std::string input_name(const LayerSpec& layer, size_t k) {
  return k < layer.inputs.size() ? " (" + layer.inputs[k] + ")" : "";
}

[[noreturn]] void throw_mismatch(const LayerSpec& layer, const LayerPlace& place, const std::string& rule,
                                 const std::vector<Shape>& inputs, size_t k) {
  throw SpecError(place.where + ": " + layer.type + " needs " + rule + ", got " + shape_to_string(inputs[0]) +
                  input_name(layer, 0) + " and " + shape_to_string(inputs[k]) + input_name(layer, k));
}

class MergeType : public NamedLayerType {
 public:
  using NamedLayerType::NamedLayerType;
  bool is_merge() const override { return true; }
  std::unique_ptr<Layer> make(const LayerSpec& layer, const Shape&, OpsBackend&) const override {
    throw std::logic_error("layer '" + layer.name + "': a merge is built with make_merge");
  }
};

class ElementwiseMergeType final : public MergeType {
 public:
  ElementwiseMergeType(ElementwiseMerge kind, const char* name, const char* description, const char* tfjs_class)
      : MergeType(name, description, tfjs_class), kind_(kind) {}
  const std::vector<LayerField>& fields() const override {
    static const std::vector<LayerField> none;
    return none;
  }
  void check_inputs(const LayerSpec& layer, const LayerPlace& place, const std::vector<Shape>& inputs) const override {
    for (size_t k = 1; k < inputs.size(); ++k)
      if (inputs[k] != inputs[0]) throw_mismatch(layer, place, "inputs of one shape", inputs, k);
  }
  Shape output_shape_of(const LayerSpec&, const std::vector<Shape>& inputs) const override {
    return inputs.empty() ? Shape{} : inputs.front();
  }
  std::unique_ptr<Layer> make_merge(const LayerSpec& layer, const std::vector<Shape>& inputs,
                                    OpsBackend&) const override {
    return std::make_unique<ElementwiseMergeLayer>(layer, kind_, inputs);
  }

  LayerSpec read_tfjs(const TfjsLayerReader& r) const override {
    r.check_common({}, std::string(tfjs_class()));
    return {};
  }
  void write_tfjs(const LayerSpec&, nlohmann::ordered_json&) const override {}  // the base config only

 private:
  ElementwiseMerge kind_;
};

// Keras's axis counts the batch axis (0) for positive values: per-sample axis
// axis - 1; negative values count from the end. -1 when out of range.
int64_t sample_axis(int64_t axis, size_t rank) {
  const int64_t r = static_cast<int64_t>(rank);
  if (axis < 0) return axis >= -r ? r + axis : -1;
  return axis >= 1 && axis <= r ? axis - 1 : -1;
}

class ConcatenateType final : public MergeType {
 public:
  ConcatenateType() : MergeType("concatenate", "a concatenate layer", "Concatenate") {}
  const std::vector<LayerField>& fields() const override {
    static const std::vector<LayerField> all = {
        {.key = "axis", .kind = LayerFieldKind::integer, .member = &LayerSpec::axis, .default_value = -1,
         .summary = FieldSummary::named_unless_default, .minimum = -8, .maximum = 8},
    };
    return all;
  }
  void check_inputs(const LayerSpec& layer, const LayerPlace& place, const std::vector<Shape>& inputs) const override {
    const size_t rank = inputs.front().size();
    const int64_t axis = sample_axis(layer.axis, rank);
    if (axis < 0)
      throw SpecError(place.where + ": axis " + std::to_string(layer.axis) + " is not an axis of its inputs " +
                      shape_to_string(inputs.front()) + " (use -" + std::to_string(rank) + "..-1, or 1.." +
                      std::to_string(rank) + " counting the batch axis as 0)");
    for (size_t k = 1; k < inputs.size(); ++k) {
      bool fits = inputs[k].size() == rank;
      for (size_t d = 0; fits && d < rank; ++d) fits = static_cast<int64_t>(d) == axis || inputs[k][d] == inputs[0][d];
      if (!fits)
        throw_mismatch(layer, place, "inputs equal on every axis but axis " + std::to_string(layer.axis), inputs, k);
    }
  }
  Shape output_shape_of(const LayerSpec& layer, const std::vector<Shape>& inputs) const override {
    if (inputs.empty()) return {};
    Shape out = inputs.front();
    const int64_t axis = sample_axis(layer.axis, out.size());
    if (axis < 0) return out;
    out[static_cast<size_t>(axis)] = 0;
    for (const Shape& s : inputs)
      out[static_cast<size_t>(axis)] = saturating_add(out[static_cast<size_t>(axis)], dim(s, static_cast<size_t>(axis)));
    return out;
  }
  std::unique_ptr<Layer> make_merge(const LayerSpec& layer, const std::vector<Shape>& inputs,
                                    OpsBackend&) const override {
    return std::make_unique<ConcatenateLayer>(layer, sample_axis(layer.axis, inputs.front().size()), inputs);
  }

  LayerSpec read_tfjs(const TfjsLayerReader& r) const override {
    r.check_common({"axis"}, "Concatenate");
    LayerSpec layer;
    layer.axis = r.axis(-1);
    return layer;
  }
  void write_tfjs(const LayerSpec& layer, nlohmann::ordered_json& c) const override { c["axis"] = layer.axis; }
};

}  // namespace

const LayerType& add_layer_type() {
  static const ElementwiseMergeType type(ElementwiseMerge::add, "add", "an add layer", "Add");
  return type;
}

const LayerType& average_layer_type() {
  static const ElementwiseMergeType type(ElementwiseMerge::average, "average", "an average layer", "Average");
  return type;
}

const LayerType& multiply_layer_type() {
  static const ElementwiseMergeType type(ElementwiseMerge::multiply, "multiply", "a multiply layer", "Multiply");
  return type;
}

const LayerType& maximum_layer_type() {
  static const ElementwiseMergeType type(ElementwiseMerge::maximum, "maximum", "a maximum layer", "Maximum");
  return type;
}

const LayerType& concatenate_layer_type() {
  static const ConcatenateType type;
  return type;
}

}  // namespace gapscope

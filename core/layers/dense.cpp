// dense: y = activation(x W + b) on the last axis, as in Keras.
//   input [..., F] -> output [..., units]; kernel [F, units], bias [units]
#include "core/io/tfjs_layer_config.h"
#include "core/layers/entry_support.h"
#include "core/nn/dense_layer.h"
#include "core/spec/initializer_json.h"

namespace gapscope {
namespace {

using namespace layer_entry;

class DenseType final : public LayerType {
 public:
  std::string_view name() const override { return "dense"; }
  std::string_view description() const override { return "a dense layer"; }
  const std::vector<LayerField>& fields() const override {
    static const std::vector<LayerField> all = {
        count_field("units", &LayerSpec::units, "a dense layer needs units (an integer >= 1)", 64),
        activation_field("linear", "relu"),
        use_bias_field(),
        initializer_field("kernel_initializer", &LayerSpec::kernel_initializer, Initializer::glorot_uniform),
        initializer_field("bias_initializer", &LayerSpec::bias_initializer, Initializer::zeros),
    };
    return all;
  }
  void check_fields(const LayerSpec& layer, const std::string& path, const SpecLimits& limits) const override {
    check_count(layer.units, path + ".units", limits);
  }
  Shape output_shape(const LayerSpec& layer, const Shape& input) const override {
    Shape out = input;
    if (out.empty())
      out.push_back(layer.units);
    else
      out.back() = layer.units;
    return out;
  }
  std::vector<ParameterShape> parameters(const LayerSpec& layer, const Shape& input) const override {
    std::vector<ParameterShape> p{{layer.name + "/kernel", {last_dim(input), layer.units}}};
    if (layer.use_bias) p.push_back({layer.name + "/bias", {layer.units}});
    return p;
  }
  int64_t multiply_adds(const LayerSpec& layer, const Shape& input, const Shape&) const override {
    int64_t rows = saturating_element_count(input) / std::max<int64_t>(1, last_dim(input));
    return saturating_mul(rows, saturating_mul(last_dim(input), layer.units));
  }
  int64_t kept_elements(const LayerSpec& layer, const Shape&, const Shape& output) const override {
    return output_and_preactivation(layer, output);
  }
  std::unique_ptr<Layer> make(const LayerSpec& layer, const Shape& input, OpsBackend& ops) const override {
    return std::make_unique<DenseLayer>(layer, input, ops);
  }

  std::string_view tfjs_class() const override { return "Dense"; }
  LayerSpec read_tfjs(const TfjsLayerReader& r) const override {
    r.check_common({"units", "activation", "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer",
                    "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint"},
                   "Dense");
    r.note_ignored({"kernel_regularizer", "bias_regularizer", "activity_regularizer"}, "regularizer");
    r.note_ignored({"kernel_constraint", "bias_constraint"}, "constraint");
    LayerSpec layer;
    layer.units = r.integer("units");
    layer.activation = r.activation("activation", Activation::linear);
    layer.use_bias = r.flag("use_bias", true);
    // TF.js's Dense defaults to glorotNormal (Keras: glorot_uniform).
    layer.kernel_initializer = r.initializer("kernel_initializer", Initializer::glorot_normal);
    layer.bias_initializer = r.initializer("bias_initializer", Initializer::zeros);
    return layer;
  }
  void write_tfjs(const LayerSpec& layer, nlohmann::ordered_json& c) const override {
    c["units"] = layer.units;
    c["activation"] = activation_name(layer.activation);
    c["use_bias"] = layer.use_bias;
    c["kernel_initializer"] = initializer_to_tfjs_json(layer.kernel_initializer);
    c["bias_initializer"] = initializer_to_tfjs_json(layer.bias_initializer);
    add_tfjs_nulls(c, {"kernel_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint",
                       "bias_constraint"});
  }
};

}  // namespace

const LayerType& dense_layer_type() {
  static const DenseType type;
  return type;
}

}  // namespace gapscope

// conv2d over channels-last images, as TF: input [H, W, C] -> [OH, OW, filters];
// kernel [kh, kw, C, filters], bias [filters]. The engine runs it as im2col + GEMM.
#include "core/io/tfjs_layer_config.h"
#include "core/layers/entry_support.h"
#include "core/layers/window_layer.h"
#include "core/nn/conv2d_layer.h"
#include "core/spec/initializer_json.h"

namespace gapscope {
namespace {

using namespace layer_entry;

class Conv2dType final : public LayerType {
 public:
  std::string_view name() const override { return "conv2d"; }
  std::string_view description() const override { return "a conv2d layer"; }
  const std::vector<LayerField>& fields() const override {
    static const std::vector<LayerField> all = {
        count_field("filters", &LayerSpec::filters, "a conv2d layer needs filters (an integer >= 1)", 8),
        [] {
          LayerField f = pair_field("kernel_size", &LayerSpec::kernel_size, nullptr, nlohmann::json::array({5, 5}));
          f.required_hint = "e.g. 5 or [5, 5]";
          return f;
        }(),
        pair_field("strides", &LayerSpec::strides, nlohmann::json::array({1, 1}), nullptr,
                   FieldSummary::named_unless_default),
        padding_field(),
        activation_field("linear", "relu"),
        use_bias_field(),
        initializer_field("kernel_initializer", &LayerSpec::kernel_initializer, Initializer::glorot_uniform),
        initializer_field("bias_initializer", &LayerSpec::bias_initializer, Initializer::zeros),
    };
    return all;
  }
  void check_fields(const LayerSpec& layer, const std::string& path, const SpecLimits& limits) const override {
    check_count(layer.filters, path + ".filters", limits);
    check_pair(layer.kernel_size, path + ".kernel_size");
    check_pair(layer.strides, path + ".strides");
  }
  void check_input(const LayerSpec& layer, const LayerPlace& place, const Shape& input) const override {
    check_window_input(layer, place, input, layer.kernel_size, "kernel");
  }
  Shape output_shape(const LayerSpec& layer, const Shape& input) const override {
    auto [oh, ow] = window_output_hw(layer, layer.kernel_size, false, input);
    return {oh, ow, layer.filters};
  }
  std::vector<ParameterShape> parameters(const LayerSpec& layer, const Shape& input) const override {
    std::vector<ParameterShape> p{{layer.name + "/kernel",
                                   {pair_value(layer.kernel_size, 0), pair_value(layer.kernel_size, 1), dim(input, 2),
                                    layer.filters}}};
    if (layer.use_bias) p.push_back({layer.name + "/bias", {layer.filters}});
    return p;
  }
  // OH x OW x filters x kh x kw x C
  int64_t multiply_adds(const LayerSpec& layer, const Shape& input, const Shape& output) const override {
    return saturating_mul(saturating_element_count(output), patch_size(layer, input));
  }
  // Output (and pre-activation) plus the im2col buffer OH x OW x kh x kw x C.
  int64_t kept_elements(const LayerSpec& layer, const Shape& input, const Shape& output) const override {
    auto [oh, ow] = window_output_hw(layer, layer.kernel_size, false, input);
    return saturating_add(output_and_preactivation(layer, output),
                          saturating_mul(saturating_mul(oh, ow), patch_size(layer, input)));
  }
  std::unique_ptr<Layer> make(const LayerSpec& layer, const Shape& input, OpsBackend& ops) const override {
    return std::make_unique<Conv2dLayer>(layer, input, ops);
  }

  std::string_view tfjs_class() const override { return "Conv2D"; }
  LayerSpec read_tfjs(const TfjsLayerReader& r) const override {
    r.check_common({"filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "groups",
                    "activation", "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer",
                    "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint"},
                   "Conv2D");
    r.note_ignored({"kernel_regularizer", "bias_regularizer", "activity_regularizer"}, "regularizer");
    r.note_ignored({"kernel_constraint", "bias_constraint"}, "constraint");
    r.require_channels_last();
    if (r.pair("dilation_rate", {1, 1}) != std::vector<int64_t>{1, 1})
      throw SpecError(r.path_of("dilation_rate") + ": dilated convolutions are not supported (must be [1, 1])");
    if (r.has("groups") && r.integer("groups") != 1)  // Keras only
      throw SpecError(r.path_of("groups") + ": grouped convolutions are not supported (must be 1)");
    LayerSpec layer;
    layer.filters = r.integer("filters");
    r.require_present("kernel_size");
    layer.kernel_size = r.pair("kernel_size", {});
    layer.strides = r.pair("strides", {1, 1});
    layer.padding = r.padding();
    layer.activation = r.activation("activation", Activation::linear);
    layer.use_bias = r.flag("use_bias", true);
    layer.kernel_initializer = r.initializer("kernel_initializer", Initializer::glorot_normal);  // TF.js's default
    layer.bias_initializer = r.initializer("bias_initializer", Initializer::zeros);
    return layer;
  }
  void write_tfjs(const LayerSpec& layer, nlohmann::ordered_json& c) const override {
    c["filters"] = layer.filters;
    c["kernel_initializer"] = initializer_to_tfjs_json(layer.kernel_initializer);
    add_tfjs_nulls(c, {"kernel_regularizer", "kernel_constraint"});
    c["kernel_size"] = layer.kernel_size;
    c["strides"] = layer.strides;
    c["padding"] = padding_name(layer.padding);
    c["data_format"] = "channels_last";
    c["dilation_rate"] = {1, 1};
    c["activation"] = activation_name(layer.activation);
    c["use_bias"] = layer.use_bias;
    c["bias_initializer"] = initializer_to_tfjs_json(layer.bias_initializer);
    add_tfjs_nulls(c, {"bias_regularizer", "activity_regularizer", "bias_constraint"});
  }

 private:
  static int64_t patch_size(const LayerSpec& layer, const Shape& input) {
    return saturating_mul(saturating_mul(pair_value(layer.kernel_size, 0), pair_value(layer.kernel_size, 1)),
                          dim(input, 2));
  }
};

}  // namespace

const LayerType& conv2d_layer_type() {
  static const Conv2dType type;
  return type;
}

}  // namespace gapscope

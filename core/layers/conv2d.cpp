// conv2d over channels-last images, as TF: input [H, W, C] -> [OH, OW, filters];
// kernel [kh, kw, C, filters], bias [filters]; dilation_rate spreads the taps
// (strides 1 then). The engine runs it as im2col + GEMM.
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
    static const std::vector<LayerField> all = joined_fields({
        {count_field("filters", &LayerSpec::filters, "a conv2d layer needs filters (an integer >= 1)", 8)},
        convolution_window_fields(nlohmann::json::array({5, 5})),
        {pair_field("dilation_rate", &LayerSpec::dilation_rate, nlohmann::json::array({1, 1}), nullptr,
                    FieldSummary::named_unless_default),
         activation_field("linear", "relu"), use_bias_field(),
         initializer_field("kernel_initializer", &LayerSpec::kernel_initializer, Initializer::glorot_uniform),
         initializer_field("bias_initializer", &LayerSpec::bias_initializer, Initializer::zeros)}});
    return all;
  }
  void check_fields(const LayerSpec& layer, const std::string& path, const SpecLimits& limits) const override {
    check_count(layer.filters, path + ".filters", limits);
    check_convolution_window(layer, path);
    if (layer.dilation_rate.empty()) return;
    check_pair(layer.dilation_rate, path + ".dilation_rate");
    const bool dilated = layer.dilation_rate[0] > 1 || layer.dilation_rate[1] > 1;
    const bool strided = !layer.strides.empty() && (layer.strides[0] > 1 || layer.strides[1] > 1);
    if (dilated && strided)
      throw SpecError(path + ".dilation_rate: a dilated conv2d needs strides [1, 1] (as in TF), got strides " +
                      nlohmann::json(layer.strides).dump());
  }
  void check_input(const LayerSpec& layer, const LayerPlace& place, const Shape& input) const override {
    check_window_input(layer, place, input, dilated_window(layer.kernel_size, layer.dilation_rate), "kernel");
  }
  Shape output_shape(const LayerSpec& layer, const Shape& input) const override {
    auto [oh, ow] = window_output_hw(layer, dilated_window(layer.kernel_size, layer.dilation_rate), false, input);
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
    auto [oh, ow] = window_output_hw(layer, dilated_window(layer.kernel_size, layer.dilation_rate), false, input);
    return saturating_add(output_and_preactivation(layer, output),
                          saturating_mul(saturating_mul(oh, ow), patch_size(layer, input)));
  }
  std::unique_ptr<Layer> make(const LayerSpec& layer, const Shape& input, OpsBackend& ops) const override {
    return std::make_unique<Conv2dLayer>(layer, input, ops);
  }

  std::string_view tfjs_class() const override { return "Conv2D"; }
  LayerSpec read_tfjs(const TfjsLayerReader& r) const override {
    std::vector<std::string_view> keys = kTfjsConvolutionKeys;
    keys.insert(keys.end(), {"filters", "groups", "kernel_initializer", "kernel_regularizer", "kernel_constraint"});
    r.check_common(keys, "Conv2D");
    r.note_ignored({"kernel_regularizer"}, "regularizer");
    r.note_ignored({"kernel_constraint"}, "constraint");
    if (r.has("groups") && r.integer("groups") != 1)  // Keras only
      throw SpecError(r.path_of("groups") + ": grouped convolutions are not supported (must be 1)");
    LayerSpec layer;
    layer.filters = r.integer("filters");
    read_tfjs_convolution(r, layer, true);
    layer.kernel_initializer = r.initializer("kernel_initializer", Initializer::glorot_normal);  // TF.js's default
    return layer;
  }
  void write_tfjs(const LayerSpec& layer, nlohmann::ordered_json& c) const override {
    c["filters"] = layer.filters;
    c["kernel_initializer"] = initializer_to_tfjs_json(layer.kernel_initializer);
    add_tfjs_nulls(c, {"kernel_regularizer", "kernel_constraint"});
    write_tfjs_convolution(layer, c);
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

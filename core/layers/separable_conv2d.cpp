// separable_conv2d over channels-last images, as Keras/TF.js SeparableConv2D:
// a depthwise convolution (depth_multiplier M) then a 1x1 convolution to
// `filters`. [H, W, C] -> [OH, OW, filters]; depthwise_kernel [kh, kw, C, M],
// pointwise_kernel [1, 1, C*M, filters], bias [filters].
#include "core/io/tfjs_layer_config.h"
#include "core/layers/entry_support.h"
#include "core/layers/window_layer.h"
#include "core/nn/separable_conv2d_layer.h"
#include "core/spec/initializer_json.h"

namespace gapscope {
namespace {

using namespace layer_entry;

class SeparableConv2dType final : public LayerType {
 public:
  std::string_view name() const override { return "separable_conv2d"; }
  std::string_view description() const override { return "a separable conv2d layer"; }
  const std::vector<LayerField>& fields() const override {
    static const std::vector<LayerField> all = joined_fields({
        {count_field("filters", &LayerSpec::filters, "a separable conv2d layer needs filters (an integer >= 1)", 32)},
        convolution_window_fields(nlohmann::json::array({3, 3})),
        {depth_multiplier_field(), activation_field("linear", "relu"), use_bias_field(),
         initializer_field("depthwise_initializer", &LayerSpec::kernel_initializer, Initializer::glorot_uniform),
         initializer_field("pointwise_initializer", &LayerSpec::pointwise_initializer, Initializer::glorot_uniform),
         initializer_field("bias_initializer", &LayerSpec::bias_initializer, Initializer::zeros)}});
    return all;
  }
  void check_fields(const LayerSpec& layer, const std::string& path, const SpecLimits& limits) const override {
    check_count(layer.filters, path + ".filters", limits);
    check_convolution_window(layer, path);
    check_count(layer.depth_multiplier, path + ".depth_multiplier", limits);
  }
  void check_input(const LayerSpec& layer, const LayerPlace& place, const Shape& input) const override {
    check_window_input(layer, place, input, layer.kernel_size, "kernel");
  }
  Shape output_shape(const LayerSpec& layer, const Shape& input) const override {
    auto [oh, ow] = window_output_hw(layer, layer.kernel_size, false, input);
    return {oh, ow, layer.filters};
  }
  std::vector<ParameterShape> parameters(const LayerSpec& layer, const Shape& input) const override {
    const int64_t depthwise_channels = saturating_mul(dim(input, 2), layer.depth_multiplier);
    std::vector<ParameterShape> p{
        {layer.name + "/depthwise_kernel",
         {pair_value(layer.kernel_size, 0), pair_value(layer.kernel_size, 1), dim(input, 2), layer.depth_multiplier}},
        {layer.name + "/pointwise_kernel", {1, 1, depthwise_channels, layer.filters}}};
    if (layer.use_bias) p.push_back({layer.name + "/bias", {layer.filters}});
    return p;
  }
  // OH x OW x C*M x (kh x kw + filters)
  int64_t multiply_adds(const LayerSpec& layer, const Shape& input, const Shape& output) const override {
    const int64_t pixels = saturating_mul(dim(output, 0), dim(output, 1));
    const int64_t depthwise_channels = saturating_mul(dim(input, 2), layer.depth_multiplier);
    const int64_t taps = saturating_mul(pair_value(layer.kernel_size, 0), pair_value(layer.kernel_size, 1));
    return saturating_mul(saturating_mul(pixels, depthwise_channels), saturating_add(taps, layer.filters));
  }
  // Output (and pre-activation) plus the depthwise output.
  int64_t kept_elements(const LayerSpec& layer, const Shape& input, const Shape& output) const override {
    return saturating_add(output_and_preactivation(layer, output),
                          saturating_mul(saturating_mul(dim(output, 0), dim(output, 1)),
                                         saturating_mul(dim(input, 2), layer.depth_multiplier)));
  }
  std::unique_ptr<Layer> make(const LayerSpec& layer, const Shape& input, OpsBackend& ops) const override {
    return std::make_unique<SeparableConv2dLayer>(layer, input, ops);
  }

  std::string_view tfjs_class() const override { return "SeparableConv2D"; }
  LayerSpec read_tfjs(const TfjsLayerReader& r) const override {
    std::vector<std::string_view> keys = kTfjsConvolutionKeys;
    keys.insert(keys.end(), {"filters", "depth_multiplier", "depthwise_initializer", "pointwise_initializer",
                             "depthwise_regularizer", "pointwise_regularizer", "depthwise_constraint",
                             "pointwise_constraint", "kernel_initializer", "kernel_regularizer", "kernel_constraint"});
    r.check_common(keys, "SeparableConv2D");
    r.note_ignored({"depthwise_regularizer", "pointwise_regularizer", "kernel_regularizer"}, "regularizer");
    r.note_ignored({"depthwise_constraint", "pointwise_constraint", "kernel_constraint"}, "constraint");
    LayerSpec layer;
    layer.filters = r.integer("filters");
    read_tfjs_convolution(r, layer);
    layer.depth_multiplier = r.has("depth_multiplier") ? r.integer("depth_multiplier") : 1;
    // tfjs-layers 4.22 leaves depth_multiplier out of the configs it writes
    // (and then cannot load its own file when it is not 1); the depthwise
    // kernel [kh, kw, C, M] says what it is.
    if (!r.has("depth_multiplier"))
      if (const std::optional<Shape> kernel = r.manifest_shape(r.name() + "/depthwise_kernel");
          kernel && kernel->size() == 4 && (*kernel)[3] > 1) {
        layer.depth_multiplier = (*kernel)[3];
        r.note(r.path_of("depth_multiplier") + " is missing (TF.js does not write it); " + std::to_string((*kernel)[3]) +
               " from the shape of weight '" + r.name() + "/depthwise_kernel'");
      }
    layer.kernel_initializer = r.initializer("depthwise_initializer", Initializer::glorot_uniform);
    layer.pointwise_initializer = r.initializer("pointwise_initializer", Initializer::glorot_uniform);
    return layer;
  }
  void write_tfjs(const LayerSpec& layer, nlohmann::ordered_json& c) const override {
    c["filters"] = layer.filters;
    write_tfjs_convolution(layer, c);
    c["depth_multiplier"] = layer.depth_multiplier;
    c["depthwise_initializer"] = initializer_to_tfjs_json(layer.kernel_initializer);
    c["pointwise_initializer"] = initializer_to_tfjs_json(layer.pointwise_initializer);
    add_tfjs_nulls(c, {"depthwise_regularizer", "pointwise_regularizer", "depthwise_constraint", "pointwise_constraint"});
  }
};

}  // namespace

const LayerType& separable_conv2d_layer_type() {
  static const SeparableConv2dType type;
  return type;
}

}  // namespace gapscope

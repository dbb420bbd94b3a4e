// depthwise_conv2d over channels-last images, as Keras/TF.js DepthwiseConv2D:
// input [H, W, C] -> [OH, OW, C x depth_multiplier]; depthwise_kernel
// [kh, kw, C, depth_multiplier], bias [C x depth_multiplier]. The engine runs
// it with direct kernels (OpsBackend::depthwise_conv_*).
#include "core/io/tfjs_layer_config.h"
#include "core/layers/entry_support.h"
#include "core/layers/window_layer.h"
#include "core/nn/depthwise_conv2d_layer.h"
#include "core/spec/initializer_json.h"

namespace gapscope {
namespace {

using namespace layer_entry;

class DepthwiseConv2dType final : public LayerType {
 public:
  std::string_view name() const override { return "depthwise_conv2d"; }
  std::string_view description() const override { return "a depthwise conv2d layer"; }
  const std::vector<LayerField>& fields() const override {
    static const std::vector<LayerField> all = joined_fields({
        convolution_window_fields(nlohmann::json::array({3, 3})),
        {depth_multiplier_field(), activation_field("linear", "relu"), use_bias_field(),
         initializer_field("depthwise_initializer", &LayerSpec::kernel_initializer, Initializer::glorot_uniform),
         initializer_field("bias_initializer", &LayerSpec::bias_initializer, Initializer::zeros)}});
    return all;
  }
  void check_fields(const LayerSpec& layer, const std::string& path, const SpecLimits& limits) const override {
    check_convolution_window(layer, path);
    check_count(layer.depth_multiplier, path + ".depth_multiplier", limits);
  }
  void check_input(const LayerSpec& layer, const LayerPlace& place, const Shape& input) const override {
    check_window_input(layer, place, input, layer.kernel_size, "kernel");
  }
  Shape output_shape(const LayerSpec& layer, const Shape& input) const override {
    auto [oh, ow] = window_output_hw(layer, layer.kernel_size, false, input);
    return {oh, ow, saturating_mul(dim(input, 2), layer.depth_multiplier)};
  }
  std::vector<ParameterShape> parameters(const LayerSpec& layer, const Shape& input) const override {
    std::vector<ParameterShape> p{{layer.name + "/depthwise_kernel",
                                   {pair_value(layer.kernel_size, 0), pair_value(layer.kernel_size, 1), dim(input, 2),
                                    layer.depth_multiplier}}};
    if (layer.use_bias) p.push_back({layer.name + "/bias", {saturating_mul(dim(input, 2), layer.depth_multiplier)}});
    return p;
  }
  // OH x OW x C*M x kh x kw
  int64_t multiply_adds(const LayerSpec& layer, const Shape&, const Shape& output) const override {
    return saturating_mul(saturating_element_count(output),
                          saturating_mul(pair_value(layer.kernel_size, 0), pair_value(layer.kernel_size, 1)));
  }
  int64_t kept_elements(const LayerSpec& layer, const Shape&, const Shape& output) const override {
    return output_and_preactivation(layer, output);
  }
  std::unique_ptr<Layer> make(const LayerSpec& layer, const Shape& input, OpsBackend& ops) const override {
    return std::make_unique<DepthwiseConv2dLayer>(layer, input, ops);
  }

  std::string_view tfjs_class() const override { return "DepthwiseConv2D"; }
  LayerSpec read_tfjs(const TfjsLayerReader& r) const override {
    std::vector<std::string_view> keys = kTfjsConvolutionKeys;
    keys.insert(keys.end(), {"depth_multiplier", "depthwise_initializer", "depthwise_regularizer", "depthwise_constraint"});
    r.check_common(keys, "DepthwiseConv2D");
    r.note_ignored({"depthwise_regularizer"}, "regularizer");
    r.note_ignored({"depthwise_constraint"}, "constraint");
    LayerSpec layer;
    read_tfjs_convolution(r, layer);
    layer.depth_multiplier = r.has("depth_multiplier") ? r.integer("depth_multiplier") : 1;
    layer.kernel_initializer = r.initializer("depthwise_initializer", Initializer::glorot_uniform);
    return layer;
  }
  // BaseConv's keys, then DepthwiseConv2D's, as tfjs-layers 4.22's getConfig.
  void write_tfjs(const LayerSpec& layer, nlohmann::ordered_json& c) const override {
    write_tfjs_convolution(layer, c);
    c["depth_multiplier"] = layer.depth_multiplier;
    c["depthwise_initializer"] = initializer_to_tfjs_json(layer.kernel_initializer);
    add_tfjs_nulls(c, {"depthwise_regularizer", "depthwise_constraint"});
  }
};

}  // namespace

const LayerType& depthwise_conv2d_layer_type() {
  static const DepthwiseConv2dType type;
  return type;
}

}  // namespace gapscope

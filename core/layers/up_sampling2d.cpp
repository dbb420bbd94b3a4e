// up_sampling2d, as Keras's UpSampling2D with nearest interpolation: each
// pixel of a channels-last image becomes a size[0] x size[1] block.
//   [H, W, C] -> [H*sh, W*sw, C]; no parameters
#include "core/base/checked_math.h"
#include "core/io/tfjs_layer_config.h"
#include "core/layers/entry_support.h"
#include "core/nn/up_sampling2d_layer.h"

namespace gapscope {
namespace {

using namespace layer_entry;

class UpSampling2dType final : public LayerType {
 public:
  std::string_view name() const override { return "up_sampling2d"; }
  std::string_view description() const override { return "an up_sampling2d layer"; }
  const std::vector<LayerField>& fields() const override {
    static const std::vector<LayerField> all = {
        pair_field("size", &LayerSpec::upsampling_size, nlohmann::json::array({2, 2}), nullptr,
                   FieldSummary::value),
        {.key = "interpolation", .kind = LayerFieldKind::fixed, .member = std::monostate{}, .default_value = "nearest",
         .fixed_reason = "the only interpolation gapscope computes"},
    };
    return all;
  }
  void check_fields(const LayerSpec& layer, const std::string& path, const SpecLimits& limits) const override {
    check_pair(layer.upsampling_size, path + ".size");
    for (int64_t s : layer.upsampling_size)
      if (s > limits.max_units)
        throw SpecError(path + ".size must be at most " + std::to_string(limits.max_units) + " per axis, got " +
                        std::to_string(s));
  }
  void check_input(const LayerSpec& layer, const LayerPlace& place, const Shape& input) const override {
    if (input.size() != 3) throw_input_needs(layer, place, "a [height, width, channels] input", input);
  }
  Shape output_shape(const LayerSpec& layer, const Shape& input) const override {
    return {saturating_mul(dim(input, 0), pair_value(layer.upsampling_size, 0, 2)),
            saturating_mul(dim(input, 1), pair_value(layer.upsampling_size, 1, 2)), dim(input, 2)};
  }
  std::unique_ptr<Layer> make(const LayerSpec& layer, const Shape& input, OpsBackend&) const override {
    return std::make_unique<UpSampling2dLayer>(layer, input);
  }

  std::string_view tfjs_class() const override { return "UpSampling2D"; }
  LayerSpec read_tfjs(const TfjsLayerReader& r) const override {
    r.check_common({"size", "data_format", "interpolation"}, "UpSampling2D");
    r.require_channels_last();
    if (r.has("interpolation") && r.config["interpolation"] != "nearest")
      throw SpecError(r.path_of("interpolation") + ": only \"nearest\" up-sampling is supported, got " +
                      r.config["interpolation"].dump());
    LayerSpec layer;
    layer.upsampling_size = r.pair("size", {2, 2});
    return layer;
  }
  void write_tfjs(const LayerSpec& layer, nlohmann::ordered_json& c) const override {
    c["size"] = layer.upsampling_size;
    c["data_format"] = "channels_last";
    c["interpolation"] = "nearest";
  }
};

}  // namespace

const LayerType& up_sampling2d_layer_type() {
  static const UpSampling2dType type;
  return type;
}

}  // namespace gapscope

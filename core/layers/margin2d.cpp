// zero_padding2d (padding) and cropping2d (cropping): rows and columns of
// zeros added at, or removed from, the edges of a channels-last image, as
// Keras's ZeroPadding2D / Cropping2D. Margins [top, bottom, left, right];
// [H, W, C] -> [H +- (top + bottom), W +- (left + right), C]; no parameters.
#include "core/io/tfjs_layer_config.h"
#include "core/layers/entry_support.h"
#include "core/nn/margin2d_layer.h"
#include "core/spec/layer_spec_json.h"

namespace gapscope {
namespace {

using namespace layer_entry;

class Margin2dType final : public NamedLayerType {
 public:
  Margin2dType(Margin2dLayer::Kind kind, std::string_view name, std::string_view description,
               std::string_view tfjs_class, const char* key, int64_t default_margin)
      : NamedLayerType(name, description, tfjs_class), kind_(kind), key_(key),
        fields_{{.key = key, .kind = LayerFieldKind::margins, .member = &LayerSpec::margins,
                 .default_value = nlohmann::json::array({default_margin, default_margin, default_margin, default_margin}),
                 .initial = nlohmann::json::array({1, 1, 1, 1}), .summary = FieldSummary::value}} {}

  const std::vector<LayerField>& fields() const override { return fields_; }
  void check_fields(const LayerSpec& layer, const std::string& path, const SpecLimits& limits) const override {
    if (layer.margins.size() != 4)
      throw SpecError(path + "." + key_ + " must have 4 values [top, bottom, left, right], got " +
                      shape_to_string(layer.margins));
    for (size_t i = 0; i < 4; ++i)
      if (layer.margins[i] < 0 || layer.margins[i] > limits.max_units)
        throw SpecError(path + "." + key_ + "[" + std::to_string(i) + "] must be in [0, " +
                        std::to_string(limits.max_units) + "], got " + std::to_string(layer.margins[i]));
  }
  void check_input(const LayerSpec& layer, const LayerPlace& place, const Shape& input) const override {
    if (input.size() != 3) throw_input_needs(layer, place, "a [height, width, channels] input", input);
    const Shape out = output_shape(layer, input);
    if (out[0] < 1 || out[1] < 1)
      throw SpecError(place.where + ": cropping " + shape_to_string(layer.margins) + " leaves no pixel of its input " +
                      shape_to_string(input));
  }
  Shape output_shape(const LayerSpec& layer, const Shape& input) const override {
    const ImageMargins m = image_margins(layer.margins);
    const int64_t sign = kind_ == Margin2dLayer::Kind::pad ? 1 : -1;
    return {dim(input, 0) + sign * (m.top + m.bottom), dim(input, 1) + sign * (m.left + m.right), dim(input, 2)};
  }
  std::unique_ptr<Layer> make(const LayerSpec& layer, const Shape& input, OpsBackend&) const override {
    return std::make_unique<Margin2dLayer>(layer, input, kind_);
  }

  LayerSpec read_tfjs(const TfjsLayerReader& r) const override {
    r.check_common({key_, "data_format"}, std::string(tfjs_class()));
    r.require_channels_last();
    LayerSpec layer;
    layer.margins = r.has(key_) ? read_margins(r.config[key_], r.path_of(key_)) : fields_[0].default_value.get<std::vector<int64_t>>();
    return layer;
  }
  void write_tfjs(const LayerSpec& layer, nlohmann::ordered_json& c) const override {
    const ImageMargins m = image_margins(layer.margins);
    c[key_] = nlohmann::ordered_json::array({nlohmann::ordered_json::array({m.top, m.bottom}),
                                             nlohmann::ordered_json::array({m.left, m.right})});
    c["data_format"] = "channels_last";
  }

 private:
  Margin2dLayer::Kind kind_;
  const char* key_;
  std::vector<LayerField> fields_;
};

}  // namespace

const LayerType& zero_padding2d_layer_type() {
  static const Margin2dType type(Margin2dLayer::Kind::pad, "zero_padding2d", "a zero padding layer", "ZeroPadding2D",
                                 "padding", 1);
  return type;
}

const LayerType& cropping2d_layer_type() {
  static const Margin2dType type(Margin2dLayer::Kind::crop, "cropping2d", "a cropping layer", "Cropping2D",
                                 "cropping", 0);
  return type;
}

}  // namespace gapscope

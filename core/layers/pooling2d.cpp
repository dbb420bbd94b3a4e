// max_pooling2d, average_pooling2d over channels-last images: [H, W, C] ->
// [OH, OW, C]; no parameters. Strides default to the pool size, as in TF.js.
#include "core/io/tfjs_layer_config.h"
#include "core/layers/entry_support.h"
#include "core/layers/window_layer.h"
#include "core/nn/pooling2d_layer.h"

namespace gapscope {
namespace {

using namespace layer_entry;

class Pooling2dType final : public NamedLayerType {
 public:
  Pooling2dType(PoolKind kind, std::string_view name, std::string_view description, std::string_view tfjs_class)
      : NamedLayerType(name, description, tfjs_class), kind_(kind) {}

  const std::vector<LayerField>& fields() const override {
    static const std::vector<LayerField> all = {
        pair_field("pool_size", &LayerSpec::pool_size, nlohmann::json::array({2, 2}), nlohmann::json::array({2, 2})),
        [] {
          LayerField f = pair_field("strides", &LayerSpec::strides, nullptr, nullptr, FieldSummary::named_unless_default);
          f.default_from = "pool_size";
          return f;
        }(),
        padding_field(),
    };
    return all;
  }
  void check_fields(const LayerSpec& layer, const std::string& path, const SpecLimits&) const override {
    check_pair(layer.pool_size, path + ".pool_size");
    check_pair(layer.strides, path + ".strides");
  }
  void check_input(const LayerSpec& layer, const LayerPlace& place, const Shape& input) const override {
    check_window_input(layer, place, input, layer.pool_size, "pool");
  }
  Shape output_shape(const LayerSpec& layer, const Shape& input) const override {
    auto [oh, ow] = window_output_hw(layer, layer.pool_size, true, input);
    return {oh, ow, dim(input, 2)};
  }
  // Max pooling keeps its argmax beside the output.
  int64_t kept_elements(const LayerSpec&, const Shape&, const Shape& output) const override {
    return saturating_mul(saturating_element_count(output), kind_ == PoolKind::max ? 2 : 1);
  }
  std::unique_ptr<Layer> make(const LayerSpec& layer, const Shape& input, OpsBackend&) const override {
    return std::make_unique<Pooling2dLayer>(layer, input, kind_);
  }

  LayerSpec read_tfjs(const TfjsLayerReader& r) const override {
    r.check_common({"pool_size", "strides", "padding", "data_format"}, std::string(tfjs_class()));
    r.require_channels_last();
    LayerSpec layer;
    layer.pool_size = r.pair("pool_size", {2, 2});
    layer.strides = r.pair("strides", layer.pool_size);  // TF.js: null strides = pool_size
    layer.padding = r.padding();
    return layer;
  }
  void write_tfjs(const LayerSpec& layer, nlohmann::ordered_json& c) const override {
    c["pool_size"] = layer.pool_size;
    c["padding"] = padding_name(layer.padding);
    c["strides"] = layer.strides;
    c["data_format"] = "channels_last";
  }

 private:
  PoolKind kind_;
};

}  // namespace

const LayerType& max_pooling2d_layer_type() {
  static const Pooling2dType type(PoolKind::max, "max_pooling2d", "a max_pooling2d layer", "MaxPooling2D");
  return type;
}

const LayerType& average_pooling2d_layer_type() {
  static const Pooling2dType type(PoolKind::average, "average_pooling2d", "an average_pooling2d layer",
                                  "AveragePooling2D");
  return type;
}

}  // namespace gapscope

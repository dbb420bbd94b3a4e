// global_average_pooling2d, global_max_pooling2d: the mean or max of each
// channel over the whole image, as Keras's GlobalAveragePooling2D /
// GlobalMaxPooling2D: [H, W, C] -> [C]; no parameters.
#include "core/io/tfjs_layer_config.h"
#include "core/layers/entry_support.h"
#include "core/nn/pooling2d_layer.h"

namespace gapscope {
namespace {

using namespace layer_entry;

class GlobalPooling2dType final : public NamedLayerType {
 public:
  GlobalPooling2dType(PoolKind kind, std::string_view name, std::string_view description, std::string_view tfjs_class)
      : NamedLayerType(name, description, tfjs_class), kind_(kind) {}

  const std::vector<LayerField>& fields() const override {
    static const std::vector<LayerField> none;
    return none;
  }
  void check_input(const LayerSpec& layer, const LayerPlace& place, const Shape& input) const override {
    if (input.size() != 3) throw_input_needs(layer, place, "a [height, width, channels] input", input);
  }
  Shape output_shape(const LayerSpec&, const Shape& input) const override { return {dim(input, 2)}; }
  std::unique_ptr<Layer> make(const LayerSpec& layer, const Shape& input, OpsBackend&) const override {
    return Pooling2dLayer::global(layer, input, kind_);
  }

  LayerSpec read_tfjs(const TfjsLayerReader& r) const override {
    r.check_common({"data_format", "keepdims"}, std::string(tfjs_class()));
    r.require_channels_last();
    r.require_false("keepdims", "outputs kept as [1, 1, C] (keepdims)");
    return {};
  }
  void write_tfjs(const LayerSpec&, nlohmann::ordered_json& c) const override { c["data_format"] = "channels_last"; }

 private:
  PoolKind kind_;
};

}  // namespace

const LayerType& global_average_pooling2d_layer_type() {
  static const GlobalPooling2dType type(PoolKind::average, "global_average_pooling2d",
                                        "a global average pooling layer", "GlobalAveragePooling2D");
  return type;
}

const LayerType& global_max_pooling2d_layer_type() {
  static const GlobalPooling2dType type(PoolKind::max, "global_max_pooling2d", "a global max pooling layer",
                                        "GlobalMaxPooling2D");
  return type;
}

}  // namespace gapscope

// flatten: [d1, d2, ...] -> [d1 x d2 x ...], channels fastest (TF's order); a
// view of the input, no data moves.
#include "core/io/tfjs_layer_config.h"
#include "core/layers/entry_support.h"
#include "core/nn/reshape_layer.h"

namespace gapscope {
namespace {

using namespace layer_entry;

class FlattenType final : public LayerType {
 public:
  std::string_view name() const override { return "flatten"; }
  std::string_view description() const override { return "a flatten layer"; }
  const std::vector<LayerField>& fields() const override {
    static const std::vector<LayerField> none;
    return none;
  }
  Shape output_shape(const LayerSpec&, const Shape& input) const override {
    return {saturating_element_count(input)};
  }
  int64_t kept_elements(const LayerSpec&, const Shape&, const Shape&) const override { return 0; }
  std::unique_ptr<Layer> make(const LayerSpec& layer, const Shape& input, OpsBackend&) const override {
    return std::make_unique<ReshapeLayer>(layer, input, Shape{element_count(input)});
  }

  std::string_view tfjs_class() const override { return "Flatten"; }
  LayerSpec read_tfjs(const TfjsLayerReader& r) const override {
    r.check_common({"data_format"}, "Flatten");
    r.require_channels_last();
    return {};
  }
  void write_tfjs(const LayerSpec&, nlohmann::ordered_json&) const override {}  // the base config only
};

}  // namespace

const LayerType& flatten_layer_type() {
  static const FlattenType type;
  return type;
}

}  // namespace gapscope

// activation: y = f(x) element-wise, any shape.
#include "core/io/tfjs_layer_config.h"
#include "core/layers/entry_support.h"
#include "core/nn/activation_layer.h"

namespace gapscope {
namespace {

using namespace layer_entry;

class ActivationType final : public LayerType {
 public:
  std::string_view name() const override { return "activation"; }
  std::string_view description() const override { return "an activation layer"; }
  const std::vector<LayerField>& fields() const override {
    static const std::vector<LayerField> all = {[] {
      LayerField f = activation_field(nullptr, "relu");
      f.required_hint = "e.g. \"relu\"";
      return f;
    }()};
    return all;
  }
  std::unique_ptr<Layer> make(const LayerSpec& layer, const Shape& input, OpsBackend&) const override {
    return std::make_unique<ActivationLayer>(layer, input);
  }

  std::string_view tfjs_class() const override { return "Activation"; }
  LayerSpec read_tfjs(const TfjsLayerReader& r) const override {
    r.check_common({"activation"}, "Activation");
    r.require_present("activation");
    LayerSpec layer;
    layer.activation = r.activation("activation", Activation::linear);
    return layer;
  }
  void write_tfjs(const LayerSpec& layer, nlohmann::ordered_json& c) const override {
    c["activation"] = activation_name(layer.activation);
  }
};

}  // namespace

const LayerType& activation_layer_type() {
  static const ActivationType type;
  return type;
}

}  // namespace gapscope

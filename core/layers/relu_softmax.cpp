// relu and softmax as layers of their own, as Keras's ReLU / Softmax layers
// (the same functions as an activation layer): any shape, no parameters.
//   relu: max(x, 0), capped at max_value (null: no cap; 6: relu6)
//   softmax: over the last axis
#include <cmath>

#include "core/base/number_text.h"
#include "core/io/tfjs_layer_config.h"
#include "core/layers/entry_support.h"
#include "core/nn/activation_layer.h"

namespace gapscope {
namespace {

using namespace layer_entry;

std::unique_ptr<Layer> activation_layer(LayerSpec layer, Activation activation, const Shape& input) {
  layer.activation = activation;
  return std::make_unique<ActivationLayer>(layer, input);
}

class ReluType final : public LayerType {
 public:
  std::string_view name() const override { return "relu"; }
  std::string_view description() const override { return "a relu layer"; }
  const std::vector<LayerField>& fields() const override {
    static const std::vector<LayerField> all = {
        {.key = "max_value", .kind = LayerFieldKind::number, .member = &LayerSpec::max_value,
         .summary = FieldSummary::named_unless_default, .minimum = 0, .maximum = 1e9},
    };
    return all;
  }
  void check_fields(const LayerSpec& layer, const std::string& path, const SpecLimits&) const override {
    if (!std::isnan(layer.max_value) && layer.max_value != 6.0f)
      throw SpecError(path + ".max_value must be null (no cap) or 6 (relu6), the caps gapscope computes; got " +
                      float_text(layer.max_value));
  }
  std::unique_ptr<Layer> make(const LayerSpec& layer, const Shape& input, OpsBackend&) const override {
    return activation_layer(layer, std::isnan(layer.max_value) ? Activation::relu : Activation::relu6, input);
  }

  std::string_view tfjs_class() const override { return "ReLU"; }
  LayerSpec read_tfjs(const TfjsLayerReader& r) const override {
    r.check_common({"max_value", "negative_slope", "threshold"}, "ReLU");
    r.require_zero("negative_slope", "a negative slope (use leaky_relu)");
    r.require_zero("threshold", "a threshold other than 0");
    LayerSpec layer;
    layer.max_value = r.number("max_value", std::numeric_limits<float>::quiet_NaN());
    return layer;
  }
  void write_tfjs(const LayerSpec& layer, nlohmann::ordered_json& c) const override {
    c["max_value"] = std::isnan(layer.max_value) ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(layer.max_value);
  }
};

class SoftmaxType final : public LayerType {
 public:
  std::string_view name() const override { return "softmax"; }
  std::string_view description() const override { return "a softmax layer"; }
  const std::vector<LayerField>& fields() const override {
    static const std::vector<LayerField> all = {
        {.key = "axis", .kind = LayerFieldKind::integer, .member = &LayerSpec::axis, .default_value = -1,
         .summary = FieldSummary::named_unless_default, .minimum = -8, .maximum = 8},
    };
    return all;
  }
  void check_input(const LayerSpec& layer, const LayerPlace& place, const Shape& input) const override {
    LayerType::check_input(layer, place, input);
    check_last_axis(layer, place, input, "normalises");
  }
  std::unique_ptr<Layer> make(const LayerSpec& layer, const Shape& input, OpsBackend&) const override {
    return activation_layer(layer, Activation::softmax, input);
  }

  std::string_view tfjs_class() const override { return "Softmax"; }
  LayerSpec read_tfjs(const TfjsLayerReader& r) const override {
    r.check_common({"axis"}, "Softmax");
    LayerSpec layer;
    layer.axis = r.axis(-1);
    return layer;
  }
  void write_tfjs(const LayerSpec& layer, nlohmann::ordered_json& c) const override { c["axis"] = layer.axis; }
};

}  // namespace

const LayerType& relu_layer_type() {
  static const ReluType type;
  return type;
}

const LayerType& softmax_layer_type() {
  static const SoftmaxType type;
  return type;
}

}  // namespace gapscope

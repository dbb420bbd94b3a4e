// relu, leaky_relu and softmax as layers of their own, as Keras's ReLU,
// LeakyReLU and Softmax layers: any shape, no parameters.
//   relu: max_value if x >= max_value (null: no cap); x if x > threshold;
//         negative_slope * (x - threshold) otherwise
//   leaky_relu: x if x > 0, alpha * x otherwise
//   softmax: over the last axis
#include <cmath>

#include "core/base/number_text.h"
#include "core/io/tfjs_layer_config.h"
#include "core/layers/entry_support.h"
#include "core/nn/activation_layer.h"
#include "core/nn/piecewise_linear_layer.h"

namespace gapscope {
namespace {

using namespace layer_entry;

std::unique_ptr<Layer> activation_layer(LayerSpec layer, Activation activation, const Shape& input) {
  layer.activation = activation;
  return std::make_unique<ActivationLayer>(layer, input);
}

// Keras's ReLU options as OpsBackend's piecewise-linear function.
PiecewiseLinear piecewise_linear_of(const LayerSpec& layer) {
  return {.negative_slope = layer.negative_slope,
          .threshold = layer.threshold,
          .max_value = std::isnan(layer.max_value) ? std::numeric_limits<float>::infinity() : layer.max_value};
}

LayerField number_field(const char* key, float LayerSpec::*member, double initial, double minimum) {
  return {.key = key, .kind = LayerFieldKind::number, .member = member, .default_value = initial,
          .summary = FieldSummary::named_unless_default, .minimum = minimum, .maximum = 1e9, .step = 0.1};
}

void check_at_least_zero(float value, const std::string& path) {
  if (!(value >= 0.0f) || std::isinf(value))
    throw SpecError(path + " must be a number >= 0, got " + float_text(value));
}

class ReluType final : public LayerType {
 public:
  std::string_view name() const override { return "relu"; }
  std::string_view description() const override { return "a relu layer"; }
  const std::vector<LayerField>& fields() const override {
    static const std::vector<LayerField> all = {
        {.key = "max_value", .kind = LayerFieldKind::number, .member = &LayerSpec::max_value,
         .summary = FieldSummary::named_unless_default, .minimum = 0, .maximum = 1e9},
        number_field("negative_slope", &LayerSpec::negative_slope, 0.0, 0.0),
        number_field("threshold", &LayerSpec::threshold, 0.0, -1e9),
    };
    return all;
  }
  void check_fields(const LayerSpec& layer, const std::string& path, const SpecLimits&) const override {
    if (!std::isnan(layer.max_value)) check_at_least_zero(layer.max_value, path + ".max_value");
    check_at_least_zero(layer.negative_slope, path + ".negative_slope");
    if (!std::isfinite(layer.threshold)) throw SpecError(path + ".threshold must be a finite number, got " + float_text(layer.threshold));
  }
  std::unique_ptr<Layer> make(const LayerSpec& layer, const Shape& input, OpsBackend&) const override {
    return std::make_unique<PiecewiseLinearLayer>(layer, input, piecewise_linear_of(layer));
  }

  std::string_view tfjs_class() const override { return "ReLU"; }
  // Keras writes negative_slope and threshold too; TF.js's ReLU has max_value only.
  LayerSpec read_tfjs(const TfjsLayerReader& r) const override {
    r.check_common({"max_value", "negative_slope", "threshold"}, "ReLU");
    LayerSpec layer;
    layer.max_value = r.number("max_value", std::numeric_limits<float>::quiet_NaN());
    layer.negative_slope = r.number("negative_slope", 0.0f);
    layer.threshold = r.number("threshold", 0.0f);
    return layer;
  }
  void write_tfjs(const LayerSpec& layer, nlohmann::ordered_json& c) const override {
    if (layer.negative_slope != 0.0f || layer.threshold != 0.0f)
      throw SpecError("layer '" + layer.name + "': TF.js's ReLU layer has max_value only, so a negative_slope (" +
                      float_text(layer.negative_slope) + ") or threshold (" + float_text(layer.threshold) +
                      ") cannot be written for it (leaky_relu writes a slope)");
    c["max_value"] = std::isnan(layer.max_value) ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(layer.max_value);
  }
};

// leaky_relu: x if x > 0, alpha * x otherwise (TF.js's default alpha 0.3).
class LeakyReluType final : public LayerType {
 public:
  std::string_view name() const override { return "leaky_relu"; }
  std::string_view description() const override { return "a leaky_relu layer"; }
  const std::vector<LayerField>& fields() const override {
    static const std::vector<LayerField> all = {number_field("alpha", &LayerSpec::negative_slope, 0.3, 0.0)};
    return all;
  }
  void check_fields(const LayerSpec& layer, const std::string& path, const SpecLimits&) const override {
    check_at_least_zero(layer.negative_slope, path + ".alpha");
  }
  std::unique_ptr<Layer> make(const LayerSpec& layer, const Shape& input, OpsBackend&) const override {
    return std::make_unique<PiecewiseLinearLayer>(layer, input, PiecewiseLinear{.negative_slope = layer.negative_slope});
  }

  std::string_view tfjs_class() const override { return "LeakyReLU"; }
  // Keras 3 names alpha negative_slope.
  LayerSpec read_tfjs(const TfjsLayerReader& r) const override {
    r.check_common({"alpha", "negative_slope"}, "LeakyReLU");
    LayerSpec layer;
    layer.negative_slope = r.number(r.has("alpha") ? "alpha" : "negative_slope", 0.3f);
    return layer;
  }
  void write_tfjs(const LayerSpec& layer, nlohmann::ordered_json& c) const override { c["alpha"] = layer.negative_slope; }
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

const LayerType& leaky_relu_layer_type() {
  static const LeakyReluType type;
  return type;
}

const LayerType& softmax_layer_type() {
  static const SoftmaxType type;
  return type;
}

}  // namespace gapscope

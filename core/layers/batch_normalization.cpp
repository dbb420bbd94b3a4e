// batch_normalization over the last axis:
//   y = gamma (x - mean) / sqrt(var + epsilon) + beta; batch statistics in
//   training (moving averages updated with momentum), moving ones in inference.
//   gamma [C] (scale), beta [C] (center) trainable; moving_mean,
//   moving_variance [C] not.
#include <cmath>

#include "core/base/json_fields.h"
#include "core/base/number_text.h"
#include "core/io/tfjs_layer_config.h"
#include "core/layers/entry_support.h"
#include "core/nn/batch_norm_layer.h"
#include "core/spec/initializer_json.h"

namespace gapscope {
namespace {

using namespace layer_entry;

class BatchNormalizationType final : public LayerType {
 public:
  std::string_view name() const override { return "batch_normalization"; }
  std::string_view description() const override { return "a batch_normalization layer"; }
  const std::vector<LayerField>& fields() const override {
    static const std::vector<LayerField> all = joined_fields(
        {{{.key = "momentum", .kind = LayerFieldKind::number, .member = &LayerSpec::momentum, .default_value = 0.99,
           .summary = FieldSummary::named_unless_default, .maximum = 1, .step = 0.01},
          epsilon_field(),
          {.key = "axis", .kind = LayerFieldKind::integer, .member = &LayerSpec::axis, .default_value = -1,
           .minimum = -1}},
         affine_fields(),
         {initializer_field("moving_mean_initializer", &LayerSpec::moving_mean_initializer, Initializer::zeros),
          initializer_field("moving_variance_initializer", &LayerSpec::moving_variance_initializer,
                            Initializer::ones)}});
    return all;
  }
  void check_fields(const LayerSpec& layer, const std::string& path, const SpecLimits&) const override {
    if (!(layer.momentum >= 0.0f && layer.momentum <= 1.0f))
      throw SpecError(path + ".momentum must be in [0, 1], got " + float_text(layer.momentum));
    check_epsilon(layer, path);
  }
  void check_input(const LayerSpec& layer, const LayerPlace& place, const Shape& input) const override {
    LayerType::check_input(layer, place, input);
    check_last_axis(layer, place, input, "normalises");
  }
  std::vector<ParameterShape> parameters(const LayerSpec& layer, const Shape& input) const override {
    const int64_t c = last_dim(input);
    const std::string& n = layer.name;
    std::vector<ParameterShape> p = affine_parameters(layer, c);
    p.push_back({n + "/moving_mean", {c}, false});
    p.push_back({n + "/moving_variance", {c}, false});
    return p;
  }
  // output + normalised input
  int64_t kept_elements(const LayerSpec&, const Shape&, const Shape& output) const override {
    return saturating_mul(saturating_element_count(output), 2);
  }
  std::unique_ptr<Layer> make(const LayerSpec& layer, const Shape& input, OpsBackend& ops) const override {
    return std::make_unique<BatchNormLayer>(layer, input, ops);
  }

  std::string_view tfjs_class() const override { return "BatchNormalization"; }
  LayerSpec read_tfjs(const TfjsLayerReader& r) const override {
    r.check_common({"axis", "momentum", "epsilon", "center", "scale", "beta_initializer", "gamma_initializer",
                    "moving_mean_initializer", "moving_variance_initializer", "beta_regularizer",
                    "gamma_regularizer", "beta_constraint", "gamma_constraint"},
                   "BatchNormalization");
    r.note_ignored({"beta_regularizer", "gamma_regularizer"}, "regularizer");
    r.note_ignored({"beta_constraint", "gamma_constraint"}, "constraint");
    LayerSpec layer;
    layer.axis = r.axis(-1);
    layer.momentum = r.number("momentum", 0.99f);
    layer.epsilon = r.number("epsilon", 1e-3f);
    layer.center = r.flag("center", true);
    layer.scale = r.flag("scale", true);
    layer.beta_initializer = r.initializer("beta_initializer", Initializer::zeros);
    layer.gamma_initializer = r.initializer("gamma_initializer", Initializer::ones);
    layer.moving_mean_initializer = r.initializer("moving_mean_initializer", Initializer::zeros);
    layer.moving_variance_initializer = r.initializer("moving_variance_initializer", Initializer::ones);
    return layer;
  }
  void write_tfjs(const LayerSpec& layer, nlohmann::ordered_json& c) const override {
    c["axis"] = layer.axis;
    c["momentum"] = float_json_value(layer.momentum);
    c["epsilon"] = float_json_value(layer.epsilon);
    c["center"] = layer.center;
    c["scale"] = layer.scale;
    c["beta_initializer"] = initializer_to_tfjs_json(layer.beta_initializer);
    c["gamma_initializer"] = initializer_to_tfjs_json(layer.gamma_initializer);
    c["moving_mean_initializer"] = initializer_to_tfjs_json(layer.moving_mean_initializer);
    c["moving_variance_initializer"] = initializer_to_tfjs_json(layer.moving_variance_initializer);
    add_tfjs_nulls(c, {"beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint"});
  }
};

}  // namespace

const LayerType& batch_normalization_layer_type() {
  static const BatchNormalizationType type;
  return type;
}

}  // namespace gapscope

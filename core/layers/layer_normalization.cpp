// layer_normalization over the last axis (Keras/TF.js LayerNormalization):
//   per sample position, y = (x - mean) / sqrt(var + epsilon) * gamma + beta
//   with the mean and biased variance of that position's C features.
//   gamma [C] (if scale), beta [C] (if center), both trainable; no moving
//   statistics: training and inference compute the same.
#include <algorithm>
#include <cmath>

#include "core/base/json_fields.h"
#include "core/base/number_text.h"
#include "core/io/tfjs_layer_config.h"
#include "core/layers/entry_support.h"
#include "core/nn/layer_normalization_layer.h"
#include "core/spec/initializer_json.h"

namespace gapscope {
namespace {

using namespace layer_entry;

class LayerNormalizationType final : public LayerType {
 public:
  std::string_view name() const override { return "layer_normalization"; }
  std::string_view description() const override { return "a layer_normalization layer"; }
  const std::vector<LayerField>& fields() const override {
    static const std::vector<LayerField> all = joined_fields(
        {{{.key = "axis", .kind = LayerFieldKind::integer, .member = &LayerSpec::axis, .default_value = -1,
           .minimum = -1},
          epsilon_field()},
         affine_fields()});
    return all;
  }
  void check_fields(const LayerSpec& layer, const std::string& path, const SpecLimits&) const override {
    check_epsilon(layer, path);
  }
  void check_input(const LayerSpec& layer, const LayerPlace& place, const Shape& input) const override {
    LayerType::check_input(layer, place, input);
    check_last_axis(layer, place, input, "normalises");
  }
  std::vector<ParameterShape> parameters(const LayerSpec& layer, const Shape& input) const override {
    return affine_parameters(layer, last_dim(input));
  }
  // The output, and each position's mean and 1 / std (backward recomputes the
  // normalised input from x).
  int64_t kept_elements(const LayerSpec&, const Shape&, const Shape& output) const override {
    const int64_t positions = saturating_element_count(output) / std::max<int64_t>(1, last_dim(output));
    return saturating_add(saturating_element_count(output), saturating_mul(positions, 2));
  }
  std::unique_ptr<Layer> make(const LayerSpec& layer, const Shape& input, OpsBackend& ops) const override {
    return std::make_unique<LayerNormalizationLayer>(layer, input, ops);
  }

  std::string_view tfjs_class() const override { return "LayerNormalization"; }
  // TF.js writes axis as a list once the layer is built ([2] for [null, T, C]);
  // Keras adds constraints and (Keras 3) rms_scaling.
  LayerSpec read_tfjs(const TfjsLayerReader& r) const override {
    r.check_common({"axis", "epsilon", "center", "scale", "beta_initializer", "gamma_initializer", "beta_regularizer",
                    "gamma_regularizer", "beta_constraint", "gamma_constraint", "rms_scaling"},
                   "LayerNormalization");
    r.note_ignored({"beta_regularizer", "gamma_regularizer"}, "regularizer");
    r.note_ignored({"beta_constraint", "gamma_constraint"}, "constraint");
    r.require_false("rms_scaling", "root-mean-square normalizations");
    if (r.has("axis") && r.config["axis"].is_array() && r.config["axis"].size() != 1)
      throw SpecError(r.path_of("axis") + ": " + json_excerpt(r.config["axis"]) +
                      " normalises over several axes; layer_normalization normalises over the last axis only");
    LayerSpec layer;
    layer.axis = r.axis(-1);
    layer.epsilon = r.number("epsilon", 1e-3f);
    layer.center = r.flag("center", true);
    layer.scale = r.flag("scale", true);
    layer.beta_initializer = r.initializer("beta_initializer", Initializer::zeros);
    layer.gamma_initializer = r.initializer("gamma_initializer", Initializer::ones);
    return layer;
  }
  void write_tfjs(const LayerSpec& layer, nlohmann::ordered_json& c) const override {
    c["axis"] = layer.axis;
    c["epsilon"] = float_json_value(layer.epsilon);
    c["center"] = layer.center;
    c["scale"] = layer.scale;
    c["beta_initializer"] = initializer_to_tfjs_json(layer.beta_initializer);
    c["gamma_initializer"] = initializer_to_tfjs_json(layer.gamma_initializer);
    add_tfjs_nulls(c, {"beta_regularizer", "gamma_regularizer"});
  }
};

}  // namespace

const LayerType& layer_normalization_layer_type() {
  static const LayerNormalizationType type;
  return type;
}

}  // namespace gapscope

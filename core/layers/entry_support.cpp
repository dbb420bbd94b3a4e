#include "core/layers/entry_support.h"

#include <cmath>

#include "core/base/number_text.h"

#include "core/spec/initializer_json.h"

namespace gapscope::layer_entry {

using nlohmann::json;

LayerField count_field(const char* key, int64_t LayerSpec::*member, const char* required_hint, int64_t initial) {
  return {.key = key, .kind = LayerFieldKind::integer, .member = member, .required_hint = required_hint,
          .initial = initial, .summary = FieldSummary::named};
}

LayerField activation_field(json default_value, json initial, FieldSummary summary) {
  return {.key = "activation", .kind = LayerFieldKind::activation, .member = &LayerSpec::activation,
          .default_value = std::move(default_value), .initial = std::move(initial), .summary = summary};
}

LayerField use_bias_field() {
  return {.key = "use_bias", .kind = LayerFieldKind::boolean, .member = &LayerSpec::use_bias, .default_value = true};
}

LayerField initializer_field(const char* key, Initializer LayerSpec::*member, Initializer default_value) {
  return {.key = key, .kind = LayerFieldKind::initializer, .member = member,
          .default_value = std::string(initializer_name(default_value))};
}

LayerField padding_field() {
  return {.key = "padding", .kind = LayerFieldKind::padding, .member = &LayerSpec::padding, .default_value = "valid",
          .summary = FieldSummary::named_unless_default};
}

LayerField pair_field(const char* key, std::vector<int64_t> LayerSpec::*member, json default_value, json initial,
                      FieldSummary summary) {
  return {.key = key, .kind = LayerFieldKind::pair, .member = member, .default_value = std::move(default_value),
          .initial = std::move(initial), .summary = summary};
}

LayerField depth_multiplier_field() {
  return {.key = "depth_multiplier", .kind = LayerFieldKind::integer, .member = &LayerSpec::depth_multiplier,
          .default_value = 1, .summary = FieldSummary::named_unless_default, .minimum = 1};
}

std::vector<LayerField> joined_fields(std::initializer_list<std::vector<LayerField>> parts) {
  std::vector<LayerField> all;
  for (const std::vector<LayerField>& part : parts) all.insert(all.end(), part.begin(), part.end());
  return all;
}

void check_last_axis(const LayerSpec& layer, const LayerPlace& place, const Shape& input, const char* what) {
  const int64_t last = static_cast<int64_t>(input.size());  // counted with the batch axis
  if (layer.axis != -1 && layer.axis != last)
    throw SpecError(place.where + ": axis " + std::to_string(layer.axis) + " is not the last axis; " + layer.type +
                    " " + what + " over the last axis only (-1, or " + std::to_string(last) +
                    " for this input of rank " + std::to_string(last) + ")");
}

int64_t output_and_preactivation(const LayerSpec& layer, const Shape& output) {
  return saturating_mul(saturating_element_count(output), layer.activation != Activation::linear ? 2 : 1);
}

LayerField epsilon_field() {
  return {.key = "epsilon", .kind = LayerFieldKind::number, .member = &LayerSpec::epsilon, .default_value = 0.001,
          .summary = FieldSummary::named_unless_default, .maximum = 1, .step = 0.0001, .decimals = 6};
}

std::vector<LayerField> affine_fields() {
  return {{.key = "center", .kind = LayerFieldKind::boolean, .member = &LayerSpec::center, .default_value = true,
           .summary = FieldSummary::named_unless_default},
          {.key = "scale", .kind = LayerFieldKind::boolean, .member = &LayerSpec::scale, .default_value = true,
           .summary = FieldSummary::named_unless_default},
          initializer_field("beta_initializer", &LayerSpec::beta_initializer, Initializer::zeros),
          initializer_field("gamma_initializer", &LayerSpec::gamma_initializer, Initializer::ones)};
}

void check_epsilon(const LayerSpec& layer, const std::string& path) {
  if (!(layer.epsilon > 0.0f && std::isfinite(layer.epsilon)))
    throw SpecError(path + ".epsilon must be > 0, got " + float_text(layer.epsilon));
}

std::vector<ParameterShape> affine_parameters(const LayerSpec& layer, int64_t channels) {
  std::vector<ParameterShape> own;
  if (layer.scale) own.push_back({layer.name + "/gamma", {channels}});
  if (layer.center) own.push_back({layer.name + "/beta", {channels}});
  return own;
}

}  // namespace gapscope::layer_entry

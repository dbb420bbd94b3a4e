// ModelSpec <-> JSON. Parsing checks JSON types, enum names and unknown keys
// (with field paths); validate_model_spec then checks values, names and sizes,
// so specs built in code and specs read from files meet the same rules.
#include "core/spec/model_spec.h"

#include <nlohmann/json.hpp>

#include "core/base/atomic_file.h"
#include "core/base/json_fields.h"
#include "core/base/json_text.h"
#include "core/spec/layer_spec_json.h"
#include "core/base/number_text.h"
#include "core/spec/optimizer_json.h"

namespace gapscope {

using nlohmann::json;

namespace {

constexpr int64_t kMaxSpecFileBytes = 64LL << 20;

template <typename Enum, typename NameOf>
std::string known_names(const std::vector<Enum>& all, NameOf name_of) {
  std::vector<std::string> names;
  for (Enum e : all) names.emplace_back(name_of(e));
  return join_names(names);
}

Loss read_loss(const json& j, const std::string& path) {
  std::string name = read_string(j, path);
  if (auto l = parse_loss(name)) return *l;
  throw SpecError(path + ": unknown loss '" + name + "'; known: " + known_names(all_losses(), loss_name));
}

void parse_input(const json& j, ModelSpec& spec) {
  expect_object(j, "input");
  reject_unknown_keys(j, "input", {"shape", "name"}, "input");
  const json& shape_json = expect_array(required_field(j, "input", "shape", "e.g. [784]"), "input.shape");
  for (size_t i = 0; i < shape_json.size(); ++i)
    spec.input_shape.push_back(read_integer(shape_json[i], element_path("input.shape", i)));
  if (const json* name = optional_field(j, "name")) spec.input_name = read_string(*name, "input.name");
}

void check_format(const json& j) {
  const std::string both = std::string("\"") + kModelSpecFormat + "\" or \"" + kModelGraphSpecFormat + "\"";
  const json& format = required_field(j, "", "format", "it must be " + both);
  if (!format.is_string() ||
      (format.get<std::string>() != kModelSpecFormat && format.get<std::string>() != kModelGraphSpecFormat))
    throw SpecError("format must be " + both + ", got " + json_excerpt(format));
}

}  // namespace

ModelSpec parse_model_spec(const json& j, const SpecLimits& limits) {
  expect_object(j, "");
  check_format(j);
  reject_unknown_keys(j, "", {"format", "name", "input", "layers", "loss", "optimizer"}, "the model spec");
  ModelSpec spec;
  if (const json* name = optional_field(j, "name")) spec.name = read_string(*name, "name");
  parse_input(required_field(j, "", "input", "e.g. {\"shape\": [784]}"), spec);

  const json& layers = expect_array(required_field(j, "", "layers", "a non-empty array"), "layers");
  if (layers.empty()) throw SpecError("layers must not be empty");
  // Before reading (and allocating) anything per layer.
  if (static_cast<int64_t>(layers.size()) > limits.max_layers)
    throw SpecError("layers has " + with_thousands(static_cast<int64_t>(layers.size())) +
                    " entries, over the limit of " + with_thousands(limits.max_layers));
  for (size_t i = 0; i < layers.size(); ++i) spec.layers.push_back(parse_layer_json(layers[i], element_path("layers", i)));

  // Missing loss and optimizer mean "the defaults": what TF.js users get from
  // compile({loss: 'categoricalCrossentropy', optimizer: 'sgd'}).
  if (const json* loss = optional_field(j, "loss")) spec.loss = read_loss(*loss, "loss");
  spec.optimizer = default_optimizer_config(OptimizerKind::sgd);
  if (const json* optimizer = optional_field(j, "optimizer")) spec.optimizer = parse_optimizer_json(*optimizer, "optimizer");

  validate_model_spec(spec, limits);
  return spec;
}

json model_spec_to_json(const ModelSpec& spec) {
  json layers = json::array();
  for (const LayerSpec& layer : spec.layers) layers.push_back(layer_spec_to_json(layer));
  json input = {{"shape", spec.input_shape}};
  if (spec.input_name != kDefaultInputName) input["name"] = spec.input_name;
  return {{"format", model_spec_format(spec)},
          {"name", spec.name},
          {"input", std::move(input)},
          {"layers", std::move(layers)},
          {"loss", loss_name(spec.loss)},
          {"optimizer", optimizer_to_json(spec.optimizer)}};
}

const char* model_spec_format(const ModelSpec& spec) {
  if (spec.input_name != kDefaultInputName) return kModelGraphSpecFormat;
  for (const LayerSpec& layer : spec.layers)
    if (!layer.inputs.empty()) return kModelGraphSpecFormat;
  return kModelSpecFormat;
}

ModelSpec parse_model_spec_text(const std::string& text, const SpecLimits& limits) {
  // The layer limit also while parsing: a million layers stop at the 1,001st.
  return parse_model_spec(parse_json_text(text, {{"layers", limits.max_layers}}), limits);
}

ModelSpec load_model_spec_file(const std::string& path, const SpecLimits& limits) {
  std::string text;
  try {
    text = read_file_limited(path, kMaxSpecFileBytes);
  } catch (const std::exception& e) {
    throw SpecError(e.what());
  }
  try {
    return parse_model_spec_text(text, limits);
  } catch (const SpecError& e) {
    throw SpecError(path + ": " + e.what());
  }
}

}  // namespace gapscope

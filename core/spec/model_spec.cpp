// ModelSpec <-> JSON. Parsing checks JSON types, enum names and unknown keys
// (with field paths); validate_model_spec then checks values, names and sizes,
// so specs built in code and specs read from files meet the same rules.
#include "core/spec/model_spec.h"

#include <nlohmann/json.hpp>

#include "core/io/atomic_file.h"
#include "core/spec/initializer_json.h"
#include "core/spec/json_fields.h"
#include "core/spec/json_text.h"
#include "core/spec/number_text.h"
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

Activation read_activation(const json& j, const std::string& path) {
  std::string name = read_string(j, path);
  if (auto a = parse_activation(name)) return *a;
  throw SpecError(path + ": unknown activation '" + name + "'; known: " +
                  known_names(all_activations(), activation_name));
}

Loss read_loss(const json& j, const std::string& path) {
  std::string name = read_string(j, path);
  if (auto l = parse_loss(name)) return *l;
  throw SpecError(path + ": unknown loss '" + name + "'; known: " + known_names(all_losses(), loss_name));
}

void read_dense_fields(const json& j, const std::string& path, LayerSpec& layer) {
  reject_unknown_keys(j, path,
                      {"type", "name", "units", "activation", "use_bias", "kernel_initializer", "bias_initializer"},
                      "a dense layer");
  layer.units = read_integer(required_field(j, path, "units", "a dense layer needs units (an integer >= 1)"),
                             field_path(path, "units"));
  if (const json* a = optional_field(j, "activation")) layer.activation = read_activation(*a, field_path(path, "activation"));
  if (const json* b = optional_field(j, "use_bias")) layer.use_bias = read_bool(*b, field_path(path, "use_bias"));
  if (const json* k = optional_field(j, "kernel_initializer"))
    layer.kernel_initializer = parse_initializer_json(*k, field_path(path, "kernel_initializer"));
  if (const json* b = optional_field(j, "bias_initializer"))
    layer.bias_initializer = parse_initializer_json(*b, field_path(path, "bias_initializer"));
}

LayerSpec parse_layer(const json& j, const std::string& path) {
  expect_object(j, path);
  LayerSpec layer;
  std::string type_path = field_path(path, "type");
  layer.type = read_string(required_field(j, path, "type", "one of " + join_names(layer_type_names())), type_path);
  if (layer.type == "dense") {
    read_dense_fields(j, path, layer);
  } else if (layer.type == "activation") {
    reject_unknown_keys(j, path, {"type", "name", "activation"}, "an activation layer");
    layer.activation = read_activation(required_field(j, path, "activation", "e.g. \"relu\""),
                                       field_path(path, "activation"));
  } else if (layer.type == "dropout") {
    reject_unknown_keys(j, path, {"type", "name", "rate"}, "a dropout layer");
    layer.rate = read_float(required_field(j, path, "rate", "a number in [0, 1)"), field_path(path, "rate"));
  } else {
    throw SpecError(type_path + ": unknown layer type '" + layer.type + "'; known: " +
                    join_names(layer_type_names()));
  }
  if (const json* name = optional_field(j, "name")) {
    layer.name = read_string(*name, field_path(path, "name"));
    // An empty name would silently become the default one.
    if (layer.name.empty()) throw SpecError(field_path(path, "name") + " must not be empty; omit it for a default");
  }
  return layer;
}

Shape parse_input_shape(const json& j) {
  expect_object(j, "input");
  reject_unknown_keys(j, "input", {"shape"}, "input");
  const json& shape_json = expect_array(required_field(j, "input", "shape", "e.g. [784]"), "input.shape");
  Shape shape;
  for (size_t i = 0; i < shape_json.size(); ++i) shape.push_back(read_integer(shape_json[i], element_path("input.shape", i)));
  return shape;
}

void check_format(const json& j) {
  const json& format = required_field(j, "", "format", std::string("it must be \"") + kModelSpecFormat + "\"");
  if (!format.is_string() || format.get<std::string>() != kModelSpecFormat)
    throw SpecError(std::string("format must be \"") + kModelSpecFormat + "\", got " + format.dump());
}

json layer_to_json(const LayerSpec& layer) {
  json out = {{"type", layer.type}, {"name", layer.name}};
  if (layer.type == "dense") {
    out["units"] = layer.units;
    out["activation"] = activation_name(layer.activation);
    out["use_bias"] = layer.use_bias;
    out["kernel_initializer"] = initializer_name(layer.kernel_initializer);
    out["bias_initializer"] = initializer_name(layer.bias_initializer);
  } else if (layer.type == "activation") {
    out["activation"] = activation_name(layer.activation);
  } else if (layer.type == "dropout") {
    out["rate"] = float_json_value(layer.rate);
  }
  return out;
}

}  // namespace

ModelSpec parse_model_spec(const json& j, const SpecLimits& limits) {
  expect_object(j, "");
  check_format(j);
  reject_unknown_keys(j, "", {"format", "name", "input", "layers", "loss", "optimizer"}, "the model spec");
  ModelSpec spec;
  if (const json* name = optional_field(j, "name")) spec.name = read_string(*name, "name");
  spec.input_shape = parse_input_shape(required_field(j, "", "input", "e.g. {\"shape\": [784]}"));

  const json& layers = expect_array(required_field(j, "", "layers", "a non-empty array"), "layers");
  if (layers.empty()) throw SpecError("layers must not be empty");
  // Before reading (and allocating) anything per layer.
  if (static_cast<int64_t>(layers.size()) > limits.max_layers)
    throw SpecError("layers has " + with_thousands(static_cast<int64_t>(layers.size())) +
                    " entries, over the limit of " + with_thousands(limits.max_layers));
  for (size_t i = 0; i < layers.size(); ++i) spec.layers.push_back(parse_layer(layers[i], element_path("layers", i)));

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
  for (const LayerSpec& layer : spec.layers) layers.push_back(layer_to_json(layer));
  return {{"format", kModelSpecFormat},
          {"name", spec.name},
          {"input", {{"shape", spec.input_shape}}},
          {"layers", std::move(layers)},
          {"loss", loss_name(spec.loss)},
          {"optimizer", optimizer_to_json(spec.optimizer)}};
}

ModelSpec parse_model_spec_text(const std::string& text, const SpecLimits& limits) {
  return parse_model_spec(parse_json_text(text), limits);
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

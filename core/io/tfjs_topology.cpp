// The model level of model.json: Sequential topology or a functional chain, trainingConfig (loss,
// optimizer). Layer configs: tfjs_layer_writer.cpp, tfjs_layer_reader.cpp.
#include "core/io/tfjs_topology.h"

#include <optional>

#include "core/io/model_file.h"
#include "core/io/tfjs_functional.h"
#include "core/io/tfjs_layer_config.h"
#include "core/base/json_fields.h"
#include "core/base/number_text.h"

namespace gapscope {

using nlohmann::json;
using nlohmann::ordered_json;

namespace {

// ---------- writing ----------

// TF.js optimizer classes and their getConfig() keys, in TF.js's order.
ordered_json tfjs_optimizer_config(const OptimizerConfig& c) {
  auto number = [](float f) { return float_json_value(f); };
  ordered_json config{{"learningRate", number(c.learning_rate)}};
  std::string class_name;
  switch (c.kind) {
    case OptimizerKind::sgd: class_name = "SGD"; break;
    case OptimizerKind::momentum:
      class_name = "Momentum";
      config["momentum"] = number(c.momentum);
      config["useNesterov"] = c.nesterov;
      break;
    case OptimizerKind::adagrad:
      class_name = "Adagrad";
      config["initialAccumulatorValue"] = number(c.initial_accumulator);
      break;
    case OptimizerKind::adadelta:
      class_name = "Adadelta";
      config["rho"] = number(c.rho);
      config["epsilon"] = number(c.epsilon);
      break;
    case OptimizerKind::adam:
      class_name = "Adam";
      config["beta1"] = number(c.beta1);
      config["beta2"] = number(c.beta2);
      config["epsilon"] = number(c.epsilon);
      break;
    case OptimizerKind::adamax:
      class_name = "Adamax";
      config["beta1"] = number(c.beta1);
      config["beta2"] = number(c.beta2);
      config["epsilon"] = number(c.epsilon);
      config["decay"] = number(c.decay);
      break;
    case OptimizerKind::rmsprop:
      class_name = "RMSProp";
      config["decay"] = number(c.rho);  // TF.js calls RMSProp's rho "decay"
      config["momentum"] = number(c.momentum);
      config["epsilon"] = number(c.epsilon);
      config["centered"] = c.centered;
      break;
  }
  return ordered_json{{"class_name", class_name}, {"config", config}};
}

// ---------- reading ----------

Loss read_tfjs_loss(const json& loss_json, const std::string& path) {
  const json* loss = &loss_json;
  if (loss->is_array() && loss->size() == 1) loss = &(*loss)[0];  // one output
  std::string name = read_string(*loss, path);
  if (auto l = parse_loss(snake_case(name))) return *l;
  throw SpecError(path + ": unsupported loss '" + name + "'");
}

OptimizerConfig read_tfjs_optimizer(const json& optimizer, const std::string& path) {
  expect_object(optimizer, path);
  std::string class_name = read_string(required_field(optimizer, path, "class_name"), field_path(path, "class_name"));
  auto kind = parse_optimizer(class_name);
  if (!kind) throw SpecError(field_path(path, "class_name") + ": unsupported optimizer class '" + class_name + "'");
  OptimizerConfig c = default_optimizer_config(*kind);
  const json* config_json = optional_field(optimizer, "config");
  if (!config_json || config_json->is_null()) return c;
  std::string config_path = field_path(path, "config");
  json config = snake_case_keys(expect_object(*config_json, config_path), config_path);

  // TF.js's camelCase keys in snake_case, with Keras's spellings too.
  std::vector<std::pair<std::string_view, float*>> numbers = {{"learning_rate", &c.learning_rate},
                                                              {"lr", &c.learning_rate}};
  std::vector<std::pair<std::string_view, bool*>> flags;
  switch (*kind) {
    case OptimizerKind::sgd: break;
    case OptimizerKind::momentum:
      numbers.push_back({"momentum", &c.momentum});
      flags = {{"use_nesterov", &c.nesterov}, {"nesterov", &c.nesterov}};
      break;
    case OptimizerKind::adagrad: numbers.push_back({"initial_accumulator_value", &c.initial_accumulator}); break;
    case OptimizerKind::adadelta: numbers.insert(numbers.end(), {{"rho", &c.rho}, {"epsilon", &c.epsilon}}); break;
    case OptimizerKind::adam:
    case OptimizerKind::adamax:
      numbers.insert(numbers.end(), {{"beta1", &c.beta1}, {"beta_1", &c.beta1}, {"beta2", &c.beta2},
                                     {"beta_2", &c.beta2}, {"epsilon", &c.epsilon}});
      if (*kind == OptimizerKind::adamax) numbers.push_back({"decay", &c.decay});
      break;
    case OptimizerKind::rmsprop:
      numbers.insert(numbers.end(),
                     {{"decay", &c.rho}, {"rho", &c.rho}, {"momentum", &c.momentum}, {"epsilon", &c.epsilon}});
      flags = {{"centered", &c.centered}};
      break;
  }
  std::vector<std::string_view> known = {"name"};
  for (auto& [key, target] : numbers) known.push_back(key);
  for (auto& [key, target] : flags) known.push_back(key);
  reject_unknown_keys(config, config_path, known, "a " + class_name + " optimizer's config");
  // null means "TF.js's default" (epsilon: null is the backend epsilon).
  for (auto& [key, target] : numbers)
    if (const json* v = optional_field(config, key); v && !v->is_null()) *target = read_float(*v, field_path(config_path, key));
  for (auto& [key, target] : flags)
    if (const json* v = optional_field(config, key); v && !v->is_null()) *target = read_bool(*v, field_path(config_path, key));
  return c;
}

void read_training_config(const json& training, const std::string& path, ModelSpec& spec) {
  expect_object(training, path);
  if (const json* loss = optional_field(training, "loss")) spec.loss = read_tfjs_loss(*loss, field_path(path, "loss"));
  if (const json* optimizer = optional_field(training, "optimizer_config"))
    spec.optimizer = read_tfjs_optimizer(*optimizer, field_path(path, "optimizer_config"));
}

}  // namespace

// A chain with the default input name is a Sequential model, as before;
// anything else a functional one.
ordered_json tfjs_model_topology(const ModelSpec& spec) {
  const bool sequential = std::string(model_spec_format(spec)) == kModelSpecFormat;
  ordered_json config;
  if (sequential) {
    ordered_json layers = ordered_json::array();
    for (size_t i = 0; i < spec.layers.size(); ++i) layers.push_back(tfjs_layer_json(spec.layers[i], spec, i == 0));
    config = ordered_json{{"name", spec.name}, {"layers", layers}};
  } else {
    config = tfjs_functional_topology(spec);
  }
  return ordered_json{{"class_name", sequential ? "Sequential" : "Model"},
                      {"config", config},
                      {"keras_version", std::string("tfjs-layers ") + kTfjsLayersVersion},
                      {"backend", "tensor_flow.js"}};
}

ordered_json tfjs_training_config(const ModelSpec& spec) {
  ordered_json metrics = ordered_json::array();
  if (spec.loss != Loss::mean_squared_error) metrics.push_back("accuracy");
  return ordered_json{{"loss", loss_name(spec.loss)},
                      {"metrics", metrics},
                      {"optimizer_config", tfjs_optimizer_config(spec.optimizer)}};
}

ModelSpec spec_from_tfjs_model_json(const json& model_json, const std::string& path, const SpecLimits& limits,
                                    std::vector<std::string>* notes) {
  const json* topology = &expect_object(required_field(model_json, "", "modelTopology"), "modelTopology");
  std::string topology_path = "modelTopology";
  // Files converted from Keras HDF5 nest the model one level down.
  const json* keras_training = optional_field(*topology, "training_config");
  if (const json* nested = optional_field(*topology, "model_config")) {
    topology_path += ".model_config";
    topology = &expect_object(*nested, topology_path);
  }
  std::string class_name = read_string(required_field(*topology, topology_path, "class_name"),
                                       field_path(topology_path, "class_name"));
  const bool functional = class_name == "Model" || class_name == "Functional";
  if (class_name != "Sequential" && !functional)
    throw SpecError(field_path(topology_path, "class_name") + ": unknown model class '" + class_name +
                    "'; known: Sequential, Model, Functional");

  ModelSpec spec;
  std::string config_path = field_path(topology_path, "config");
  const json& config = required_field(*topology, topology_path, "config");
  const json* layers = &config;  // older Keras: the config is the layer list
  std::string layers_path = config_path;
  if (config.is_object()) {
    if (const json* name = optional_field(config, "name"); name && !name->is_null())
      spec.name = read_string(*name, field_path(config_path, "name"));
    layers_path = field_path(config_path, "layers");
    layers = &required_field(config, config_path, "layers");
  }
  expect_array(*layers, layers_path);
  if (static_cast<int64_t>(layers->size()) > limits.max_layers)
    throw SpecError(layers_path + " has " + with_thousands(static_cast<int64_t>(layers->size())) +
                    " layers, over the limit of " + with_thousands(limits.max_layers));
  std::vector<size_t> order(layers->size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  FunctionalGraph graph;
  if (functional) {
    graph = read_functional_graph(expect_object(config, config_path), config_path, layers_path);
    order = graph.order;
  }

  bool have_input_shape = false;
  for (size_t step = 0; step < order.size(); ++step) {
    const size_t i = order[step];
    std::string layer_path = element_path(layers_path, i);
    const json& entry = expect_object((*layers)[i], layer_path);
    std::string layer_class =
        read_string(required_field(entry, layer_path, "class_name"), field_path(layer_path, "class_name"));
    std::string cfg_path = field_path(layer_path, "config");
    TfjsLayerReader reader{cfg_path,
                           snake_case_keys(expect_object(required_field(entry, layer_path, "config"), cfg_path),
                                           cfg_path),
                           notes, optional_field(model_json, "weightsManifest")};
    if (layer_class == "InputLayer") {
      if (step != 0) throw SpecError(layer_path + ": an InputLayer must come first");
      reader.check_common({"sparse", "ragged"}, "InputLayer");
      if (reader.has("sparse") && read_bool(reader.config["sparse"], reader.path_of("sparse")))
        throw SpecError(reader.path_of("sparse") + ": sparse inputs are not supported");
      have_input_shape = read_tfjs_input_shape(layer_class, reader, spec.input_shape);
      if (functional) spec.input_name = graph.input;  // the layers name it as their input
      continue;
    }
    std::optional<LayerSpec> layer = read_tfjs_layer(layer_class, reader);
    if (!layer)
      throw ModelFileError("unsupported layer class '" + layer_class + "' (layers[" + std::to_string(i) + "]) in " +
                           path + "; supported: " + supported_tfjs_layer_classes() + " (and a leading InputLayer)");
    if (!have_input_shape) {
      have_input_shape = read_tfjs_input_shape(layer_class, reader, spec.input_shape);
      if (!have_input_shape)
        throw SpecError(layer_path + ": the first layer has no batch_input_shape (and there is no InputLayer), "
                                     "so the input shape is unknown");
    }
    if (functional) {
      // Only where they differ from "the layer before" (a chain stays a chain).
      const std::string& before = spec.layers.empty() ? spec.input_name : spec.layers.back().name;
      if (graph.inbound[i] != std::vector<std::string>{before}) layer->inputs = graph.inbound[i];
    }
    spec.layers.push_back(std::move(*layer));
  }

  spec.loss = Loss::categorical_crossentropy;
  spec.optimizer = default_optimizer_config(OptimizerKind::sgd);
  if (const json* training = optional_field(model_json, "trainingConfig"); training && !training->is_null())
    read_training_config(*training, "trainingConfig", spec);
  else if (keras_training && !keras_training->is_null())
    read_training_config(*keras_training, "modelTopology.training_config", spec);

  validate_model_spec(spec, limits);
  return spec;
}

}  // namespace gapscope

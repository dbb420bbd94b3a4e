#include "core/io/tfjs_topology.h"

#include <cctype>

#include "core/io/model_file.h"
#include "core/spec/initializer_json.h"
#include "core/spec/json_fields.h"
#include "core/spec/number_text.h"

namespace gapscope {

using nlohmann::json;
using nlohmann::ordered_json;

namespace {

// ---------- writing ----------

// Every layer config ends with these, as Layer.getConfig() writes them; only
// the first layer carries the input shape (and, in 4.22, the dtype).
void add_base_config(ordered_json& config, const LayerSpec& layer, const ModelSpec& spec, bool first) {
  config["name"] = layer.name;
  config["trainable"] = true;
  if (first) {
    ordered_json shape = ordered_json::array({nullptr});
    for (int64_t d : spec.input_shape) shape.push_back(d);
    config["batch_input_shape"] = shape;
    config["dtype"] = "float32";
  }
}

ordered_json tfjs_layer(const LayerSpec& layer, const ModelSpec& spec, bool first) {
  ordered_json config;
  std::string class_name;
  if (layer.type == "dense") {
    class_name = "Dense";
    config["units"] = layer.units;
    config["activation"] = activation_name(layer.activation);
    config["use_bias"] = layer.use_bias;
    config["kernel_initializer"] = initializer_to_tfjs_json(layer.kernel_initializer);
    config["bias_initializer"] = initializer_to_tfjs_json(layer.bias_initializer);
    for (const char* key : {"kernel_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint",
                            "bias_constraint"})
      config[key] = nullptr;
  } else if (layer.type == "activation") {
    class_name = "Activation";
    config["activation"] = activation_name(layer.activation);
  } else if (layer.type == "dropout") {
    class_name = "Dropout";
    config["rate"] = float_json_value(layer.rate);
    config["noise_shape"] = nullptr;
    config["seed"] = nullptr;
  } else {
    throw SpecError("layer type '" + layer.type + "' has no TF.js form");
  }
  add_base_config(config, layer, spec, first);
  return ordered_json{{"class_name", class_name}, {"config", config}};
}

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

// TF.js reads both spellings (convertPythonicToTs): "batchInputShape" == "batch_input_shape".
std::string snake_case(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (std::isupper(static_cast<unsigned char>(c))) {
      if (!out.empty()) out += '_';
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      out += c;
    }
  }
  return out;
}

json snake_case_keys(const json& object, const std::string& path) {
  json out = json::object();
  for (const auto& item : object.items()) {
    std::string key = snake_case(item.key());
    if (out.contains(key)) throw SpecError(field_path(path, item.key()) + ": " + key + " is given twice");
    out[key] = item.value();
  }
  return out;
}

struct TfjsLayerReader {
  std::string config_path;
  json config;  // keys in snake_case

  bool has(const char* key) const { return config.contains(key) && !config[key].is_null(); }
  std::string path_of(const char* key) const { return field_path(config_path, key); }

  // Settings we do not implement must be absent or null, never ignored.
  void require_null(const char* key, const char* what) const {
    if (has(key)) throw SpecError(path_of(key) + ": " + what + " are not supported (must be null)");
  }

  void check_common(const std::vector<std::string_view>& own_keys, const std::string& class_name) const {
    std::vector<std::string_view> known = own_keys;
    for (std::string_view k : {"name", "trainable", "dtype", "batch_input_shape", "batch_size", "input_dim",
                               "batch_shape"})
      known.push_back(k);
    reject_unknown_keys(config, config_path, known, "a " + class_name + " layer's config");
    if (has("trainable") && !read_bool(config["trainable"], path_of("trainable")))
      throw SpecError(path_of("trainable") + ": frozen (non-trainable) layers are not supported");
    if (has("dtype") && read_string(config["dtype"], path_of("dtype")) != "float32")
      throw SpecError(path_of("dtype") + " must be \"float32\", got " + config["dtype"].dump());
  }

  Activation activation(const char* key, Activation fallback) const {
    if (!has(key)) return fallback;
    std::string name = read_string(config[key], path_of(key));
    if (auto a = parse_activation(name)) return *a;
    throw SpecError(path_of(key) + ": unsupported activation '" + name + "'");
  }

  std::string name() const { return has("name") ? read_string(config["name"], path_of("name")) : ""; }
};

LayerSpec read_dense(const TfjsLayerReader& r) {
  r.check_common({"units", "activation", "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer",
                  "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint"},
                 "Dense");
  for (const char* key : {"kernel_regularizer", "bias_regularizer", "activity_regularizer"})
    r.require_null(key, "regularizers");
  for (const char* key : {"kernel_constraint", "bias_constraint"}) r.require_null(key, "constraints");
  LayerSpec layer;
  layer.type = "dense";
  layer.units = read_integer(required_field(r.config, r.config_path, "units"), r.path_of("units"));
  layer.activation = r.activation("activation", Activation::linear);
  if (r.has("use_bias")) layer.use_bias = read_bool(r.config["use_bias"], r.path_of("use_bias"));
  // TF.js's Dense defaults to glorotNormal (Keras: glorot_uniform).
  layer.kernel_initializer = r.has("kernel_initializer")
                                 ? parse_initializer_json(r.config["kernel_initializer"], r.path_of("kernel_initializer"))
                                 : Initializer::glorot_normal;
  layer.bias_initializer = r.has("bias_initializer")
                               ? parse_initializer_json(r.config["bias_initializer"], r.path_of("bias_initializer"))
                               : Initializer::zeros;
  layer.name = r.name();
  return layer;
}

LayerSpec read_activation_layer(const TfjsLayerReader& r) {
  r.check_common({"activation"}, "Activation");
  LayerSpec layer;
  layer.type = "activation";
  if (!r.has("activation")) throw SpecError(r.path_of("activation") + " is missing");
  layer.activation = r.activation("activation", Activation::linear);
  layer.name = r.name();
  return layer;
}

LayerSpec read_dropout(const TfjsLayerReader& r) {
  r.check_common({"rate", "noise_shape", "seed"}, "Dropout");
  r.require_null("noise_shape", "dropout noise shapes");
  // "seed" is ignored: dropout masks come from the run's seed on every backend.
  LayerSpec layer;
  layer.type = "dropout";
  layer.rate = read_float(required_field(r.config, r.config_path, "rate"), r.path_of("rate"));
  layer.name = r.name();
  return layer;
}

// [null, 784] -> [784]; the batch dimension may be null or a number.
Shape read_batch_input_shape(const TfjsLayerReader& r, const char* key) {
  const json& shape = expect_array(r.config[key], r.path_of(key));
  if (shape.size() < 2)
    throw SpecError(r.path_of(key) + " must be [batch, ...dims] with at least one dimension, got " + shape.dump());
  Shape dims;
  for (size_t i = 1; i < shape.size(); ++i) dims.push_back(read_integer(shape[i], element_path(r.path_of(key), i)));
  return dims;
}

// The input shape a layer config declares, if any.
bool read_input_shape(const TfjsLayerReader& r, Shape& shape) {
  for (const char* key : {"batch_input_shape", "batch_shape"})
    if (r.has(key)) {
      shape = read_batch_input_shape(r, key);
      return true;
    }
  if (r.has("input_dim")) {
    shape = {read_integer(r.config["input_dim"], r.path_of("input_dim"))};
    return true;
  }
  return false;
}

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

ordered_json tfjs_model_topology(const ModelSpec& spec) {
  ordered_json layers = ordered_json::array();
  for (size_t i = 0; i < spec.layers.size(); ++i) layers.push_back(tfjs_layer(spec.layers[i], spec, i == 0));
  return ordered_json{{"class_name", "Sequential"},
                      {"config", ordered_json{{"name", spec.name}, {"layers", layers}}},
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

ModelSpec spec_from_tfjs_model_json(const json& model_json, const std::string& path, const SpecLimits& limits) {
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
  if (class_name != "Sequential")
    throw SpecError(field_path(topology_path, "class_name") + ": only Sequential models can be imported, got '" +
                    class_name + "'");

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

  bool have_input_shape = false;
  for (size_t i = 0; i < layers->size(); ++i) {
    std::string layer_path = element_path(layers_path, i);
    const json& entry = expect_object((*layers)[i], layer_path);
    std::string layer_class =
        read_string(required_field(entry, layer_path, "class_name"), field_path(layer_path, "class_name"));
    std::string cfg_path = field_path(layer_path, "config");
    TfjsLayerReader reader{cfg_path,
                           snake_case_keys(expect_object(required_field(entry, layer_path, "config"), cfg_path),
                                           cfg_path)};
    if (layer_class == "InputLayer") {
      if (i != 0) throw SpecError(layer_path + ": an InputLayer must come first");
      reader.check_common({"sparse", "ragged"}, "InputLayer");
      if (reader.has("sparse") && read_bool(reader.config["sparse"], reader.path_of("sparse")))
        throw SpecError(reader.path_of("sparse") + ": sparse inputs are not supported");
      have_input_shape = read_input_shape(reader, spec.input_shape);
      continue;
    }
    LayerSpec layer;
    if (layer_class == "Dense")
      layer = read_dense(reader);
    else if (layer_class == "Activation")
      layer = read_activation_layer(reader);
    else if (layer_class == "Dropout")
      layer = read_dropout(reader);
    else
      throw ModelFileError("unsupported layer class '" + layer_class + "' (layers[" + std::to_string(i) + "]) in " +
                           path + "; supported: Dense, Activation, Dropout (and a leading InputLayer)");
    if (!have_input_shape) {
      have_input_shape = read_input_shape(reader, spec.input_shape);
      if (!have_input_shape)
        throw SpecError(layer_path + ": the first layer has no batch_input_shape (and there is no InputLayer), "
                                     "so the input shape is unknown");
    }
    spec.layers.push_back(std::move(layer));
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

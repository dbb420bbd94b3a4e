// Reading TF.js layer configs: what TF.js 4.22 writes, and Keras's spellings.
// Any setting we do not implement (regularizers, constraints, dilation,
// masking, stateful RNNs, ...) is refused by field path, never ignored.
// Defaults for absent keys are TF.js's: Dense, Conv2D and RNN kernels
// glorot_normal, and LSTM unit_forget_bias false (TF.js leaves it undefined,
// which its LSTM treats as false).
#include "core/io/tfjs_layer_config.h"

#include <algorithm>
#include <cctype>

#include "core/spec/initializer_json.h"
#include "core/base/json_fields.h"

namespace gapscope {

using nlohmann::json;

namespace {

Shape read_int_list(const json& j, const std::string& path) {
  expect_array(j, path);
  Shape out;
  for (size_t i = 0; i < j.size(); ++i) out.push_back(read_integer(j[i], element_path(path, i)));
  return out;
}

struct Reader {
  const TfjsLayerReader& r;

  const json& at(const char* key) const { return r.config[key]; }
  int64_t integer(const char* key) const {
    return read_integer(required_field(r.config, r.config_path, key), r.path_of(key));
  }
  bool flag(const char* key, bool fallback) const {
    return r.has(key) ? read_bool(at(key), r.path_of(key)) : fallback;
  }
  float number(const char* key, float fallback) const {
    return r.has(key) ? read_float(at(key), r.path_of(key)) : fallback;
  }
  Initializer init(const char* key, Initializer fallback) const {
    return r.has(key) ? parse_initializer_json(at(key), r.path_of(key)) : fallback;
  }
  // kernel_size, strides, pool_size: n or [h, w] (TF.js writes arrays).
  std::vector<int64_t> pair(const char* key, std::vector<int64_t> fallback) const {
    if (!r.has(key)) return fallback;
    const json& v = at(key);
    if (v.is_number_integer() || v.is_number_unsigned()) {
      int64_t n = read_integer(v, r.path_of(key));
      return {n, n};
    }
    return read_int_list(v, r.path_of(key));
  }
  Padding padding() const {
    if (!r.has("padding")) return Padding::valid;
    std::string name = read_string(at("padding"), r.path_of("padding"));
    if (name == "valid") return Padding::valid;
    if (name == "same") return Padding::same;
    throw SpecError(r.path_of("padding") + ": unsupported padding '" + name + "'; supported: valid, same");
  }
  void require_channels_last() const {
    if (r.has("data_format") && read_string(at("data_format"), r.path_of("data_format")) != "channels_last")
      throw SpecError(r.path_of("data_format") + " must be \"channels_last\", got " + at("data_format").dump());
  }
  // A setting that must keep its default: false or null.
  void require_false(const char* key, const char* what) const {
    if (flag(key, false)) throw SpecError(r.path_of(key) + ": " + what + " are not supported (must be false)");
  }
  void require_zero(const char* key, const char* what) const {
    if (number(key, 0.0f) != 0.0f) throw SpecError(r.path_of(key) + ": " + what + " is not supported (must be 0)");
  }
  void require_initializer(const char* key, Initializer only) const {
    if (init(key, only) != only)
      throw SpecError(r.path_of(key) + " must be " + std::string(initializer_name(only)) +
                      " (the only one supported)");
  }
};

LayerSpec read_dense(const TfjsLayerReader& r) {
  r.check_common({"units", "activation", "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer",
                  "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint"},
                 "Dense");
  for (const char* key : {"kernel_regularizer", "bias_regularizer", "activity_regularizer"})
    r.require_null(key, "regularizers");
  for (const char* key : {"kernel_constraint", "bias_constraint"}) r.require_null(key, "constraints");
  Reader in{r};
  LayerSpec layer;
  layer.type = "dense";
  layer.units = in.integer("units");
  layer.activation = r.activation("activation", Activation::linear);
  layer.use_bias = in.flag("use_bias", true);
  // TF.js's Dense defaults to glorotNormal (Keras: glorot_uniform).
  layer.kernel_initializer = in.init("kernel_initializer", Initializer::glorot_normal);
  layer.bias_initializer = in.init("bias_initializer", Initializer::zeros);
  return layer;
}

LayerSpec read_activation_layer(const TfjsLayerReader& r) {
  r.check_common({"activation"}, "Activation");
  LayerSpec layer;
  layer.type = "activation";
  if (!r.has("activation")) throw SpecError(r.path_of("activation") + " is missing");
  layer.activation = r.activation("activation", Activation::linear);
  return layer;
}

LayerSpec read_dropout(const TfjsLayerReader& r) {
  r.check_common({"rate", "noise_shape", "seed"}, "Dropout");
  r.require_null("noise_shape", "dropout noise shapes");
  // "seed" is ignored: dropout masks come from the run's seed on every backend.
  LayerSpec layer;
  layer.type = "dropout";
  layer.rate = read_float(required_field(r.config, r.config_path, "rate"), r.path_of("rate"));
  return layer;
}

LayerSpec read_conv2d(const TfjsLayerReader& r) {
  r.check_common({"filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "groups",
                  "activation", "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer",
                  "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint"},
                 "Conv2D");
  for (const char* key : {"kernel_regularizer", "bias_regularizer", "activity_regularizer"})
    r.require_null(key, "regularizers");
  for (const char* key : {"kernel_constraint", "bias_constraint"}) r.require_null(key, "constraints");
  Reader in{r};
  in.require_channels_last();
  if (in.pair("dilation_rate", {1, 1}) != std::vector<int64_t>{1, 1})
    throw SpecError(r.path_of("dilation_rate") + ": dilated convolutions are not supported (must be [1, 1])");
  if (r.has("groups") && read_integer(in.at("groups"), r.path_of("groups")) != 1)  // Keras only
    throw SpecError(r.path_of("groups") + ": grouped convolutions are not supported (must be 1)");
  LayerSpec layer;
  layer.type = "conv2d";
  layer.filters = in.integer("filters");
  if (!r.has("kernel_size")) throw SpecError(r.path_of("kernel_size") + " is missing");
  layer.kernel_size = in.pair("kernel_size", {});
  layer.strides = in.pair("strides", {1, 1});
  layer.padding = in.padding();
  layer.activation = r.activation("activation", Activation::linear);
  layer.use_bias = in.flag("use_bias", true);
  layer.kernel_initializer = in.init("kernel_initializer", Initializer::glorot_normal);  // TF.js's default
  layer.bias_initializer = in.init("bias_initializer", Initializer::zeros);
  return layer;
}

LayerSpec read_pooling(const TfjsLayerReader& r, const std::string& type, const std::string& class_name) {
  r.check_common({"pool_size", "strides", "padding", "data_format"}, class_name);
  Reader in{r};
  in.require_channels_last();
  LayerSpec layer;
  layer.type = type;
  layer.pool_size = in.pair("pool_size", {2, 2});
  layer.strides = in.pair("strides", layer.pool_size);  // TF.js: null strides = pool_size
  layer.padding = in.padding();
  return layer;
}

LayerSpec read_flatten(const TfjsLayerReader& r) {
  r.check_common({"data_format"}, "Flatten");
  Reader{r}.require_channels_last();
  LayerSpec layer;
  layer.type = "flatten";
  return layer;
}

LayerSpec read_reshape(const TfjsLayerReader& r) {
  r.check_common({"target_shape"}, "Reshape");
  LayerSpec layer;
  layer.type = "reshape";
  layer.target_shape = read_int_list(required_field(r.config, r.config_path, "target_shape"), r.path_of("target_shape"));
  for (size_t i = 0; i < layer.target_shape.size(); ++i)
    if (layer.target_shape[i] == -1)
      throw SpecError(element_path(r.path_of("target_shape"), i) +
                      ": an inferred (-1) dimension is not supported; give its size");
  return layer;
}

LayerSpec read_batch_norm(const TfjsLayerReader& r) {
  r.check_common({"axis", "momentum", "epsilon", "center", "scale", "beta_initializer", "gamma_initializer",
                  "moving_mean_initializer", "moving_variance_initializer", "beta_regularizer",
                  "gamma_regularizer", "beta_constraint", "gamma_constraint"},
                 "BatchNormalization");
  for (const char* key : {"beta_regularizer", "gamma_regularizer"}) r.require_null(key, "regularizers");
  for (const char* key : {"beta_constraint", "gamma_constraint"}) r.require_null(key, "constraints");
  Reader in{r};
  if (r.has("axis") && read_integer(in.at("axis"), r.path_of("axis")) != -1)
    throw SpecError(r.path_of("axis") + " must be -1 (the last axis, the only one supported), got " +
                    in.at("axis").dump());
  for (const char* key : {"center", "scale"})
    if (!in.flag(key, true)) throw SpecError(r.path_of(key) + " must be true (the only setting supported)");
  in.require_initializer("beta_initializer", Initializer::zeros);
  in.require_initializer("gamma_initializer", Initializer::ones);
  in.require_initializer("moving_mean_initializer", Initializer::zeros);
  in.require_initializer("moving_variance_initializer", Initializer::ones);
  LayerSpec layer;
  layer.type = "batch_normalization";
  layer.momentum = in.number("momentum", 0.99f);
  layer.epsilon = in.number("epsilon", 1e-3f);
  return layer;
}

LayerSpec read_embedding(const TfjsLayerReader& r) {
  r.check_common({"input_dim", "output_dim", "embeddings_initializer", "embeddings_regularizer",
                  "activity_regularizer", "embeddings_constraint", "mask_zero", "input_length"},
                 "Embedding");
  for (const char* key : {"embeddings_regularizer", "activity_regularizer"}) r.require_null(key, "regularizers");
  r.require_null("embeddings_constraint", "constraints");
  Reader in{r};
  in.require_false("mask_zero", "masks");
  LayerSpec layer;
  layer.type = "embedding";
  layer.input_dim = in.integer("input_dim");
  layer.output_dim = in.integer("output_dim");
  layer.kernel_initializer = in.init("embeddings_initializer", Initializer::random_uniform);
  return layer;
}

LayerSpec read_recurrent(const TfjsLayerReader& r, const std::string& type, const std::string& class_name) {
  std::vector<std::string_view> keys = {
      "units", "activation", "use_bias", "kernel_initializer", "recurrent_initializer", "bias_initializer",
      "kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "activity_regularizer",
      "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout",
      "return_sequences", "return_state", "go_backwards", "stateful", "unroll", "time_major"};
  if (type != "simple_rnn") keys.insert(keys.end(), {"recurrent_activation", "implementation"});
  if (type == "lstm") keys.push_back("unit_forget_bias");
  if (type == "gru") keys.push_back("reset_after");
  r.check_common(keys, class_name);
  for (const char* key : {"kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "activity_regularizer"})
    r.require_null(key, "regularizers");
  for (const char* key : {"kernel_constraint", "recurrent_constraint", "bias_constraint"})
    r.require_null(key, "constraints");
  Reader in{r};
  in.require_zero("dropout", "input dropout");
  in.require_zero("recurrent_dropout", "recurrent dropout");
  in.require_false("return_state", "returned states");
  in.require_false("go_backwards", "backwards RNNs");
  in.require_false("stateful", "stateful RNNs");
  in.require_false("time_major", "time-major inputs");
  in.require_false("reset_after", "GRUs with reset_after");  // TF.js has none either
  // "implementation" and "unroll" only choose how the same maths is computed.
  LayerSpec layer;
  layer.type = type;
  layer.units = in.integer("units");
  layer.activation = r.activation("activation", Activation::tanh);
  layer.recurrent_activation = r.activation("recurrent_activation", Activation::hard_sigmoid);
  layer.use_bias = in.flag("use_bias", true);
  layer.kernel_initializer = in.init("kernel_initializer", Initializer::glorot_normal);  // TF.js's default
  layer.recurrent_initializer = in.init("recurrent_initializer", Initializer::orthogonal);
  layer.bias_initializer = in.init("bias_initializer", Initializer::zeros);
  layer.unit_forget_bias = in.flag("unit_forget_bias", false);  // TF.js: undefined = false
  layer.return_sequences = in.flag("return_sequences", false);
  return layer;
}

// [null, 784] -> [784]; the batch dimension may be null or a number.
Shape read_batch_input_shape(const TfjsLayerReader& r, const char* key) {
  const json& shape = expect_array(r.config[key], r.path_of(key));
  if (shape.size() < 2)
    throw SpecError(r.path_of(key) + " must be [batch, ...dims] with at least one dimension, got " + shape.dump());
  Shape dims;
  for (size_t i = 1; i < shape.size(); ++i) {
    if (shape[i].is_null())
      throw SpecError(element_path(r.path_of(key), i) + ": variable dimensions (null) are not supported");
    dims.push_back(read_integer(shape[i], element_path(r.path_of(key), i)));
  }
  return dims;
}

}  // namespace

std::string TfjsLayerReader::path_of(const char* key) const { return field_path(config_path, key); }

void TfjsLayerReader::require_null(const char* key, const char* what) const {
  if (has(key)) throw SpecError(path_of(key) + ": " + what + " are not supported (must be null)");
}

void TfjsLayerReader::check_common(const std::vector<std::string_view>& own_keys, const std::string& class_name) const {
  std::vector<std::string_view> known = own_keys;
  for (std::string_view k : {"name", "trainable", "dtype", "batch_input_shape", "batch_size", "input_dim", "batch_shape"})
    if (std::find(known.begin(), known.end(), k) == known.end()) known.push_back(k);
  reject_unknown_keys(config, config_path, known, "a " + class_name + " layer's config");
  if (has("trainable") && !read_bool(config["trainable"], path_of("trainable")))
    throw SpecError(path_of("trainable") + ": frozen (non-trainable) layers are not supported");
  if (has("dtype") && read_string(config["dtype"], path_of("dtype")) != "float32")
    throw SpecError(path_of("dtype") + " must be \"float32\", got " + config["dtype"].dump());
}

Activation TfjsLayerReader::activation(const char* key, Activation fallback) const {
  if (!has(key)) return fallback;
  std::string name = read_string(config[key], path_of(key));
  if (auto a = parse_activation(name)) return *a;
  throw SpecError(path_of(key) + ": unsupported activation '" + name + "'");
}

std::string TfjsLayerReader::name() const { return has("name") ? read_string(config["name"], path_of("name")) : ""; }

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

std::string supported_tfjs_layer_classes() {
  std::vector<std::string> names;
  for (const TfjsLayerClass& c : kTfjsLayerClasses) names.emplace_back(c.class_name);
  return join_names(names);
}

std::optional<LayerSpec> read_tfjs_layer(const std::string& class_name, const TfjsLayerReader& r) {
  std::string type;
  for (const TfjsLayerClass& c : kTfjsLayerClasses)
    if (class_name == c.class_name) type = c.type;
  LayerSpec layer;
  if (type.empty()) return std::nullopt;
  if (type == "dense")
    layer = read_dense(r);
  else if (type == "activation")
    layer = read_activation_layer(r);
  else if (type == "dropout")
    layer = read_dropout(r);
  else if (type == "conv2d")
    layer = read_conv2d(r);
  else if (type == "max_pooling2d" || type == "average_pooling2d")
    layer = read_pooling(r, type, class_name);
  else if (type == "flatten")
    layer = read_flatten(r);
  else if (type == "reshape")
    layer = read_reshape(r);
  else if (type == "batch_normalization")
    layer = read_batch_norm(r);
  else if (type == "embedding")
    layer = read_embedding(r);
  else
    layer = read_recurrent(r, type, class_name);
  layer.name = r.name();
  return layer;
}

bool read_tfjs_input_shape(const std::string& class_name, const TfjsLayerReader& r, Shape& shape) {
  for (const char* key : {"batch_input_shape", "batch_shape"})
    if (r.has(key)) {
      shape = read_batch_input_shape(r, key);
      return true;
    }
  if (class_name == "Embedding") {  // input_dim is the vocabulary here; input_length the sequence
    if (!r.has("input_length")) return false;
    const json& length = r.config["input_length"];
    shape = length.is_array() ? read_int_list(length, r.path_of("input_length"))
                              : Shape{read_integer(length, r.path_of("input_length"))};
    return true;
  }
  if (r.has("input_dim")) {
    shape = {read_integer(r.config["input_dim"], r.path_of("input_dim"))};
    return true;
  }
  return false;
}

}  // namespace gapscope

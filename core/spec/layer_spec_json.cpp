// One layer of a spec <-> JSON: per type, its Keras/TF.js-named fields, the
// defaults TF.js uses (tanh for RNNs, strides = pool_size, ...), and unknown
// keys rejected with their field path.
#include "core/spec/layer_spec_json.h"

#include "core/spec/initializer_json.h"
#include "core/base/json_fields.h"
#include "core/base/number_text.h"

namespace gapscope {

using nlohmann::json;

namespace {

std::string activation_names() {
  std::vector<std::string> names;
  for (Activation a : all_activations()) names.emplace_back(activation_name(a));
  return join_names(names);
}

Activation read_activation(const json& j, const std::string& path) {
  std::string name = read_string(j, path);
  if (auto a = parse_activation(name)) return *a;
  throw SpecError(path + ": unknown activation '" + name + "'; known: " + activation_names());
}

// Reads a layer's fields: rejects keys its type does not have, then reads
// each one present with its field path.
class LayerReader {
 public:
  LayerReader(const json& j, std::string path) : j_(j), path_(std::move(path)) {}

  void allow_only(std::vector<std::string_view> own, const std::string& what) const {
    own.insert(own.begin(), {"type", "name"});
    reject_unknown_keys(j_, path_, own, what);
  }
  const json* find(const char* key) const { return optional_field(j_, key); }
  std::string path(const char* key) const { return field_path(path_, key); }
  const json& required(const char* key, const std::string& hint) const { return required_field(j_, path_, key, hint); }

  void integer(const char* key, int64_t& out) const {
    if (const json* v = find(key)) out = read_integer(*v, path(key));
  }
  void number(const char* key, float& out) const {
    if (const json* v = find(key)) out = read_float(*v, path(key));
  }
  void flag(const char* key, bool& out) const {
    if (const json* v = find(key)) out = read_bool(*v, path(key));
  }
  void activation(const char* key, Activation& out) const {
    if (const json* v = find(key)) out = read_activation(*v, path(key));
  }
  void initializer(const char* key, Initializer& out) const {
    if (const json* v = find(key)) out = parse_initializer_json(*v, path(key));
  }
  // kernel_size, strides, pool_size: n (= [n, n]) or [h, w].
  void pair(const char* key, std::vector<int64_t>& out) const {
    const json* v = find(key);
    if (!v) return;
    if (v->is_number_integer() || v->is_number_unsigned()) {
      int64_t n = read_integer(*v, path(key));
      out = {n, n};
      return;
    }
    if (!v->is_array())
      throw SpecError(path(key) + " must be an integer or an array [height, width], got " + json_kind(*v));
    out.clear();
    for (size_t i = 0; i < v->size(); ++i) out.push_back(read_integer((*v)[i], element_path(path(key), i)));
  }
  void shape(const char* key, Shape& out) const {
    const json& v = expect_array(*find(key), path(key));
    out.clear();
    for (size_t i = 0; i < v.size(); ++i) out.push_back(read_integer(v[i], element_path(path(key), i)));
  }
  void padding(Padding& out) const {
    const json* v = find("padding");
    if (!v) return;
    std::string name = read_string(*v, path("padding"));
    if (name == "valid")
      out = Padding::valid;
    else if (name == "same")
      out = Padding::same;
    else
      throw SpecError(path("padding") + ": unknown padding '" + name + "'; known: valid, same");
  }

 private:
  const json& j_;
  std::string path_;
};

void read_dense_fields(const LayerReader& r, LayerSpec& layer) {
  r.allow_only({"units", "activation", "use_bias", "kernel_initializer", "bias_initializer"}, "a dense layer");
  layer.units = read_integer(r.required("units", "a dense layer needs units (an integer >= 1)"), r.path("units"));
  r.activation("activation", layer.activation);
  r.flag("use_bias", layer.use_bias);
  r.initializer("kernel_initializer", layer.kernel_initializer);
  r.initializer("bias_initializer", layer.bias_initializer);
}

// Defaults as TF.js: strides [1, 1], padding valid, activation linear.
void read_conv2d_fields(const LayerReader& r, LayerSpec& layer) {
  r.allow_only({"filters", "kernel_size", "strides", "padding", "activation", "use_bias", "kernel_initializer",
                "bias_initializer"},
               "a conv2d layer");
  layer.filters =
      read_integer(r.required("filters", "a conv2d layer needs filters (an integer >= 1)"), r.path("filters"));
  r.required("kernel_size", "e.g. 5 or [5, 5]");
  r.pair("kernel_size", layer.kernel_size);
  r.pair("strides", layer.strides);
  r.padding(layer.padding);
  r.activation("activation", layer.activation);
  r.flag("use_bias", layer.use_bias);
  r.initializer("kernel_initializer", layer.kernel_initializer);
  r.initializer("bias_initializer", layer.bias_initializer);
}

// pool_size defaults to [2, 2] and strides to pool_size, as in TF.js.
void read_pooling_fields(const LayerReader& r, LayerSpec& layer) {
  r.allow_only({"pool_size", "strides", "padding"}, "a " + layer.type + " layer");
  layer.pool_size = {2, 2};
  r.pair("pool_size", layer.pool_size);
  r.pair("strides", layer.strides);
  r.padding(layer.padding);
}

// Normalises the last axis only, with center and scale (gamma and beta).
void read_batch_norm_fields(const LayerReader& r, LayerSpec& layer) {
  r.allow_only({"momentum", "epsilon", "axis", "center", "scale"}, "a batch_normalization layer");
  r.number("momentum", layer.momentum);
  r.number("epsilon", layer.epsilon);
  if (const json* axis = r.find("axis"); axis && read_integer(*axis, r.path("axis")) != -1)
    throw SpecError(r.path("axis") + " must be -1 (the last axis, the only one supported), got " + axis->dump());
  for (const char* key : {"center", "scale"}) {
    bool on = true;
    r.flag(key, on);
    if (!on) throw SpecError(r.path(key) + " must be true (batch normalization without it is not supported)");
  }
}

// embeddings_initializer is stored as kernel_initializer; default random_uniform.
void read_embedding_fields(const LayerReader& r, LayerSpec& layer) {
  r.allow_only({"input_dim", "output_dim", "embeddings_initializer"}, "an embedding layer");
  layer.input_dim = read_integer(r.required("input_dim", "the vocabulary size (an integer >= 1)"), r.path("input_dim"));
  layer.output_dim =
      read_integer(r.required("output_dim", "the vector size (an integer >= 1)"), r.path("output_dim"));
  layer.kernel_initializer = Initializer::random_uniform;
  r.initializer("embeddings_initializer", layer.kernel_initializer);
}

// Defaults as TF.js: activation tanh, recurrent_activation hard_sigmoid,
// recurrent_initializer orthogonal; kernel glorot_uniform as Keras.
void read_recurrent_fields(const LayerReader& r, LayerSpec& layer) {
  std::vector<std::string_view> keys = {"units", "activation", "use_bias", "kernel_initializer",
                                        "recurrent_initializer", "bias_initializer", "return_sequences"};
  if (layer.type != "simple_rnn") keys.push_back("recurrent_activation");
  if (layer.type == "lstm") keys.push_back("unit_forget_bias");
  r.allow_only(keys, "a " + layer.type + " layer");
  layer.units = read_integer(r.required("units", "an RNN layer needs units (an integer >= 1)"), r.path("units"));
  layer.activation = Activation::tanh;
  r.activation("activation", layer.activation);
  r.activation("recurrent_activation", layer.recurrent_activation);
  r.flag("use_bias", layer.use_bias);
  r.initializer("kernel_initializer", layer.kernel_initializer);
  r.initializer("recurrent_initializer", layer.recurrent_initializer);
  r.initializer("bias_initializer", layer.bias_initializer);
  r.flag("return_sequences", layer.return_sequences);
  r.flag("unit_forget_bias", layer.unit_forget_bias);
}

}  // namespace

LayerSpec parse_layer_json(const json& j, const std::string& path) {
  expect_object(j, path);
  LayerSpec layer;
  std::string type_path = field_path(path, "type");
  layer.type = read_string(required_field(j, path, "type", "one of " + join_names(layer_type_names())), type_path);
  LayerReader r(j, path);
  const std::string& type = layer.type;
  if (type == "dense") {
    read_dense_fields(r, layer);
  } else if (type == "activation") {
    r.allow_only({"activation"}, "an activation layer");
    layer.activation = read_activation(r.required("activation", "e.g. \"relu\""), r.path("activation"));
  } else if (type == "dropout") {
    r.allow_only({"rate"}, "a dropout layer");
    layer.rate = read_float(r.required("rate", "a number in [0, 1)"), r.path("rate"));
  } else if (type == "conv2d") {
    read_conv2d_fields(r, layer);
  } else if (type == "max_pooling2d" || type == "average_pooling2d") {
    read_pooling_fields(r, layer);
  } else if (type == "flatten") {
    r.allow_only({}, "a flatten layer");
  } else if (type == "reshape") {
    r.allow_only({"target_shape"}, "a reshape layer");
    r.required("target_shape", "the per-sample shape, e.g. [7, 7, 16]");
    r.shape("target_shape", layer.target_shape);
  } else if (type == "batch_normalization") {
    read_batch_norm_fields(r, layer);
  } else if (type == "embedding") {
    read_embedding_fields(r, layer);
  } else if (type == "simple_rnn" || type == "lstm" || type == "gru") {
    read_recurrent_fields(r, layer);
  } else {
    throw SpecError(type_path + ": unknown layer type '" + type + "'; known: " + join_names(layer_type_names()));
  }
  if (const json* name = optional_field(j, "name")) {
    layer.name = read_string(*name, field_path(path, "name"));
    // An empty name would silently become the default one.
    if (layer.name.empty()) throw SpecError(field_path(path, "name") + " must not be empty; omit it for a default");
  }
  return layer;
}

// Every field of the type, explicitly; strides only when set (a validated
// spec always has them).
json layer_spec_to_json(const LayerSpec& layer) {
  json out = {{"type", layer.type}, {"name", layer.name}};
  const std::string& type = layer.type;
  bool recurrent = type == "simple_rnn" || type == "lstm" || type == "gru";
  auto padding = [](Padding p) { return p == Padding::same ? "same" : "valid"; };
  if (type == "dense" || type == "conv2d" || recurrent) {
    if (type == "conv2d") {
      out["filters"] = layer.filters;
      out["kernel_size"] = layer.kernel_size;
      if (!layer.strides.empty()) out["strides"] = layer.strides;
      out["padding"] = padding(layer.padding);
    } else {
      out["units"] = layer.units;
    }
    out["activation"] = activation_name(layer.activation);
    out["use_bias"] = layer.use_bias;
    out["kernel_initializer"] = initializer_name(layer.kernel_initializer);
    out["bias_initializer"] = initializer_name(layer.bias_initializer);
    if (recurrent) {
      if (type != "simple_rnn") out["recurrent_activation"] = activation_name(layer.recurrent_activation);
      out["recurrent_initializer"] = initializer_name(layer.recurrent_initializer);
      out["return_sequences"] = layer.return_sequences;
      if (type == "lstm") out["unit_forget_bias"] = layer.unit_forget_bias;
    }
  } else if (type == "activation") {
    out["activation"] = activation_name(layer.activation);
  } else if (type == "dropout") {
    out["rate"] = float_json_value(layer.rate);
  } else if (type == "max_pooling2d" || type == "average_pooling2d") {
    out["pool_size"] = layer.pool_size;
    if (!layer.strides.empty()) out["strides"] = layer.strides;
    out["padding"] = padding(layer.padding);
  } else if (type == "reshape") {
    out["target_shape"] = layer.target_shape;
  } else if (type == "batch_normalization") {
    out["momentum"] = float_json_value(layer.momentum);
    out["epsilon"] = float_json_value(layer.epsilon);
  } else if (type == "embedding") {
    out["input_dim"] = layer.input_dim;
    out["output_dim"] = layer.output_dim;
    out["embeddings_initializer"] = initializer_name(layer.kernel_initializer);
  }
  return out;
}

}  // namespace gapscope

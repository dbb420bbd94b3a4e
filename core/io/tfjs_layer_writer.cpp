// Writing TF.js layer configs: what tfjs-layers 4.22's getConfig() writes for
// each class (checked against files TF.js wrote, key order included; see
// tests/data/tfjs_cnn_rnn_model).
#include "core/io/tfjs_layer_config.h"

#include "core/spec/initializer_json.h"
#include "core/base/number_text.h"

namespace gapscope {

using nlohmann::ordered_json;

namespace {

bool is_recurrent(const std::string& type) { return type == "simple_rnn" || type == "lstm" || type == "gru"; }

// Every layer config carries these, as Layer.getConfig() writes them; only the
// first layer carries the input shape (and, in 4.22, the dtype).
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

void add_nulls(ordered_json& config, std::initializer_list<const char*> keys) {
  for (const char* key : keys) config[key] = nullptr;
}

const char* padding_name(Padding p) { return p == Padding::same ? "same" : "valid"; }

ordered_json initializer(Initializer init) { return initializer_to_tfjs_json(init); }

void write_dense(ordered_json& c, const LayerSpec& layer) {
  c["units"] = layer.units;
  c["activation"] = activation_name(layer.activation);
  c["use_bias"] = layer.use_bias;
  c["kernel_initializer"] = initializer(layer.kernel_initializer);
  c["bias_initializer"] = initializer(layer.bias_initializer);
  add_nulls(c, {"kernel_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint",
                "bias_constraint"});
}

void write_conv2d(ordered_json& c, const LayerSpec& layer) {
  c["filters"] = layer.filters;
  c["kernel_initializer"] = initializer(layer.kernel_initializer);
  add_nulls(c, {"kernel_regularizer", "kernel_constraint"});
  c["kernel_size"] = layer.kernel_size;
  c["strides"] = layer.strides;
  c["padding"] = padding_name(layer.padding);
  c["data_format"] = "channels_last";
  c["dilation_rate"] = {1, 1};
  c["activation"] = activation_name(layer.activation);
  c["use_bias"] = layer.use_bias;
  c["bias_initializer"] = initializer(layer.bias_initializer);
  add_nulls(c, {"bias_regularizer", "activity_regularizer", "bias_constraint"});
}

void write_pooling(ordered_json& c, const LayerSpec& layer) {
  c["pool_size"] = layer.pool_size;
  c["padding"] = padding_name(layer.padding);
  c["strides"] = layer.strides;
  c["data_format"] = "channels_last";
}

void write_batch_norm(ordered_json& c, const LayerSpec& layer) {
  c["axis"] = -1;
  c["momentum"] = float_json_value(layer.momentum);
  c["epsilon"] = float_json_value(layer.epsilon);
  c["center"] = true;
  c["scale"] = true;
  c["beta_initializer"] = initializer(Initializer::zeros);
  c["gamma_initializer"] = initializer(Initializer::ones);
  c["moving_mean_initializer"] = initializer(Initializer::zeros);
  c["moving_variance_initializer"] = initializer(Initializer::ones);
  add_nulls(c, {"beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint"});
}

// As tf.layers.embedding({inputShape: [T], ...}) writes it: input_length null.
void write_embedding(ordered_json& c, const LayerSpec& layer) {
  c["input_dim"] = layer.input_dim;
  c["output_dim"] = layer.output_dim;
  c["embeddings_initializer"] = initializer(layer.kernel_initializer);
  add_nulls(c, {"embeddings_regularizer", "activity_regularizer", "embeddings_constraint", "mask_zero",
                "input_length"});
}

// RNN configs start with the base config (RNN.getConfig merges it first).
void write_recurrent(ordered_json& c, const LayerSpec& layer) {
  c["units"] = layer.units;
  c["activation"] = activation_name(layer.activation);
  if (layer.type != "simple_rnn") c["recurrent_activation"] = activation_name(layer.recurrent_activation);
  c["use_bias"] = layer.use_bias;
  c["kernel_initializer"] = initializer(layer.kernel_initializer);
  c["recurrent_initializer"] = initializer(layer.recurrent_initializer);
  c["bias_initializer"] = initializer(layer.bias_initializer);
  if (layer.type == "lstm") c["unit_forget_bias"] = layer.unit_forget_bias;
  add_nulls(c, {"kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "activity_regularizer",
                "kernel_constraint", "recurrent_constraint", "bias_constraint"});
  c["dropout"] = 0;
  c["recurrent_dropout"] = 0;
  if (layer.type != "simple_rnn") c["implementation"] = nullptr;
  if (layer.type == "gru") c["reset_after"] = false;  // the only GRU TF.js has
  c["return_sequences"] = layer.return_sequences;
  c["return_state"] = false;
  c["go_backwards"] = false;
  c["stateful"] = false;
  c["unroll"] = false;
}

}  // namespace

ordered_json tfjs_layer_json(const LayerSpec& layer, const ModelSpec& spec, bool first) {
  const char* class_name = nullptr;
  for (const TfjsLayerClass& c : kTfjsLayerClasses)
    if (layer.type == c.type) class_name = c.class_name;
  if (!class_name) throw SpecError("layer type '" + layer.type + "' has no TF.js form");
  ordered_json config = ordered_json::object();
  bool recurrent = is_recurrent(layer.type);
  if (recurrent) add_base_config(config, layer, spec, first);
  const std::string& type = layer.type;
  if (type == "dense") {
    write_dense(config, layer);
  } else if (type == "activation") {
    config["activation"] = activation_name(layer.activation);
  } else if (type == "dropout") {
    config["rate"] = float_json_value(layer.rate);
    add_nulls(config, {"noise_shape", "seed"});
  } else if (type == "conv2d") {
    write_conv2d(config, layer);
  } else if (type == "max_pooling2d" || type == "average_pooling2d") {
    write_pooling(config, layer);
  } else if (type == "reshape") {
    config["target_shape"] = layer.target_shape;
  } else if (type == "batch_normalization") {
    write_batch_norm(config, layer);
  } else if (type == "embedding") {
    write_embedding(config, layer);
  } else if (recurrent) {
    write_recurrent(config, layer);
  }  // flatten: the base config only
  if (!recurrent) add_base_config(config, layer, spec, first);
  return ordered_json{{"class_name", class_name}, {"config", config}};
}

}  // namespace gapscope

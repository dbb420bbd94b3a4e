// validate_model_spec: every rule a spec must meet before anything is built.
// Cheap structural checks come first, then sizes (parameters, memory), all
// computed without allocating and without overflow.
#include <algorithm>
#include <cmath>
#include <map>

#include "core/base/checked_math.h"
#include "core/base/json_fields.h"
#include "core/base/number_text.h"
#include "core/spec/optimizer_json.h"
#include "core/spec/model_spec.h"

namespace gapscope {

namespace {

std::string layer_path(size_t i) { return "layers[" + std::to_string(i) + "]"; }

// Names end up in weight names ("dense_1/kernel"), file names and TF.js files.
bool is_valid_name(const std::string& name) {
  if (name.empty() || name.size() > 128) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
           c == '-';
  });
}

void check_name(const std::string& name, const std::string& path) {
  if (is_valid_name(name)) return;
  // A name of megabytes must not become a message of megabytes.
  const std::string shown = name.size() <= 160 ? "'" + name + "'"
                                               : "'" + name.substr(0, 40) + "...' (" +
                                                     with_thousands(static_cast<int64_t>(name.size())) + " bytes)";
  throw SpecError(path + " " + shown + " is invalid: use 1 to 128 characters from A-Z a-z 0-9 _ . -");
}

void check_layer_count(const ModelSpec& spec, const SpecLimits& limits) {
  if (spec.layers.empty()) throw SpecError("layers must not be empty");
  if (static_cast<int64_t>(spec.layers.size()) > limits.max_layers)
    throw SpecError("layers has " + with_thousands(static_cast<int64_t>(spec.layers.size())) +
                    " entries, over the limit of " + with_thousands(limits.max_layers));
}

bool is_pooling(const std::string& type) { return type == "max_pooling2d" || type == "average_pooling2d"; }
bool is_recurrent(const std::string& type) { return type == "simple_rnn" || type == "lstm" || type == "gru"; }

// units, filters, input_dim, output_dim: 1 .. limits.max_units.
void check_count(int64_t value, const std::string& path, const SpecLimits& limits) {
  if (value < 1) throw SpecError(path + " must be >= 1, got " + with_thousands(value));
  if (value > limits.max_units)
    throw SpecError(path + " must be <= " + with_thousands(limits.max_units) + ", got " + with_thousands(value));
}

// kernel_size, pool_size, strides: exactly [h, w], each >= 1.
void check_pair(const std::vector<int64_t>& pair, const std::string& path) {
  if (pair.size() != 2)
    throw SpecError(path + " must have exactly 2 values [height, width], got " + shape_to_string(pair));
  for (size_t i = 0; i < 2; ++i)
    if (pair[i] < 1) throw SpecError(element_path(path, i) + " must be >= 1, got " + with_thousands(pair[i]));
}

void check_layer_fields(const LayerSpec& layer, const std::string& path, const SpecLimits& limits) {
  const auto& types = layer_type_names();
  const std::string& type = layer.type;
  if (std::find(types.begin(), types.end(), type) == types.end())
    throw SpecError(path + ".type: unknown layer type '" + type + "'; known: " + join_names(types));
  if (type == "dense" || is_recurrent(type)) check_count(layer.units, path + ".units", limits);
  if (type == "dropout" && !(layer.rate >= 0.0f && layer.rate < 1.0f))
    throw SpecError(path + ".rate must be in [0, 1), got " + float_text(layer.rate));
  if (type == "conv2d") {
    check_count(layer.filters, path + ".filters", limits);
    check_pair(layer.kernel_size, path + ".kernel_size");
  }
  if (is_pooling(type)) check_pair(layer.pool_size, path + ".pool_size");
  if (type == "conv2d" || is_pooling(type)) check_pair(layer.strides, path + ".strides");
  if (type == "reshape") {
    if (layer.target_shape.empty()) throw SpecError(path + ".target_shape must not be empty, e.g. [7, 7, 16]");
    for (size_t i = 0; i < layer.target_shape.size(); ++i)
      if (layer.target_shape[i] < 1)
        throw SpecError(element_path(path + ".target_shape", i) + " must be >= 1, got " +
                        with_thousands(layer.target_shape[i]));
  }
  if (type == "batch_normalization") {
    if (!(layer.momentum >= 0.0f && layer.momentum <= 1.0f))
      throw SpecError(path + ".momentum must be in [0, 1], got " + float_text(layer.momentum));
    if (!(layer.epsilon > 0.0f && std::isfinite(layer.epsilon)))
      throw SpecError(path + ".epsilon must be > 0, got " + float_text(layer.epsilon));
  }
  if (type == "embedding") {
    check_count(layer.input_dim, path + ".input_dim", limits);
    check_count(layer.output_dim, path + ".output_dim", limits);
  }
}

// Empty strides take the type's default, so validated specs state them.
void fill_default_strides(ModelSpec& spec) {
  for (LayerSpec& layer : spec.layers) {
    if (!layer.strides.empty()) continue;
    if (layer.type == "conv2d") layer.strides = {1, 1};
    if (is_pooling(layer.type) && layer.pool_size.size() == 2) layer.strides = layer.pool_size;
  }
}

void check_names(ModelSpec& spec) {
  check_name(spec.name, "name");
  assign_default_layer_names(spec);
  std::map<std::string, size_t> first_use;
  for (size_t i = 0; i < spec.layers.size(); ++i) {
    const std::string& name = spec.layers[i].name;
    check_name(name, layer_path(i) + ".name");
    auto [it, inserted] = first_use.emplace(name, i);
    if (!inserted)
      throw SpecError(layer_path(i) + ".name '" + name + "' is already used by " + layer_path(it->second) +
                      "; layer names must be unique");
  }
}

void check_input_shape(const Shape& shape) {
  if (shape.empty()) throw SpecError("input.shape must not be empty, e.g. [784]");
  for (size_t i = 0; i < shape.size(); ++i)
    if (shape[i] < 1)
      throw SpecError("input.shape[" + std::to_string(i) + "] must be >= 1, got " + with_thousands(shape[i]));
}

std::string where_text(const LayerSpec& layer, size_t i) { return layer_path(i) + " (" + layer.name + ")"; }

// A window (kernel or pool) that does not fit the input with valid padding
// leaves no output pixel.
void check_window_fits(const LayerSpec& layer, size_t i, const Shape& input) {
  if (layer.padding != Padding::valid) return;
  const std::vector<int64_t>& window = layer.type == "conv2d" ? layer.kernel_size : layer.pool_size;
  const char* what = layer.type == "conv2d" ? "kernel" : "pool";
  if (window[0] > input[0] || window[1] > input[1])
    throw SpecError(where_text(layer, i) + ": the " + std::to_string(window[0]) + "x" + std::to_string(window[1]) +
                    " " + what + " is larger than the " + std::to_string(input[0]) + "x" +
                    std::to_string(input[1]) + " input (height x width) with valid padding; use padding \"same\" "
                    "or a smaller " + what);
}

// Each layer type's rule for the shape it is given (per sample).
void check_layer_input(const LayerSpec& layer, size_t i, const Shape& input) {
  auto need = [&](const std::string& rule) {
    throw SpecError(where_text(layer, i) + ": " + layer.type + " needs " + rule + ", got " + shape_to_string(input) +
                    (i == 0 ? " (input.shape)" : ""));
  };
  const std::string& type = layer.type;
  if (type == "conv2d" || is_pooling(type)) {
    if (input.size() != 3) need("an input [height, width, channels]");
    check_window_fits(layer, i, input);
  } else if (is_recurrent(type)) {
    if (input.size() != 2) need("an input [timesteps, features]");
  } else if (type == "embedding") {
    if (i != 0)
      throw SpecError(where_text(layer, i) +
                      ": embedding must be the first layer: it reads token ids, which no layer computes, and "
                      "passes no gradient back");
    if (input.size() != 1) need("an input [timesteps] of token ids (rank 1)");
  } else if (type == "reshape") {
    int64_t in = saturating_element_count(input), out = saturating_element_count(layer.target_shape);
    if (in != out)
      throw SpecError(where_text(layer, i) + ": reshape target " + shape_to_string(layer.target_shape) + " has " +
                      with_thousands(out) + " elements, the input " + shape_to_string(input) + " has " +
                      with_thousands(in));
  } else if (input.empty()) {  // dense (last axis), flatten, batch norm (last axis), ...
    need("an input of rank >= 1");
  }
}

void check_layer_inputs(const ModelSpec& spec) {
  Shape current = spec.input_shape;
  std::vector<Shape> outputs = infer_output_shapes(spec);
  for (size_t i = 0; i < spec.layers.size(); ++i) {
    check_layer_input(spec.layers[i], i, current);
    current = outputs[i];
  }
}

std::string copies_text(int copies) {
  int slots = copies - 2;
  std::string parts = "weights, gradients";
  if (slots > 0) parts += ", " + std::to_string(slots) + " optimizer slot" + (slots > 1 ? "s" : "");
  return std::to_string(copies) + " [" + parts + "]";
}

// "parameters 1,000 x 4 bytes x 4 [...]", and the non-trainable ones apart.
std::string parameters_text(const TrainingMemoryEstimate& memory) {
  if (memory.non_trainable_parameters == 0)
    return "parameters " + with_thousands(memory.parameters) + " x 4 bytes x " + copies_text(memory.copies);
  return "trainable parameters " + with_thousands(memory.parameters - memory.non_trainable_parameters) +
         " x 4 bytes x " + copies_text(memory.copies) + " + non-trainable " +
         with_thousands(memory.non_trainable_parameters) + " x 4 bytes";
}

std::string size_text(int64_t bytes) {
  return bytes == kSaturated ? "more than 8 EiB (the count overflows 64 bits)" : format_bytes(bytes);
}

void check_sizes(const ModelSpec& spec, const SpecLimits& limits) {
  int64_t parameters = count_parameters(spec);
  if (parameters > limits.max_parameters)
    throw SpecError("model has " +
                    (parameters == kSaturated ? std::string("more than 9.2e18") : with_thousands(parameters)) +
                    " parameters, over the limit of " + with_thousands(limits.max_parameters));
  TrainingMemoryEstimate memory = estimate_training_memory(spec, limits.batch_size);
  if (memory.total_bytes > limits.memory_bytes)
    throw SpecError("model needs " + size_text(memory.total_bytes) + " to train at batch " +
                    with_thousands(limits.batch_size) + " (" + parameters_text(memory) + " + activations " +
                    size_text(memory.activation_bytes) + "), over the limit of " + format_bytes(limits.memory_bytes));
}

}  // namespace

const std::vector<std::string>& layer_type_names() {
  static const std::vector<std::string> names = {
      "dense",   "activation", "dropout", "conv2d",     "max_pooling2d", "average_pooling2d", "flatten",
      "reshape", "batch_normalization", "embedding", "simple_rnn", "lstm", "gru"};
  return names;
}

void assign_default_layer_names(ModelSpec& spec) {
  std::map<std::string, int> seen_of_type;
  for (LayerSpec& layer : spec.layers) {
    int n = ++seen_of_type[layer.type];
    if (layer.name.empty()) layer.name = layer.type + "_" + std::to_string(n);
  }
}

void validate_model_spec(ModelSpec& spec, const SpecLimits& limits) {
  check_layer_count(spec, limits);
  fill_default_strides(spec);
  for (size_t i = 0; i < spec.layers.size(); ++i) check_layer_fields(spec.layers[i], layer_path(i), limits);
  check_names(spec);
  check_input_shape(spec.input_shape);
  check_layer_inputs(spec);
  check_optimizer_values(spec.optimizer, "optimizer");
  check_sizes(spec, limits);
}

}  // namespace gapscope

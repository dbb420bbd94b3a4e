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
#include "core/spec/layer_spec_json.h"
#include "core/spec/layer_type.h"
#include "core/spec/model_graph.h"
#include "core/spec/model_spec.h"
#include "core/spec/training_memory.h"

namespace gapscope {

namespace {

std::string layer_path(size_t i) { return "layers[" + std::to_string(i) + "]"; }

// Names end up in weight names ("dense_1/kernel"), file names (the model's)
// and TF.js files. Layer and input names may hold '/' as Keras's do
// ("conv1/conv" in DenseNet): weight suffixes never do, so "conv1/conv/kernel"
// still names one weight of one layer; the model's name may not.
bool is_valid_name(const std::string& name, bool slash) {
  if (name.empty() || name.size() > 128) return false;
  return std::all_of(name.begin(), name.end(), [&](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
           c == '-' || (slash && c == '/');
  });
}

void check_name(const std::string& name, const std::string& path, bool slash = true) {
  if (is_valid_name(name, slash)) return;
  // A name of megabytes must not become a message of megabytes.
  const std::string shown = name.size() <= 160 ? "'" + name + "'"
                                               : "'" + name.substr(0, 40) + "...' (" +
                                                     with_thousands(static_cast<int64_t>(name.size())) + " bytes)";
  throw SpecError(path + " " + shown + " is invalid: use 1 to 128 characters from A-Z a-z 0-9 _ . -" +
                  (slash ? " /" : ""));
}

void check_layer_count(const ModelSpec& spec, const SpecLimits& limits) {
  if (spec.layers.empty()) throw SpecError("layers must not be empty");
  if (static_cast<int64_t>(spec.layers.size()) > limits.max_layers)
    throw SpecError("layers has " + with_thousands(static_cast<int64_t>(spec.layers.size())) +
                    " entries, over the limit of " + with_thousands(limits.max_layers));
}

void check_layer_fields(const LayerSpec& layer, const std::string& path, const SpecLimits& limits) {
  const LayerType* type = find_layer_type(layer.type);
  if (!type)
    throw SpecError(path + ".type: unknown layer type '" + layer.type + "'; known: " + join_names(layer_type_names()));
  type->check_fields(layer, path, limits);
}

// Layers and the model input share one namespace: inputs name either.
void check_names(ModelSpec& spec) {
  check_name(spec.name, "name", false);
  check_name(spec.input_name, "input.name");
  assign_default_layer_names(spec);
  std::map<std::string, size_t> first_use;
  for (size_t i = 0; i < spec.layers.size(); ++i) {
    const std::string& name = spec.layers[i].name;
    check_name(name, layer_path(i) + ".name");
    if (name == spec.input_name)
      throw SpecError(layer_path(i) + ".name '" + name + "' is the model input's name (input.name); " +
                      "layers and the input need names of their own");
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

// In the order layers run, so a message names the first layer that does not fit.
void check_layer_inputs(const ModelSpec& spec) {
  const ModelGraph graph = model_graph(spec);
  const GraphShapes shapes = graph_shapes(spec, graph);
  for (int index : graph.order) {
    const size_t i = static_cast<size_t>(index);
    const LayerSpec& layer = spec.layers[i];
    const LayerPlace place{i, layer_path(i) + " (" + layer.name + ")", graph.sources[i].front() == kModelInputSource};
    layer_type_of(layer).check_inputs(layer, place, shapes.inputs[i]);
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
  check_training_memory(spec, limits.batch_size, limits.memory_bytes, "the limit of " + format_bytes(limits.memory_bytes));
}

}  // namespace

void check_training_memory(const ModelSpec& spec, int64_t batch_size, int64_t limit_bytes, const std::string& limit) {
  TrainingMemoryEstimate memory = estimate_training_memory(spec, batch_size);
  if (memory.total_bytes > limit_bytes)
    throw SpecError("model needs " + size_text(memory.total_bytes) + " to train at batch " +
                    with_thousands(batch_size) + " (" + parameters_text(memory) + " + activations " +
                    size_text(memory.activation_bytes) + "), over " + limit);
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
  for (LayerSpec& layer : spec.layers) complete_layer_defaults(layer);
  for (size_t i = 0; i < spec.layers.size(); ++i) check_layer_fields(spec.layers[i], layer_path(i), limits);
  check_names(spec);
  check_input_shape(spec.input_shape);
  check_layer_inputs(spec);
  check_optimizer_values(spec.optimizer, "optimizer");
  check_sizes(spec, limits);
}

}  // namespace gapscope

// What the zoo's builders (core/spec/zoo_*.cpp) share: Keras-named layers.
#pragma once
#include <string>
#include <vector>

#include "core/base/json_fields.h"
#include "core/spec/model_spec.h"
#include "core/spec/zoo.h"

namespace gapscope::zoo {

// The model before its layers: [input_size, input_size, 3] images (at least
// Keras's smallest for the model: 32, Xception 71), categorical
// cross-entropy, Adam.
inline ModelSpec zoo_model(const std::string& name, int64_t input_size, int64_t classes, int64_t smallest = kZooSmallestInput) {
  if (input_size < smallest)
    throw SpecError(name + ": input size must be at least " + std::to_string(smallest) + " (as Keras's), got " +
                    std::to_string(input_size));
  if (classes < 1) throw SpecError(name + ": classes must be at least 1, got " + std::to_string(classes));
  ModelSpec spec;
  spec.name = name;
  spec.input_shape = {input_size, input_size, 3};
  spec.loss = Loss::categorical_crossentropy;
  spec.optimizer = default_optimizer_config(OptimizerKind::adam);
  return spec;
}

// Validates a built model. Memory is judged for one sample: at the default
// batch of 64, ResNet50 at 224x224 would need 18 GiB to train; a run checks
// its own batch.
inline void validate_zoo_model(ModelSpec& spec) {
  SpecLimits limits;
  limits.batch_size = 1;
  validate_model_spec(spec, limits);
}

inline LayerSpec named(const std::string& type, const std::string& name, std::vector<std::string> inputs = {});

// Keras's include_top for the models that end in global average pooling
// (named `pool`, reading `input`; empty: the layer before) and a softmax
// dense "predictions" of `classes`; then validates (validate_zoo_model).
inline ModelSpec with_top(ModelSpec spec, const std::string& pool, const std::string& input, int64_t classes) {
  LayerSpec average = named("global_average_pooling2d", pool, {});
  if (!input.empty()) average.inputs = {input};
  spec.layers.push_back(average);
  LayerSpec top = named("dense", "predictions", {});
  top.units = classes;
  top.activation = Activation::softmax;
  spec.layers.push_back(top);
  validate_zoo_model(spec);
  return spec;
}

inline LayerSpec named(const std::string& type, const std::string& name, std::vector<std::string> inputs) {
  LayerSpec layer;
  layer.type = type;
  layer.name = name;
  layer.inputs = std::move(inputs);
  return layer;
}

// Keras's automatic layer name: "type" for the first of a type, then "type_1",
// "type_2", ... (`count` is how many came before; it is incremented).
inline std::string automatic_name(const std::string& type, int& count) {
  return count++ == 0 ? type : type + "_" + std::to_string(count - 1);
}

// ZeroPadding2D: [top, bottom, left, right].
inline LayerSpec zero_padding(const std::string& name, std::vector<int64_t> margins) {
  LayerSpec layer = named("zero_padding2d", name);
  layer.margins = std::move(margins);
  return layer;
}

// Conv2D or DepthwiseConv2D (filters 0), square kernel and stride.
inline LayerSpec convolution(const std::string& type, const std::string& name, int64_t filters, int64_t kernel,
                             int64_t stride, Padding padding, bool use_bias) {
  LayerSpec layer = named(type, name);
  layer.filters = filters;
  layer.kernel_size = {kernel, kernel};
  layer.strides = {stride, stride};
  layer.padding = padding;
  layer.use_bias = use_bias;
  return layer;
}

inline LayerSpec batch_norm(const std::string& name, float epsilon = 1e-3f) {
  LayerSpec layer = named("batch_normalization", name);
  layer.epsilon = epsilon;
  return layer;
}

inline LayerSpec activation(const std::string& name, Activation a, std::vector<std::string> inputs = {}) {
  LayerSpec layer = named("activation", name, std::move(inputs));
  layer.activation = a;
  return layer;
}

}  // namespace gapscope::zoo

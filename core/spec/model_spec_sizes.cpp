// What a spec costs: shapes, parameters, FLOPs and training memory, summed
// over what each layer type reports. All sizes use saturating arithmetic so
// absurd specs report their size, never wrap. Everything here also runs on
// specs that fail validation (validation itself uses it).
#include <algorithm>

#include "core/base/checked_math.h"
#include "core/spec/layer_type.h"
#include "core/spec/model_spec.h"

namespace gapscope {

namespace {

constexpr int64_t kFloatBytes = 4;

// Each layer type answers for itself (core/layers); an unknown type (an
// invalid spec) passes its input on and costs nothing.
Shape layer_output_shape(const LayerSpec& layer, const Shape& input) {
  const LayerType* type = find_layer_type(layer.type);
  return type ? type->output_shape(layer, input) : input;
}

std::vector<ParameterShape> layer_parameters(const LayerSpec& layer, const Shape& input) {
  const LayerType* type = find_layer_type(layer.type);
  return type ? type->parameters(layer, input) : std::vector<ParameterShape>{};
}

int64_t layer_macs(const LayerSpec& layer, const Shape& input, const Shape& output) {
  const LayerType* type = find_layer_type(layer.type);
  return type ? type->multiply_adds(layer, input, output) : 0;
}

int64_t layer_kept_elements(const LayerSpec& layer, const Shape& input, const Shape& output) {
  const LayerType* type = find_layer_type(layer.type);
  return type ? type->kept_elements(layer, input, output) : saturating_element_count(output);
}

}  // namespace

std::vector<Shape> infer_output_shapes(const ModelSpec& spec) {
  std::vector<Shape> shapes;
  Shape current = spec.input_shape;
  for (const LayerSpec& layer : spec.layers) {
    current = layer_output_shape(layer, current);
    shapes.push_back(current);
  }
  return shapes;
}

std::vector<ParameterShape> parameter_shapes(const ModelSpec& spec) {
  std::vector<ParameterShape> params;
  Shape current = spec.input_shape;
  for (size_t i = 0; i < spec.layers.size(); ++i) {
    const LayerSpec& layer = spec.layers[i];
    std::vector<ParameterShape> own = layer_parameters(layer, current);
    if (!own.empty() && layer.name.empty())
      throw SpecError("layers[" + std::to_string(i) + "] has no name; validate the spec first");
    params.insert(params.end(), own.begin(), own.end());
    current = layer_output_shape(layer, current);
  }
  return params;
}

int64_t count_parameters(const ModelSpec& spec) {
  int64_t total = 0;
  Shape current = spec.input_shape;
  for (const LayerSpec& layer : spec.layers) {
    for (const ParameterShape& p : layer_parameters(layer, current))
      total = saturating_add(total, saturating_element_count(p.shape));
    current = layer_output_shape(layer, current);
  }
  return total;
}

int64_t forward_flops(const ModelSpec& spec) {
  int64_t total = 0;
  Shape current = spec.input_shape;
  for (const LayerSpec& layer : spec.layers) {
    Shape output = layer_output_shape(layer, current);
    total = saturating_add(total, saturating_mul(2, layer_macs(layer, current, output)));
    current = output;
  }
  return total;
}

// Parameters: a trainable one has its weights, gradients and the optimizer's
// slots; a non-trainable one (batch-norm moving statistics) only its values.
// Activations (per sample, x batch, float32): the input; what each layer keeps
// for backward (LayerType::kept_elements: its output, and e.g. conv2d's im2col
// buffer, dropout's mask, RNN gates; flatten and reshape are views and keep
// nothing); plus two gradient buffers as large as the largest layer output
// (backward ping-pong; no gradient is made for the input).
TrainingMemoryEstimate estimate_training_memory(const ModelSpec& spec, int64_t batch_size) {
  TrainingMemoryEstimate e;
  e.copies = 2 + optimizer_slot_count(spec.optimizer.kind);

  int64_t input_elements = saturating_element_count(spec.input_shape);
  int64_t kept = input_elements, largest = 0, trainable = 0;
  Shape current = spec.input_shape;
  for (const LayerSpec& layer : spec.layers) {
    for (const ParameterShape& p : layer_parameters(layer, current)) {
      int64_t n = saturating_element_count(p.shape);
      e.parameters = saturating_add(e.parameters, n);
      if (p.trainable)
        trainable = saturating_add(trainable, n);
      else
        e.non_trainable_parameters = saturating_add(e.non_trainable_parameters, n);
    }
    Shape output = layer_output_shape(layer, current);
    kept = saturating_add(kept, layer_kept_elements(layer, current, output));
    largest = std::max(largest, saturating_element_count(output));
    current = output;
  }
  e.parameter_bytes = saturating_mul(
      saturating_add(saturating_mul(trainable, e.copies), e.non_trainable_parameters), kFloatBytes);
  int64_t per_sample = saturating_add(kept, saturating_mul(largest, 2));
  e.activation_bytes = saturating_mul(saturating_mul(per_sample, std::max<int64_t>(1, batch_size)), kFloatBytes);
  e.total_bytes = saturating_add(e.parameter_bytes, e.activation_bytes);
  return e;
}

int64_t estimate_training_bytes(const ModelSpec& spec, int64_t batch_size) {
  return estimate_training_memory(spec, batch_size).total_bytes;
}

}  // namespace gapscope

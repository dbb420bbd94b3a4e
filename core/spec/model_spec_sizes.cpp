// What a spec costs: shapes, parameters, FLOPs and training memory. All sizes
// use saturating arithmetic so absurd specs report their size, never wrap.
#include <algorithm>

#include "core/spec/checked_math.h"
#include "core/spec/model_spec.h"

namespace gapscope {

namespace {

constexpr int64_t kFloatBytes = 4;

int64_t last_dim(const Shape& shape) { return shape.empty() ? 1 : shape.back(); }

// Dense acts on the last axis (as in Keras); validation only admits rank 1.
Shape layer_output_shape(const LayerSpec& layer, const Shape& input) {
  if (layer.type != "dense") return input;
  Shape out = input;
  if (out.empty())
    out.push_back(layer.units);
  else
    out.back() = layer.units;
  return out;
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
    if (layer.type == "dense") {
      if (layer.name.empty())
        throw SpecError("layers[" + std::to_string(i) + "] has no name; validate the spec first");
      params.push_back({layer.name + "/kernel", {last_dim(current), layer.units}});
      if (layer.use_bias) params.push_back({layer.name + "/bias", {layer.units}});
    }
    current = layer_output_shape(layer, current);
  }
  return params;
}

int64_t count_parameters(const ModelSpec& spec) {
  int64_t total = 0;
  Shape current = spec.input_shape;
  for (const LayerSpec& layer : spec.layers) {
    if (layer.type == "dense") {
      total = saturating_add(total, saturating_mul(last_dim(current), layer.units));
      if (layer.use_bias) total = saturating_add(total, layer.units);
    }
    current = layer_output_shape(layer, current);
  }
  return total;
}

// Counts 2 x in x units per dense layer (a multiply and an add per weight), the
// usual FLOP count for MLPs. Bias adds, activations and dropout are O(units)
// element-wise work and are not counted.
int64_t forward_flops(const ModelSpec& spec) {
  int64_t total = 0;
  Shape current = spec.input_shape;
  for (const LayerSpec& layer : spec.layers) {
    if (layer.type == "dense") {
      int64_t rows = saturating_element_count(current) / std::max<int64_t>(1, last_dim(current));
      int64_t macs = saturating_mul(rows, saturating_mul(last_dim(current), layer.units));
      total = saturating_add(total, saturating_mul(2, macs));
    }
    current = layer_output_shape(layer, current);
  }
  return total;
}

// Parameters: weights + gradients + the optimizer's slots, float32 each.
// Activations (per sample, x batch, float32): the input; each layer's output
// kept for backward (dense with a non-linear activation also keeps its
// pre-activation; dropout also keeps its mask); plus two gradient buffers as
// large as the largest layer output (backward ping-pong; no gradient is made
// for the input itself).
TrainingMemoryEstimate estimate_training_memory(const ModelSpec& spec, int64_t batch_size) {
  TrainingMemoryEstimate e;
  e.parameters = count_parameters(spec);
  e.copies = 2 + optimizer_slot_count(spec.optimizer.kind);
  e.parameter_bytes = saturating_mul(saturating_mul(e.parameters, kFloatBytes), e.copies);

  int64_t input_elements = saturating_element_count(spec.input_shape);
  int64_t kept = input_elements, largest = 0;
  Shape current = spec.input_shape;
  for (const LayerSpec& layer : spec.layers) {
    current = layer_output_shape(layer, current);
    int64_t out = saturating_element_count(current);
    bool keeps_two = (layer.type == "dense" && layer.activation != Activation::linear) || layer.type == "dropout";
    kept = saturating_add(kept, saturating_mul(out, keeps_two ? 2 : 1));
    largest = std::max(largest, out);
  }
  int64_t per_sample = saturating_add(kept, saturating_mul(largest, 2));
  e.activation_bytes = saturating_mul(saturating_mul(per_sample, std::max<int64_t>(1, batch_size)), kFloatBytes);
  e.total_bytes = saturating_add(e.parameter_bytes, e.activation_bytes);
  return e;
}

int64_t estimate_training_bytes(const ModelSpec& spec, int64_t batch_size) {
  return estimate_training_memory(spec, batch_size).total_bytes;
}

}  // namespace gapscope

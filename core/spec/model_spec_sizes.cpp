// What a spec costs: shapes, parameters, FLOPs and training memory, summed
// over what each layer type reports, through the spec's graph. All sizes use saturating arithmetic so
// absurd specs report their size, never wrap. Everything here also runs on
// specs that fail validation (validation itself uses it).
#include <algorithm>

#include "core/base/checked_math.h"
#include "core/spec/layer_type.h"
#include "core/spec/model_graph.h"
#include "core/spec/model_spec.h"

namespace gapscope {

namespace {

constexpr int64_t kFloatBytes = 4;

const Shape& first_input(const GraphShapes& shapes, size_t i) {
  static const Shape none;
  return shapes.inputs[i].empty() ? none : shapes.inputs[i].front();
}

// Each layer type answers for itself (core/layers); an unknown type (an
// invalid spec) costs nothing.
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

// The spec's shapes through its graph, as well as an invalid spec allows.
struct SizedSpec {
  ModelGraph graph;
  GraphShapes shapes;
  explicit SizedSpec(const ModelSpec& spec) : graph(lenient_model_graph(spec)), shapes(graph_shapes(spec, graph)) {}
};

}  // namespace

std::vector<Shape> infer_output_shapes(const ModelSpec& spec) { return SizedSpec(spec).shapes.outputs; }

Shape model_output_shape(const ModelSpec& spec) {
  std::vector<Shape> outputs = infer_output_shapes(spec);
  return outputs.empty() ? spec.input_shape : outputs.back();
}

std::vector<ParameterShape> parameter_shapes(const ModelSpec& spec) {
  const SizedSpec sized(spec);
  std::vector<ParameterShape> params;
  for (size_t i = 0; i < spec.layers.size(); ++i) {
    const LayerSpec& layer = spec.layers[i];
    std::vector<ParameterShape> own = layer_parameters(layer, first_input(sized.shapes, i));
    if (!own.empty() && layer.name.empty())
      throw SpecError("layers[" + std::to_string(i) + "] has no name; validate the spec first");
    params.insert(params.end(), own.begin(), own.end());
  }
  return params;
}

std::vector<LayerCost> layer_costs(const ModelSpec& spec) {
  const SizedSpec sized(spec);
  std::vector<LayerCost> costs(spec.layers.size());
  for (size_t i = 0; i < spec.layers.size(); ++i) {
    LayerCost& cost = costs[i];
    for (int s : sized.graph.sources[i]) cost.inputs.push_back(source_name(spec, s));
    cost.output = sized.shapes.outputs[i];
    const Shape& input = first_input(sized.shapes, i);
    for (const ParameterShape& p : layer_parameters(spec.layers[i], input))
      cost.parameters = saturating_add(cost.parameters, saturating_element_count(p.shape));
    cost.flops = saturating_mul(2, layer_macs(spec.layers[i], input, cost.output));
  }
  return costs;
}

int64_t count_parameters(const ModelSpec& spec) {
  int64_t total = 0;
  for (const LayerCost& cost : layer_costs(spec)) total = saturating_add(total, cost.parameters);
  return total;
}

int64_t forward_flops(const ModelSpec& spec) {
  int64_t total = 0;
  for (const LayerCost& cost : layer_costs(spec)) total = saturating_add(total, cost.flops);
  return total;
}

// Parameters: a trainable one has its weights, gradients and the optimizer's
// slots; a non-trainable one (batch-norm moving statistics) only its values.
// Activations (per sample, x batch, float32): the input; what each layer keeps
// for backward (LayerType::kept_elements: its output, and e.g. conv2d's im2col
// buffer, dropout's mask, RNN gates; flatten and reshape are views and keep
// nothing); the gradient sum of every output read by several layers; plus two
// gradient buffers as large as the largest layer output (backward ping-pong;
// no gradient is made for the input).
TrainingMemoryEstimate estimate_training_memory(const ModelSpec& spec, int64_t batch_size) {
  const SizedSpec sized(spec);
  TrainingMemoryEstimate e;
  e.copies = 2 + optimizer_slot_count(spec.optimizer.kind);

  int64_t kept = saturating_element_count(spec.input_shape), largest = 0, trainable = 0;
  for (size_t i = 0; i < spec.layers.size(); ++i) {
    const LayerSpec& layer = spec.layers[i];
    const Shape& input = first_input(sized.shapes, i);
    const Shape& output = sized.shapes.outputs[i];
    for (const ParameterShape& p : layer_parameters(layer, input)) {
      int64_t n = saturating_element_count(p.shape);
      e.parameters = saturating_add(e.parameters, n);
      if (p.trainable)
        trainable = saturating_add(trainable, n);
      else
        e.non_trainable_parameters = saturating_add(e.non_trainable_parameters, n);
    }
    kept = saturating_add(kept, layer_kept_elements(layer, input, output));
    if (sized.graph.readers[i] > 1) kept = saturating_add(kept, saturating_element_count(output));
    largest = std::max(largest, saturating_element_count(output));
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

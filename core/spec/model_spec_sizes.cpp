// What a spec costs: shapes, parameters, FLOPs and training memory. All sizes
// use saturating arithmetic so absurd specs report their size, never wrap.
// Everything here also runs on specs that fail validation (validation itself
// uses it): a missing dimension reads as 1, never out of bounds.
#include <algorithm>

#include "core/base/checked_math.h"
#include "core/spec/model_spec.h"

namespace gapscope {

namespace {

constexpr int64_t kFloatBytes = 4;

int64_t last_dim(const Shape& shape) { return shape.empty() ? 1 : shape.back(); }

// shape[i], or 1 where the shape is too short (an invalid spec).
int64_t dim(const Shape& shape, size_t i) { return i < shape.size() ? shape[i] : 1; }
int64_t pair_value(const std::vector<int64_t>& pair, size_t i, int64_t fallback) {
  return i < pair.size() ? pair[i] : fallback;
}

bool is_pooling(const LayerSpec& layer) {
  return layer.type == "max_pooling2d" || layer.type == "average_pooling2d";
}
bool is_recurrent(const LayerSpec& layer) {
  return layer.type == "simple_rnn" || layer.type == "lstm" || layer.type == "gru";
}

// Gate blocks of an RNN's kernels: simple_rnn 1, lstm 4 (i, f, c, o), gru 3 (z, r, h).
int64_t gate_count(const LayerSpec& layer) {
  if (layer.type == "lstm") return 4;
  if (layer.type == "gru") return 3;
  return 1;
}

// The sliding window of conv2d (kernel_size) or pooling (pool_size), and its
// strides: empty strides mean conv2d [1, 1], pooling = the window.
struct Window {
  int64_t kh, kw, sh, sw;
};

Window window_of(const LayerSpec& layer) {
  const std::vector<int64_t>& size = layer.type == "conv2d" ? layer.kernel_size : layer.pool_size;
  Window w{pair_value(size, 0, 1), pair_value(size, 1, 1), 1, 1};
  bool strides_default = layer.strides.empty();
  int64_t default_h = is_pooling(layer) ? w.kh : 1, default_w = is_pooling(layer) ? w.kw : 1;
  w.sh = strides_default ? default_h : pair_value(layer.strides, 0, 1);
  w.sw = strides_default ? default_w : pair_value(layer.strides, 1, 1);
  return w;
}

// valid: floor((in - k) / s) + 1 (0 when the window does not fit);
// same: ceil(in / s). Strides < 1 (invalid) count as 1.
int64_t window_output(int64_t in, int64_t k, int64_t s, Padding padding) {
  s = std::max<int64_t>(1, s);
  if (padding == Padding::same) return in / s + (in % s != 0 ? 1 : 0);
  if (k > in) return 0;
  return (in - k) / s + 1;
}

// [OH, OW] of a windowed layer on [H, W, C].
std::pair<int64_t, int64_t> window_output_hw(const LayerSpec& layer, const Shape& input) {
  Window w = window_of(layer);
  return {window_output(dim(input, 0), w.kh, w.sh, layer.padding),
          window_output(dim(input, 1), w.kw, w.sw, layer.padding)};
}

// Dense acts on the last axis (as in Keras).
Shape layer_output_shape(const LayerSpec& layer, const Shape& input) {
  if (layer.type == "dense") {
    Shape out = input;
    if (out.empty())
      out.push_back(layer.units);
    else
      out.back() = layer.units;
    return out;
  }
  if (layer.type == "conv2d" || is_pooling(layer)) {
    auto [oh, ow] = window_output_hw(layer, input);
    return {oh, ow, layer.type == "conv2d" ? layer.filters : dim(input, 2)};
  }
  if (layer.type == "flatten") return {saturating_element_count(input)};
  if (layer.type == "reshape") return layer.target_shape;
  if (layer.type == "embedding") {
    Shape out = input;
    out.push_back(layer.output_dim);
    return out;
  }
  if (is_recurrent(layer)) {
    if (layer.return_sequences) return {dim(input, 0), layer.units};
    return {layer.units};
  }
  return input;  // activation, dropout, batch_normalization
}

// A layer's parameters given its per-sample input, in file order.
std::vector<ParameterShape> layer_parameters(const LayerSpec& layer, const Shape& input) {
  const std::string& n = layer.name;
  if (layer.type == "dense") {
    std::vector<ParameterShape> p{{n + "/kernel", {last_dim(input), layer.units}}};
    if (layer.use_bias) p.push_back({n + "/bias", {layer.units}});
    return p;
  }
  if (layer.type == "conv2d") {
    std::vector<ParameterShape> p{
        {n + "/kernel", {pair_value(layer.kernel_size, 0, 1), pair_value(layer.kernel_size, 1, 1), dim(input, 2),
                         layer.filters}}};
    if (layer.use_bias) p.push_back({n + "/bias", {layer.filters}});
    return p;
  }
  if (layer.type == "batch_normalization") {
    int64_t c = last_dim(input);
    return {{n + "/gamma", {c}}, {n + "/beta", {c}}, {n + "/moving_mean", {c}, false},
            {n + "/moving_variance", {c}, false}};
  }
  if (layer.type == "embedding") return {{n + "/embeddings", {layer.input_dim, layer.output_dim}}};
  if (is_recurrent(layer)) {
    int64_t gates = saturating_mul(gate_count(layer), layer.units);
    std::vector<ParameterShape> p{{n + "/kernel", {last_dim(input), gates}},
                                  {n + "/recurrent_kernel", {layer.units, gates}}};
    if (layer.use_bias) p.push_back({n + "/bias", {gates}});
    return p;
  }
  return {};
}

// Multiply-adds with weights, per sample (see forward_flops in the header).
int64_t layer_macs(const LayerSpec& layer, const Shape& input, const Shape& output) {
  if (layer.type == "dense") {
    int64_t rows = saturating_element_count(input) / std::max<int64_t>(1, last_dim(input));
    return saturating_mul(rows, saturating_mul(last_dim(input), layer.units));
  }
  if (layer.type == "conv2d") {
    int64_t window = saturating_mul(saturating_mul(pair_value(layer.kernel_size, 0, 1),
                                                   pair_value(layer.kernel_size, 1, 1)),
                                    dim(input, 2));
    return saturating_mul(saturating_element_count(output), window);  // OH x OW x filters x kh x kw x in
  }
  if (is_recurrent(layer)) {
    int64_t per_step = saturating_mul(saturating_mul(gate_count(layer), layer.units),
                                      saturating_add(last_dim(input), layer.units));
    return saturating_mul(dim(input, 0), per_step);
  }
  return 0;
}

// Floats a layer keeps per sample for backward, besides its input (which is
// the previous layer's output): see estimate_training_memory.
int64_t layer_kept_elements(const LayerSpec& layer, const Shape& input, const Shape& output) {
  int64_t out = saturating_element_count(output);
  if (layer.type == "dense" || layer.type == "conv2d") {
    // A non-linear activation keeps its pre-activation too.
    int64_t kept = saturating_mul(out, layer.activation != Activation::linear ? 2 : 1);
    if (layer.type == "conv2d") {  // the im2col buffer: OH x OW x kh x kw x in
      auto [oh, ow] = window_output_hw(layer, input);
      int64_t patch = saturating_mul(saturating_mul(pair_value(layer.kernel_size, 0, 1),
                                                    pair_value(layer.kernel_size, 1, 1)),
                                     dim(input, 2));
      kept = saturating_add(kept, saturating_mul(saturating_mul(oh, ow), patch));
    }
    return kept;
  }
  if (layer.type == "dropout") return saturating_mul(out, 2);              // output + mask
  if (layer.type == "max_pooling2d") return saturating_mul(out, 2);        // output + argmax
  if (layer.type == "batch_normalization") return saturating_mul(out, 2);  // output + normalised input
  if (layer.type == "flatten" || layer.type == "reshape") return 0;        // views of the input
  if (is_recurrent(layer)) {
    // Per step: G gate blocks, the cell state and the hidden state.
    int64_t steps = saturating_mul(dim(input, 0), saturating_mul(gate_count(layer) + 2, layer.units));
    return saturating_add(out, steps);
  }
  return out;  // activation, average pooling, embedding
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
// for backward (its output; dense and conv2d with a non-linear activation also
// the pre-activation; conv2d its im2col buffer OH x OW x kh x kw x in; dropout
// its mask; max pooling its argmax; batch norm its normalised input; RNNs
// T x (G + 2) x units of gates, cell and hidden states; flatten and reshape
// are views and keep nothing); plus two gradient buffers as large as the
// largest layer output (backward ping-pong; no gradient is made for the input).
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

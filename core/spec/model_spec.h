// ModelSpec: the versioned, Keras/TF.js-named JSON description of a model, the
// single source of truth for native builds, browser builds, files and reports.
#pragma once
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/base/activation.h"
#include "core/base/spec_error.h"
#include "core/base/window_size.h"
#include "core/base/initializer.h"
#include "core/base/loss.h"
#include "core/base/optimizer_config.h"
#include "core/tensor/tensor.h"

namespace gapscope {

// A spec that names no inputs is written as /1 (what older gapscope reads),
// others as /2 (see model_spec_format). Both are read.
inline constexpr const char* kModelSpecFormat = "gapscope.model/1";
inline constexpr const char* kModelGraphSpecFormat = "gapscope.model/2";
// The model input's name when the spec gives none.
inline constexpr const char* kDefaultInputName = "input";

// One layer, with Keras/TF.js field names. Only the fields of its type matter;
// the parser fills the per-type defaults TF.js uses (e.g. tanh for RNNs), code
// that builds specs sets them itself.
struct LayerSpec {
  std::string type;  // one of layer_type_names()
  std::string name;  // unique; defaults to "<type>_<n>" (1-based per type)
  // The layers (or the model input, by its name) whose outputs it takes.
  // Empty: the layer before it in the list (the model input for the first).
  // Merges (add, concatenate, ...) take two or more, every other type one.
  std::vector<std::string> inputs;
  // dense, simple_rnn, lstm, gru
  int64_t units = 0;
  // dense, conv2d, simple_rnn, lstm, gru
  bool use_bias = true;
  // dense, conv2d, rnn kernels; embedding: embeddings_initializer
  Initializer kernel_initializer = Initializer::glorot_uniform;
  Initializer bias_initializer = Initializer::zeros;
  // dense, activation, conv2d, simple_rnn, lstm, gru (output activation)
  Activation activation = Activation::linear;
  // dropout
  float rate = 0.0f;

  // conv2d: channels-last, kernel [kh, kw, in, filters]
  int64_t filters = 0;
  std::vector<int64_t> kernel_size;  // [kh, kw]
  // conv2d, max_pooling2d, average_pooling2d. Empty = the default (conv2d
  // [1, 1], pooling = pool_size); validate_model_spec fills it in.
  std::vector<int64_t> strides;      // [sh, sw]
  // conv2d: [dh, dw]; empty = [1, 1]. Above 1 needs strides [1, 1] (as TF).
  std::vector<int64_t> dilation_rate;
  Padding padding = Padding::valid;  // same: output ceil(in / stride), extra pad bottom/right
  // max_pooling2d, average_pooling2d
  std::vector<int64_t> pool_size;    // [ph, pw]
  // depthwise_conv2d, separable_conv2d: filters per input channel (kernel
  // [kh, kw, C, M]); their depthwise_initializer is kernel_initializer
  int64_t depth_multiplier = 1;
  // separable_conv2d: the 1x1 convolution's kernel [1, 1, C*M, filters]
  Initializer pointwise_initializer = Initializer::glorot_uniform;

  // up_sampling2d: each pixel becomes an [sh, sw] block
  std::vector<int64_t> upsampling_size;

  // reshape: per-sample target shape (no -1)
  Shape target_shape;

  // batch_normalization over the last axis: gamma, beta (trainable),
  // moving_mean, moving_variance (not trainable)
  float momentum = 0.99f;
  float epsilon = 1e-3f;
  // batch_normalization, layer_normalization: with beta (center) and gamma (scale)
  bool center = true;
  bool scale = true;
  // -1, or the last axis counted with the batch axis (Keras writes 3 for
  // images): either way the last one, the only one supported.
  int64_t axis = -1;
  // batch_normalization, layer_normalization: the initializers of gamma [C]
  // and beta [C]; batch_normalization's moving statistics too
  Initializer gamma_initializer = Initializer::ones;
  Initializer beta_initializer = Initializer::zeros;
  Initializer moving_mean_initializer = Initializer::zeros;
  Initializer moving_variance_initializer = Initializer::ones;

  // zero_padding2d (padding), cropping2d (cropping): [top, bottom, left, right]
  std::vector<int64_t> margins;
  // relu: the cap (relu6: 6); NaN: none
  float max_value = std::numeric_limits<float>::quiet_NaN();
  // relu (negative_slope), leaky_relu (its alpha): the slope below the threshold
  float negative_slope = 0.0f;
  float threshold = 0.0f;  // relu

  // embedding: ids in [0, input_dim) -> vectors of output_dim
  int64_t input_dim = 0;
  int64_t output_dim = 0;

  // simple_rnn, lstm, gru
  Activation recurrent_activation = Activation::hard_sigmoid;  // lstm, gru gates
  Initializer recurrent_initializer = Initializer::orthogonal;
  bool return_sequences = false;
  bool unit_forget_bias = true;  // lstm: forget-gate bias starts at 1
};

// A model is a graph with one input and one output: the last layer in the
// list. Layers may be listed in any order their inputs allow (no cycles), and
// every layer but the last must feed another (see core/spec/model_graph.h).
struct ModelSpec {
  std::string name = "model";
  Shape input_shape;  // per sample, without the batch dimension
  std::string input_name = kDefaultInputName;
  std::vector<LayerSpec> layers;
  Loss loss = Loss::categorical_crossentropy;
  OptimizerConfig optimizer;
};


// What a spec may ask for before anything is allocated.
struct SpecLimits {
  int64_t max_layers = 1000;
  int64_t max_units = 1 << 20;
  int64_t max_parameters = 1'000'000'000;      // floats
  int64_t memory_bytes = 8LL << 30;            // params, grads, 2 optimizer slots, activations
  int64_t batch_size = 64;                     // for the activation estimate
};

ModelSpec parse_model_spec(const nlohmann::json& json, const SpecLimits& limits = {});
ModelSpec parse_model_spec_text(const std::string& text, const SpecLimits& limits = {});
ModelSpec load_model_spec_file(const std::string& path, const SpecLimits& limits = {});
nlohmann::json model_spec_to_json(const ModelSpec& spec);
// kModelGraphSpecFormat when a layer names its inputs or the input has a
// name of its own (what /1 readers refuse), else kModelSpecFormat.
const char* model_spec_format(const ModelSpec& spec);

// Checks a spec built in code (names, sizes, memory); throws SpecError. It
// also completes it: default layer names, and empty strides (conv2d [1, 1],
// pooling = pool_size), so a validated spec always states its strides.
void validate_model_spec(ModelSpec& spec, const SpecLimits& limits = {});

// Shapes per layer output (index i = the output of layers[i]), without batch
// dimension, computed through the graph.
std::vector<Shape> infer_output_shapes(const ModelSpec& spec);
// The shape of the model's output (the last layer's).
Shape model_output_shape(const ModelSpec& spec);
// Per layer (spec order), through the graph: what it takes, its output, its
// parameters (all, as Keras's countParams) and its forward FLOPs (see below).
struct LayerCost {
  std::vector<std::string> inputs;  // its sources by name (the model input's name for it)
  Shape output;
  int64_t parameters = 0;
  int64_t flops = 0;
};
std::vector<LayerCost> layer_costs(const ModelSpec& spec);
// Every parameter, trainable or not (as Keras's countParams).
int64_t count_parameters(const ModelSpec& spec);
// Multiply-adds x 2 of one forward pass for a single sample: products with
// weights only (dense 2 x in x units per row, conv2d 2 x OH x OW x kh x kw x
// in x filters, RNNs 2 x T x G x units x (features + units)). Bias adds,
// activations, dropout, pooling, batch and layer norm and embedding lookups are
// element-wise or gathers and count 0.
int64_t forward_flops(const ModelSpec& spec);
// Bytes the engine needs to train at the given batch size (estimate used for limits).
int64_t estimate_training_bytes(const ModelSpec& spec, int64_t batch_size);

// --- added with the implementation ---

// The layer types a spec may use, in documentation order.
const std::vector<std::string>& layer_type_names();

// Gives every unnamed layer "<type>_<n>", n counting layers of that type from 1
// (named or not: the third dense layer is dense_3 either way).
void assign_default_layer_names(ModelSpec& spec);

// A parameter, named as TF.js names it: "<layer>/<weight>". Per layer type:
// dense kernel [in, units], bias [units]; conv2d kernel [kh, kw, in, filters],
// bias [filters]; batch_normalization gamma, beta, moving_mean, moving_variance
// (the last two not trainable), all [C]; layer_normalization gamma (scale),
// beta (center), both [C]; embedding embeddings [input_dim,
// output_dim]; simple_rnn/lstm/gru kernel [F, G*units], recurrent_kernel
// [units, G*units], bias [G*units] with G = 1, 4, 3 gates.
struct ParameterShape {
  std::string name;
  Shape shape;
  bool trainable = true;  // false: state the layer updates itself, no gradient
};
// In spec order (layer by layer, in the order above): the order of native and
// JSON model files. TF.js's manifest lists the trainable ones first. Layers
// must be named (validate first).
std::vector<ParameterShape> parameter_shapes(const ModelSpec& spec);

// The parts of estimate_training_bytes, for messages and the GUI. Sizes
// saturate at INT64_MAX instead of wrapping.
struct TrainingMemoryEstimate {
  int64_t parameters = 0;               // all, as count_parameters
  int64_t non_trainable_parameters = 0; // of those: one copy each, no gradient or slots
  int copies = 0;                       // of a trainable one: weights, gradients, optimizer slots
  int64_t parameter_bytes = 0;          // (trainable x copies + non-trainable) x 4
  int64_t activation_bytes = 0;  // kept layer outputs + backward workspace
  int64_t total_bytes = 0;
};
TrainingMemoryEstimate estimate_training_memory(const ModelSpec& spec, int64_t batch_size);

}  // namespace gapscope

// Ready-made model specs: the models of the WWW'19 paper's experiments. The
// paper's Table 5 sizes each model by depth and width; here:
//   paper-dnn: depth = hidden dense layers,   width = units of each
//   paper-cnn: depth = conv2d layers,         width = filters (kernels) of each
//   paper-rnn: depth = stacked LSTM layers,   width = units of each
// make_preset(name, depth, width) builds any of them (paper-rnn with its
// default vocabulary and window unless given).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/spec/model_spec.h"

namespace gapscope {

// The paper's DNN: input [784], `depth` dense ReLU layers of `width` units, then
// dense 10 softmax; categorical cross-entropy, SGD with learning rate 0.1.
// Named "paper-dnn-<depth>x<width>". depth in [1, 64], width in [1, 65536],
// else SpecError. Memory limits are the caller's to check (validate_model_spec
// with its own SpecLimits): a big machine may take what a small one refuses.
ModelSpec paper_dnn(int depth, int width);

// The paper's CNN, shaped like TF.js's MNIST example: input [28, 28, 1];
// `depth` conv2d layers of `width` filters, 5x5, ReLU, glorot_uniform - the
// first with valid padding (28 -> 24), the rest with same padding - each
// followed by max_pooling2d 2x2 stride 2 while the image side is >= 2
// (28 -> 24 -> 12 -> 12 -> 6 -> 6 -> 3 -> 3 -> 1 -> 1 ...), so every depth up
// to 8 keeps at least one pixel; then flatten and dense 10 softmax.
// Categorical cross-entropy, Adam with learning rate 0.01 (TF.js's other
// defaults): 0.001 does not reach 95% in 2 epochs of the default MNIST.
// Named "paper-cnn-<depth>x<width>". depth in [1, 8], width in [1, 65536].
ModelSpec paper_cnn(int depth, int width);

// The paper's RNN, shaped like TF.js's lstm-text-generation example: input
// [window, vocabulary] (one-hot characters); `depth` stacked LSTM layers of
// `width` units (return_sequences on all but the last; tanh, hard_sigmoid
// gates, glorot_uniform / orthogonal / zeros with the forget-gate bias at 1, as
// Keras), then dense `vocabulary` softmax predicting the next character.
// Categorical cross-entropy, RMSProp with learning rate 0.01 as the example.
// Named "paper-rnn-<depth>x<width>". depth in [1, 64], width in [1, 65536],
// vocabulary and window in [1, 65536].
ModelSpec paper_rnn(int depth, int width, int64_t vocabulary = 96, int64_t window = 40);

// The preset catalog: one row per ready-made model. The paper's models are
// sized by depth and width (and swept over them); the zoo's (core/spec/zoo.h)
// by input size and classes.
struct PresetOptions {
  int64_t depth = 2, width = 128;       // paper presets
  int64_t input_size = 0;               // zoo: 0 = Keras's default for the model
  int64_t classes = 0;                  // zoo: 0 = 1000 (ImageNet)
  int64_t vocabulary = 0, window = 0;   // paper-rnn's text: 0 = 96 and 40
};

struct PresetInfo {
  std::string name;
  std::string summary;                  // one line, for --help and tooltips
  bool sized_by_depth_width = true;     // false: a zoo model
  int64_t default_input_size = 0;       // zoo only
  int64_t smallest_input_size = 0;      // zoo only
  ModelSpec (*build)(const PresetOptions&) = nullptr;
};

const std::vector<PresetInfo>& preset_catalog();

// Which preset and size a spec was built from, read off its name as the
// builders write it ("paper-dnn-2x64"; a zoo model's own name, sized by its
// input side and its last layer's units); nullopt for any other name.
struct PresetChoice {
  std::string name;
  PresetOptions options;
};
std::optional<PresetChoice> preset_of(const ModelSpec& spec);
// The row of `name`; unknown names throw SpecError listing the known ones.
const PresetInfo& preset_info(const std::string& name);
// Builds any preset; SpecError for an unknown name or a size it refuses.
ModelSpec build_preset(const std::string& name, const PresetOptions& options);
// A paper preset by depth and width (what sweeps vary); paper-rnn reads text
// of `vocabulary` characters in windows of `window` (0: 96 and 40; the other
// presets ignore both). A zoo name throws SpecError saying it is not sized that way.
ModelSpec make_preset(const std::string& name, int depth, int width, int64_t vocabulary = 0, int64_t window = 0);
// Every preset's name, in the catalog's order.
std::vector<std::string> preset_names();

}  // namespace gapscope

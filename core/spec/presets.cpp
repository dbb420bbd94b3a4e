// The paper's DNN, CNN and RNN as ModelSpecs (mapping in presets.h).
#include "core/spec/presets.h"

#include <climits>
#include <cstdio>

#include "core/base/json_fields.h"
#include "core/spec/zoo.h"

namespace gapscope {

namespace {

constexpr int kMaxDepth = 64;
constexpr int kMaxCnnDepth = 8;
constexpr int kMaxWidth = 65536;
constexpr int64_t kMaxRnnInput = 65536;

void check_range(const char* preset, const char* what, int64_t value, int64_t max) {
  if (value < 1 || value > max)
    throw SpecError(std::string(preset) + " " + what + " must be in [1, " + std::to_string(max) + "], got " +
                    std::to_string(value));
}

LayerSpec dense(int64_t units, Activation activation) {
  LayerSpec layer;
  layer.type = "dense";
  layer.units = units;
  layer.activation = activation;
  return layer;
}

LayerSpec conv5x5(int64_t filters, Padding padding) {
  LayerSpec layer;
  layer.type = "conv2d";
  layer.filters = filters;
  layer.kernel_size = {5, 5};
  layer.strides = {1, 1};
  layer.padding = padding;
  layer.activation = Activation::relu;
  return layer;
}

LayerSpec max_pool2x2() {
  LayerSpec layer;
  layer.type = "max_pooling2d";
  layer.pool_size = {2, 2};
  layer.strides = {2, 2};
  return layer;
}

LayerSpec lstm(int64_t units, bool return_sequences) {
  LayerSpec layer;
  layer.type = "lstm";
  layer.units = units;
  layer.activation = Activation::tanh;  // LayerSpec's default is linear
  layer.recurrent_activation = Activation::hard_sigmoid;
  layer.kernel_initializer = Initializer::glorot_uniform;
  layer.recurrent_initializer = Initializer::orthogonal;
  layer.bias_initializer = Initializer::zeros;
  layer.unit_forget_bias = true;
  layer.return_sequences = return_sequences;
  return layer;
}

std::string preset_name(const char* preset, int depth, int width) {
  return std::string(preset) + "-" + std::to_string(depth) + "x" + std::to_string(width);
}

}  // namespace

ModelSpec paper_dnn(int depth, int width) {
  check_range("paper-dnn", "depth", depth, kMaxDepth);
  check_range("paper-dnn", "width", width, kMaxWidth);
  ModelSpec spec;
  spec.name = preset_name("paper-dnn", depth, width);
  spec.input_shape = {784};
  for (int i = 0; i < depth; ++i) spec.layers.push_back(dense(width, Activation::relu));
  spec.layers.push_back(dense(10, Activation::softmax));
  spec.loss = Loss::categorical_crossentropy;
  spec.optimizer = default_optimizer_config(OptimizerKind::sgd);
  spec.optimizer.learning_rate = 0.1f;
  assign_default_layer_names(spec);
  return spec;
}

ModelSpec paper_cnn(int depth, int width) {
  check_range("paper-cnn", "depth", depth, kMaxCnnDepth);
  check_range("paper-cnn", "width", width, kMaxWidth);
  ModelSpec spec;
  spec.name = preset_name("paper-cnn", depth, width);
  spec.input_shape = {28, 28, 1};
  int64_t side = 28;
  for (int i = 0; i < depth; ++i) {
    spec.layers.push_back(conv5x5(width, i == 0 ? Padding::valid : Padding::same));
    if (i == 0) side -= 4;
    if (side >= 2) {  // pool while there is more than one pixel to pool
      spec.layers.push_back(max_pool2x2());
      side = (side - 2) / 2 + 1;
    }
  }
  LayerSpec flatten;
  flatten.type = "flatten";
  spec.layers.push_back(flatten);
  spec.layers.push_back(dense(10, Activation::softmax));
  spec.loss = Loss::categorical_crossentropy;
  // Adam at 0.01, not TF.js's 0.001: on the 8,333 training digits of the
  // default MNIST, 2 epochs (262 steps) of paper-cnn-2x8 reach 95.5-95.9% test
  // accuracy over 3 seeds at 0.01, 92-92.5% at 0.001.
  spec.optimizer = default_optimizer_config(OptimizerKind::adam);
  spec.optimizer.learning_rate = 0.01f;
  assign_default_layer_names(spec);
  return spec;
}

ModelSpec paper_rnn(int depth, int width, int64_t vocabulary, int64_t window) {
  check_range("paper-rnn", "depth", depth, kMaxDepth);
  check_range("paper-rnn", "width", width, kMaxWidth);
  check_range("paper-rnn", "vocabulary", vocabulary, kMaxRnnInput);
  check_range("paper-rnn", "window", window, kMaxRnnInput);
  ModelSpec spec;
  spec.name = preset_name("paper-rnn", depth, width);
  spec.input_shape = {window, vocabulary};
  for (int i = 0; i < depth; ++i) spec.layers.push_back(lstm(width, i + 1 < depth));
  spec.layers.push_back(dense(vocabulary, Activation::softmax));
  spec.loss = Loss::categorical_crossentropy;
  spec.optimizer = default_optimizer_config(OptimizerKind::rmsprop);
  spec.optimizer.learning_rate = 0.01f;  // lstm-text-generation's default
  assign_default_layer_names(spec);
  return spec;
}

namespace {

// The builders check their own ranges; this only keeps the value an int.
int size_of(const char* preset, const char* what, int64_t value) {
  if (value < INT_MIN || value > INT_MAX) check_range(preset, what, value, kMaxWidth);
  return static_cast<int>(value);
}

// A zoo row: Keras's default input and its smallest, 1000 classes by default.
template <ModelSpec (*Build)(int64_t, int64_t)>
ModelSpec build_zoo(const PresetOptions& o) {
  return Build(o.input_size, o.classes > 0 ? o.classes : 1000);
}

PresetInfo zoo_row(std::string name, std::string summary, int64_t default_input, int64_t smallest,
                   ModelSpec (*build)(const PresetOptions&)) {
  return {std::move(name), std::move(summary), false, default_input, smallest, build};
}

}  // namespace

std::optional<PresetChoice> preset_of(const ModelSpec& spec) {
  for (const PresetInfo& preset : preset_catalog()) {
    PresetChoice choice{preset.name, {}};
    if (!preset.sized_by_depth_width) {
      if (spec.name != preset.name || spec.input_shape.empty() || spec.layers.empty()) continue;
      choice.options.input_size = spec.input_shape.front();
      choice.options.classes = spec.layers.back().units;
      return choice;
    }
    const std::string prefix = preset.name + "-";
    if (spec.name.rfind(prefix, 0) != 0) continue;
    int depth = 0, width = 0;
    char rest = 0;
    if (std::sscanf(spec.name.c_str() + prefix.size(), "%dx%d%c", &depth, &width, &rest) != 2 || depth < 1 ||
        width < 1 || spec.name != preset_name(preset.name.c_str(), depth, width))
      continue;
    choice.options.depth = depth;
    choice.options.width = width;
    return choice;
  }
  return std::nullopt;
}

const std::vector<PresetInfo>& preset_catalog() {
  static const std::vector<PresetInfo> catalog = {
      {"paper-dnn", "the paper's DNN: dense ReLU layers on 28x28 digits", true, 0, 0,
       [](const PresetOptions& o) { return paper_dnn(size_of("paper-dnn", "depth", o.depth), size_of("paper-dnn", "width", o.width)); }},
      {"paper-cnn", "the paper's CNN: 5x5 conv + max pooling layers on 28x28 digits", true, 0, 0,
       [](const PresetOptions& o) { return paper_cnn(size_of("paper-cnn", "depth", o.depth), size_of("paper-cnn", "width", o.width)); }},
      {"paper-rnn", "the paper's RNN: stacked LSTMs predicting the next character", true, 0, 0,
       [](const PresetOptions& o) {
         return paper_rnn(size_of("paper-rnn", "depth", o.depth), size_of("paper-rnn", "width", o.width),
                          o.vocabulary > 0 ? o.vocabulary : 96, o.window > 0 ? o.window : 40);
       }},
      zoo_row("mobilenet", "Keras MobileNet (V1, alpha 1), 4.25M parameters", kZooDefaultInput, kZooSmallestInput,
              build_zoo<mobilenet_v1>),
      zoo_row("mobilenet-v2", "Keras MobileNetV2 (alpha 1), 3.54M parameters", kZooDefaultInput, kZooSmallestInput,
              build_zoo<mobilenet_v2>),
      zoo_row("resnet50", "Keras ResNet50, 25.6M parameters", kZooDefaultInput, kZooSmallestInput, build_zoo<resnet50>),
      zoo_row("inception-v3", "Keras InceptionV3, 23.9M parameters", kInceptionDefaultInput, kInceptionSmallestInput,
              build_zoo<inception_v3>),
      zoo_row("densenet121", "Keras DenseNet121, 8.06M parameters", kZooDefaultInput, kZooSmallestInput,
              build_zoo<densenet121>),
      zoo_row("xception", "Keras Xception, 22.9M parameters", kXceptionDefaultInput, kXceptionSmallestInput,
              build_zoo<xception>),
  };
  return catalog;
}

std::vector<std::string> preset_names() {
  std::vector<std::string> names;
  for (const PresetInfo& row : preset_catalog()) names.push_back(row.name);
  return names;
}

const PresetInfo& preset_info(const std::string& name) {
  for (const PresetInfo& row : preset_catalog())
    if (row.name == name) return row;
  throw SpecError("unknown preset '" + name + "'; known presets: " + join_names(preset_names()));
}

ModelSpec build_preset(const std::string& name, const PresetOptions& options) {
  const PresetInfo& row = preset_info(name);
  PresetOptions resolved = options;
  if (!row.sized_by_depth_width && resolved.input_size == 0) resolved.input_size = row.default_input_size;
  return row.build(resolved);
}

ModelSpec make_preset(const std::string& name, int depth, int width, int64_t vocabulary, int64_t window) {
  if (!preset_info(name).sized_by_depth_width)
    throw SpecError(name + " is sized by input size and classes, not by depth and width");
  return build_preset(name, {.depth = depth, .width = width, .vocabulary = vocabulary, .window = window});
}

}  // namespace gapscope

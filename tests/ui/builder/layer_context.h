// A small valid model that a layer of a given type fits into at
// layerContextIndex(type), for the builder tests that add every layer type:
// image layers get [28, 28, 1], an embedding token ids [40], recurrent layers
// [40, 96] windows, the rest [784]. Layer 0 is a dropout (it takes any shape),
// so the new layer is not first and the builder's "add after the selected
// layer" puts it at index 1 — except an embedding, which must be first: its
// context has no dropout and it goes to index 0.
#pragma once
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

namespace gapscope::test {

inline bool isImageLayer(const QString& type) {
  return QStringList{"conv2d",         "depthwise_conv2d", "separable_conv2d", "max_pooling2d", "average_pooling2d",
                     "global_average_pooling2d", "global_max_pooling2d", "up_sampling2d", "zero_padding2d",
                     "cropping2d",     "batch_normalization", "flatten",     "reshape"}
      .contains(type);
}

inline bool isRecurrentLayer(const QString& type) { return QStringList{"simple_rnn", "lstm", "gru"}.contains(type); }

// The shape the layer at index 1 receives.
inline nlohmann::json layerContextInput(const QString& type) {
  using nlohmann::json;
  if (isImageLayer(type)) return json::array({28, 28, 1});
  if (type == "embedding") return json::array({40});
  if (isRecurrentLayer(type)) return json::array({40, 96});
  return json::array({784});
}

inline int layerContextIndex(const QString& type) { return type == "embedding" ? 0 : 1; }

// Layers [dropout?, flatten?, dense 10 softmax]: insert the new layer at layerContextIndex.
// They are named, so that a new layer's default-looking name ("dense_2") never
// meets the default an unnamed layer after it would take.
inline nlohmann::json layerContextSpec(const QString& type) {
  using nlohmann::json;
  json layers = json::array();
  if (layerContextIndex(type) == 1) layers.push_back({{"type", "dropout"}, {"name", "context_dropout"}, {"rate", 0.1}});
  if (isImageLayer(type) || type == "embedding") layers.push_back({{"type", "flatten"}, {"name", "context_flatten"}});
  layers.push_back({{"type", "dense"}, {"name", "context_output"}, {"units", 10}, {"activation", "softmax"}});
  return {{"format", "gapscope.model/1"},
          {"name", "context"},
          {"input", {{"shape", layerContextInput(type)}}},
          {"layers", layers},
          {"loss", "categorical_crossentropy"},
          {"optimizer", {{"type", "sgd"}, {"learning_rate", 0.1}}}};
}

// Every layer type the builder knows, in core's documentation order.
inline const QStringList& allLayerTypes() {
  static const QStringList types = {
      "dense",          "activation",          "relu",           "leaky_relu",   "softmax",    "dropout",
      "conv2d",         "depthwise_conv2d",    "separable_conv2d", "max_pooling2d",       "average_pooling2d",
      "global_average_pooling2d", "global_max_pooling2d", "up_sampling2d", "zero_padding2d", "cropping2d",
      "flatten",        "reshape",             "batch_normalization",  "layer_normalization", "embedding",
      "simple_rnn",     "lstm",                "gru",
      "add",            "average",             "multiply",       "maximum",      "concatenate"};
  return types;
}

}  // namespace gapscope::test

// One layer of a TF.js model.json ({"class_name", "config"}) <-> LayerSpec, for
// every layer type of the spec, with the class names and config keys (and key
// order) tfjs-layers 4.22 writes: tfjs_layer_writer.cpp, tfjs_layer_reader.cpp.
// Internal to core/io (tfjs_topology.cpp).
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/spec/model_spec.h"

namespace gapscope {

// Our layer types and TF.js's class names for them.
struct TfjsLayerClass {
  const char* type;
  const char* class_name;
};
inline constexpr TfjsLayerClass kTfjsLayerClasses[] = {
    {"dense", "Dense"},
    {"activation", "Activation"},
    {"dropout", "Dropout"},
    {"conv2d", "Conv2D"},
    {"max_pooling2d", "MaxPooling2D"},
    {"average_pooling2d", "AveragePooling2D"},
    {"flatten", "Flatten"},
    {"reshape", "Reshape"},
    {"batch_normalization", "BatchNormalization"},
    {"embedding", "Embedding"},
    {"simple_rnn", "SimpleRNN"},
    {"lstm", "LSTM"},
    {"gru", "GRU"},
};

// The config of layer `layer`; the first layer also carries the input shape.
nlohmann::ordered_json tfjs_layer_json(const LayerSpec& layer, const ModelSpec& spec, bool first);

// TF.js reads both spellings (convertPythonicToTs): "batchInputShape" == "batch_input_shape".
std::string snake_case(const std::string& key);
// The object with snake_case keys; a key given in both spellings is an error.
nlohmann::json snake_case_keys(const nlohmann::json& object, const std::string& path);

// A layer config being read: keys in snake_case, errors with field paths.
struct TfjsLayerReader {
  std::string config_path;
  nlohmann::json config;

  bool has(const char* key) const { return config.contains(key) && !config[key].is_null(); }
  std::string path_of(const char* key) const;
  // Settings we do not implement must be absent or null, never ignored.
  void require_null(const char* key, const char* what) const;
  // Rejects keys that are neither `own_keys` nor the keys every layer has;
  // checks trainable and dtype.
  void check_common(const std::vector<std::string_view>& own_keys, const std::string& class_name) const;
  Activation activation(const char* key, Activation fallback) const;
  std::string name() const;
};

// The classes read_tfjs_layer knows, for messages: "Dense, Activation, ...".
std::string supported_tfjs_layer_classes();
// The layer of a supported class; nullopt for any other class (the caller
// reports it with the file path). SpecError with field paths for bad configs.
std::optional<LayerSpec> read_tfjs_layer(const std::string& class_name, const TfjsLayerReader& reader);
// The per-sample input shape a layer config declares (batch_input_shape,
// batch_shape, Keras's input_dim, Embedding's input_length), if any.
bool read_tfjs_input_shape(const std::string& class_name, const TfjsLayerReader& reader, Shape& shape);

}  // namespace gapscope

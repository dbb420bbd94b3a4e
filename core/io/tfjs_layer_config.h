// One layer of a TF.js model.json ({"class_name", "config"}) <-> LayerSpec.
// The per-class keys and defaults live in each layer type's registry entry
// (core/layers; LayerType::read_tfjs / write_tfjs); this file has what every
// class shares: the reader entries use, the base config, the dispatch.
// Internal to core/io (tfjs_topology.cpp) and core/layers.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/spec/model_spec.h"

namespace gapscope {

// The config of layer `layer`; the first layer also carries the input shape.
nlohmann::ordered_json tfjs_layer_json(const LayerSpec& layer, const ModelSpec& spec, bool first);

// TF.js reads both spellings (convertPythonicToTs): "batchInputShape" == "batch_input_shape".
std::string snake_case(const std::string& key);
// The object with snake_case keys; a key given in both spellings is an error.
nlohmann::json snake_case_keys(const nlohmann::json& object, const std::string& path);

// A layer config being read: keys in snake_case, errors with field paths.
// Absent and null keys read as the fallback, as TF.js reads them.
struct TfjsLayerReader {
  std::string config_path;
  nlohmann::json config;
  std::vector<std::string>* notes = nullptr;  // what was read but is not used (see note_ignored)
  const nlohmann::json* weights_manifest = nullptr;  // the file's, where a config leaves out what its weights say

  bool has(const char* key) const { return config.contains(key) && !config[key].is_null(); }
  std::string path_of(const char* key) const;
  // Rejects keys that are neither `own_keys` nor the keys every layer has;
  // checks trainable and dtype.
  void check_common(const std::vector<std::string_view>& own_keys, const std::string& class_name) const;
  std::string name() const;
  // The shape the weights manifest lists for weight `name`, if it lists one.
  std::optional<Shape> manifest_shape(const std::string& name) const;

  int64_t integer(const char* key) const;  // required
  // "axis": n, or [n] as Keras 3 writes it.
  int64_t axis(int64_t fallback) const;
  bool flag(const char* key, bool fallback) const;
  float number(const char* key, float fallback) const;
  Activation activation(const char* key, Activation fallback) const;
  Initializer initializer(const char* key, Initializer fallback) const;
  // kernel_size, strides, pool_size: n or [h, w] (TF.js writes arrays).
  std::vector<int64_t> pair(const char* key, std::vector<int64_t> fallback) const;
  Shape int_list(const char* key) const;  // required
  Padding padding() const;

  // Settings we do not implement must keep their default, never be ignored.
  void require_present(const char* key) const;
  void require_null(const char* key, const char* what) const;
  // Settings that change training only (regularizers, constraints): read, not
  // used, and named in a note rather than refused.
  void note_ignored(std::initializer_list<const char*> keys, const char* what) const;
  void note(const std::string& text) const;
  void require_false(const char* key, const char* what) const;          // stateful, masks, ...
  void require_zero(const char* key, const char* what) const;           // dropout rates
  void require_channels_last() const;
};

// Every class's config carries these; only the first layer the input shape.
void add_tfjs_base_config(nlohmann::ordered_json& config, const LayerSpec& layer, const ModelSpec& spec, bool first);
// Keys TF.js writes as null (regularizers, constraints we never set).
void add_tfjs_nulls(nlohmann::ordered_json& config, std::initializer_list<const char*> keys);

// The classes read_tfjs_layer knows, for messages: "Dense, Activation, ...".
std::string supported_tfjs_layer_classes();
// The layer of a supported class; nullopt for any other class (the caller
// reports it with the file path). SpecError with field paths for bad configs.
std::optional<LayerSpec> read_tfjs_layer(const std::string& class_name, const TfjsLayerReader& reader);
// The per-sample input shape a layer config declares (batch_input_shape,
// batch_shape, Keras's input_dim, Embedding's input_length), if any.
bool read_tfjs_input_shape(const std::string& class_name, const TfjsLayerReader& reader, Shape& shape);

}  // namespace gapscope

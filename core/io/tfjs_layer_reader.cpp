// Reading TF.js layer configs: what every class shares (the reader the layer
// types use, the input shape a config declares, the dispatch to the class's
// registry entry). What TF.js 4.22 writes and Keras's spellings are accepted;
// any setting we do not implement is refused by field path, never ignored.
#include <algorithm>
#include <cctype>

#include "core/base/json_fields.h"
#include "core/io/tfjs_layer_config.h"
#include "core/spec/initializer_json.h"
#include "core/spec/layer_type.h"

namespace gapscope {

using nlohmann::json;

namespace {

Shape read_int_list(const json& j, const std::string& path) {
  expect_array(j, path);
  Shape out;
  for (size_t i = 0; i < j.size(); ++i) out.push_back(read_integer(j[i], element_path(path, i)));
  return out;
}

// [null, 784] -> [784]; the batch dimension may be null or a number.
Shape read_batch_input_shape(const TfjsLayerReader& r, const char* key) {
  const json& shape = expect_array(r.config[key], r.path_of(key));
  if (shape.size() < 2)
    throw SpecError(r.path_of(key) + " must be [batch, ...dims] with at least one dimension, got " +
                    json_excerpt(shape));
  Shape dims;
  for (size_t i = 1; i < shape.size(); ++i) {
    if (shape[i].is_null())
      throw SpecError(element_path(r.path_of(key), i) + ": variable dimensions (null) are not supported");
    dims.push_back(read_integer(shape[i], element_path(r.path_of(key), i)));
  }
  return dims;
}

}  // namespace

std::string TfjsLayerReader::path_of(const char* key) const { return field_path(config_path, key); }

void TfjsLayerReader::check_common(const std::vector<std::string_view>& own_keys, const std::string& class_name) const {
  std::vector<std::string_view> known = own_keys;
  for (std::string_view k : {"name", "trainable", "dtype", "batch_input_shape", "batch_size", "input_dim", "batch_shape"})
    if (std::find(known.begin(), known.end(), k) == known.end()) known.push_back(k);
  reject_unknown_keys(config, config_path, known, "a " + class_name + " layer's config");
  if (has("trainable") && !read_bool(config["trainable"], path_of("trainable")))
    note(path_of("trainable") + " is false: gapscope trains every layer (predictions are the same)");
  // Keras 3 writes a dtype policy object; any dtype computes here in float32.
  if (has("dtype") && (!config["dtype"].is_string() || config["dtype"].get<std::string>() != "float32"))
    note(path_of("dtype") + " " + config["dtype"].dump() + ": gapscope computes in float32");
}

void TfjsLayerReader::note(const std::string& text) const {
  if (notes) notes->push_back(text);
}

void TfjsLayerReader::note_ignored(std::initializer_list<const char*> keys, const char* what) const {
  for (const char* key : keys)
    if (has(key)) note(path_of(key) + ": " + what + " " + config[key].dump() + " is not used: gapscope trains without it (predictions are the same)");
}

std::optional<Shape> TfjsLayerReader::manifest_shape(const std::string& weight) const {
  if (!weights_manifest || !weights_manifest->is_array()) return std::nullopt;
  for (const json& group : *weights_manifest) {
    const json* weights = group.is_object() ? optional_field(group, "weights") : nullptr;
    if (!weights || !weights->is_array()) continue;
    for (const json& w : *weights) {
      if (!w.is_object() || w.value("name", json()) != weight) continue;
      const json* shape = optional_field(w, "shape");
      if (!shape || !shape->is_array()) return std::nullopt;
      Shape out;
      for (const json& d : *shape)
        if (d.is_number_integer()) out.push_back(d.get<int64_t>());
      return out;
    }
  }
  return std::nullopt;
}

std::string TfjsLayerReader::name() const { return has("name") ? read_string(config["name"], path_of("name")) : ""; }

int64_t TfjsLayerReader::axis(int64_t fallback) const {
  if (!has("axis")) return fallback;
  const json& v = config["axis"];
  return v.is_array() && v.size() == 1 ? read_integer(v[0], path_of("axis") + "[0]") : integer("axis");
}

int64_t TfjsLayerReader::integer(const char* key) const {
  return read_integer(required_field(config, config_path, key), path_of(key));
}

bool TfjsLayerReader::flag(const char* key, bool fallback) const {
  return has(key) ? read_bool(config[key], path_of(key)) : fallback;
}

float TfjsLayerReader::number(const char* key, float fallback) const {
  return has(key) ? read_float(config[key], path_of(key)) : fallback;
}

Activation TfjsLayerReader::activation(const char* key, Activation fallback) const {
  if (!has(key)) return fallback;
  std::string name = read_string(config[key], path_of(key));
  if (auto a = parse_activation(name)) return *a;
  throw SpecError(path_of(key) + ": unsupported activation '" + name + "'");
}

Initializer TfjsLayerReader::initializer(const char* key, Initializer fallback) const {
  return has(key) ? parse_initializer_json(config[key], path_of(key)) : fallback;
}

std::vector<int64_t> TfjsLayerReader::pair(const char* key, std::vector<int64_t> fallback) const {
  if (!has(key)) return fallback;
  const json& v = config[key];
  if (v.is_number_integer() || v.is_number_unsigned()) {
    int64_t n = read_integer(v, path_of(key));
    return {n, n};
  }
  return read_int_list(v, path_of(key));
}

Shape TfjsLayerReader::int_list(const char* key) const {
  return read_int_list(required_field(config, config_path, key), path_of(key));
}

Padding TfjsLayerReader::padding() const {
  if (!has("padding")) return Padding::valid;
  std::string name = read_string(config["padding"], path_of("padding"));
  if (name == "valid") return Padding::valid;
  if (name == "same") return Padding::same;
  throw SpecError(path_of("padding") + ": unsupported padding '" + name + "'; supported: valid, same");
}

void TfjsLayerReader::require_present(const char* key) const {
  if (!has(key)) throw SpecError(path_of(key) + " is missing");
}

void TfjsLayerReader::require_null(const char* key, const char* what) const {
  if (has(key)) throw SpecError(path_of(key) + ": " + what + " are not supported (must be null)");
}

void TfjsLayerReader::require_false(const char* key, const char* what) const {
  if (flag(key, false)) throw SpecError(path_of(key) + ": " + what + " are not supported (must be false)");
}

void TfjsLayerReader::require_zero(const char* key, const char* what) const {
  if (number(key, 0.0f) != 0.0f) throw SpecError(path_of(key) + ": " + what + " is not supported (must be 0)");
}

void TfjsLayerReader::require_channels_last() const {
  if (has("data_format") && read_string(config["data_format"], path_of("data_format")) != "channels_last")
    throw SpecError(path_of("data_format") + " must be \"channels_last\", got " + json_excerpt(config["data_format"]));
}

std::string snake_case(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (std::isupper(static_cast<unsigned char>(c))) {
      if (!out.empty()) out += '_';
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      out += c;
    }
  }
  return out;
}

json snake_case_keys(const json& object, const std::string& path) {
  json out = json::object();
  for (const auto& item : object.items()) {
    std::string key = snake_case(item.key());
    if (out.contains(key)) throw SpecError(field_path(path, item.key()) + ": " + key + " is given twice");
    out[key] = item.value();
  }
  return out;
}

std::string supported_tfjs_layer_classes() {
  std::vector<std::string> names;
  for (const LayerType* type : layer_types()) names.emplace_back(type->tfjs_class());
  return join_names(names);
}

std::optional<LayerSpec> read_tfjs_layer(const std::string& class_name, const TfjsLayerReader& r) {
  const LayerType* type = find_tfjs_layer_class(class_name);
  if (!type) return std::nullopt;
  LayerSpec layer = type->read_tfjs(r);
  layer.type = type->name();
  layer.name = r.name();
  return layer;
}

bool read_tfjs_input_shape(const std::string& class_name, const TfjsLayerReader& r, Shape& shape) {
  for (const char* key : {"batch_input_shape", "batch_shape"})
    if (r.has(key)) {
      shape = read_batch_input_shape(r, key);
      return true;
    }
  const LayerType* type = find_tfjs_layer_class(class_name);
  if (type && !type->tfjs_input_dim_is_shape()) {  // input_dim is the vocabulary; input_length the sequence
    if (!r.has("input_length")) return false;
    const json& length = r.config["input_length"];
    shape = length.is_array() ? read_int_list(length, r.path_of("input_length"))
                              : Shape{read_integer(length, r.path_of("input_length"))};
    return true;
  }
  if (r.has("input_dim")) {
    shape = {read_integer(r.config["input_dim"], r.path_of("input_dim"))};
    return true;
  }
  return false;
}

}  // namespace gapscope

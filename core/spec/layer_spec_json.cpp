// One layer of a spec <-> JSON, driven by its type's field table (layer
// registry): unknown keys rejected with their field path, each key read by
// its kind, absent keys given the type's default.
#include "core/spec/layer_spec_json.h"

#include <cmath>
#include <limits>

#include "core/base/json_fields.h"
#include "core/base/number_text.h"
#include "core/spec/initializer_json.h"
#include "core/spec/layer_type.h"

namespace gapscope {

using nlohmann::json;

namespace {

std::string activation_names() {
  std::vector<std::string> names;
  for (Activation a : all_activations()) names.emplace_back(activation_name(a));
  return join_names(names);
}

Activation read_activation(const json& j, const std::string& path) {
  std::string name = read_string(j, path);
  if (auto a = parse_activation(name)) return *a;
  throw SpecError(path + ": unknown activation '" + name + "'; known: " + activation_names());
}

// kernel_size, strides, pool_size: n (= [n, n]) or [h, w].
std::vector<int64_t> read_pair(const json& v, const std::string& path) {
  if (v.is_number_integer() || v.is_number_unsigned()) {
    int64_t n = read_integer(v, path);
    return {n, n};
  }
  if (!v.is_array()) throw SpecError(path + " must be an integer or an array [height, width], got " + json_kind(v));
  std::vector<int64_t> out;
  for (size_t i = 0; i < v.size(); ++i) out.push_back(read_integer(v[i], element_path(path, i)));
  return out;
}

Shape read_shape(const json& v, const std::string& path) {
  expect_array(v, path);
  Shape out;
  for (size_t i = 0; i < v.size(); ++i) out.push_back(read_integer(v[i], element_path(path, i)));
  return out;
}

Padding read_padding(const json& v, const std::string& path) {
  std::string name = read_string(v, path);
  if (name == "valid") return Padding::valid;
  if (name == "same") return Padding::same;
  throw SpecError(path + ": unknown padding '" + name + "'; known: valid, same");
}

// A fixed field: only its default is accepted ("axis must be -1 (...)").
void check_fixed(const LayerField& field, const json& v, const std::string& path) {
  const json& only = field.default_value;
  const bool same = only.is_boolean() ? read_bool(v, path) == only.get<bool>()
                    : only.is_string() ? read_string(v, path) == only.get<std::string>()
                                       : read_integer(v, path) == only.get<int64_t>();
  if (same) return;
  throw SpecError(path + " must be " + only.dump() + " (" + field.fixed_reason + ")" +
                  (only.is_boolean() ? "" : ", got " + json_excerpt(v)));
}

// Reads `v` by the field's kind into its member.
void assign(const LayerField& field, const json& v, const std::string& path, LayerSpec& layer) {
  if (field.kind == LayerFieldKind::fixed) return check_fixed(field, v, path);
  std::visit(
      [&](auto member) {
        using Member = decltype(member);
        if constexpr (std::is_same_v<Member, int64_t LayerSpec::*>) layer.*member = read_integer(v, path);
        else if constexpr (std::is_same_v<Member, float LayerSpec::*>)
          layer.*member = v.is_null() && field.default_value.is_null() ? std::numeric_limits<float>::quiet_NaN()
                                                                       : read_float(v, path);
        else if constexpr (std::is_same_v<Member, bool LayerSpec::*>) layer.*member = read_bool(v, path);
        else if constexpr (std::is_same_v<Member, Activation LayerSpec::*>) layer.*member = read_activation(v, path);
        else if constexpr (std::is_same_v<Member, Initializer LayerSpec::*>)
          layer.*member = parse_initializer_json(v, path);
        else if constexpr (std::is_same_v<Member, Padding LayerSpec::*>) layer.*member = read_padding(v, path);
        else if constexpr (std::is_same_v<Member, std::vector<int64_t> LayerSpec::*>)
          layer.*member = field.kind == LayerFieldKind::pair      ? read_pair(v, path)
                          : field.kind == LayerFieldKind::margins ? read_margins(v, path)
                                                                  : read_shape(v, path);
      },
      field.member);
}

const LayerField* field_named(const LayerType& type, const std::string& key) {
  for (const LayerField& f : type.fields())
    if (f.key == key) return &f;
  return nullptr;
}

json member_json(const LayerField& field, const LayerSpec& layer) {
  return std::visit(
      [&](auto member) -> json {
        using Member = decltype(member);
        if constexpr (std::is_same_v<Member, std::monostate>) return nullptr;
        else if constexpr (std::is_same_v<Member, float LayerSpec::*>)
          return std::isnan(layer.*member) ? json(nullptr) : json(float_json_value(layer.*member));
        else if constexpr (std::is_same_v<Member, Activation LayerSpec::*>) return activation_name(layer.*member);
        else if constexpr (std::is_same_v<Member, Initializer LayerSpec::*>) return initializer_to_json(layer.*member);
        else if constexpr (std::is_same_v<Member, Padding LayerSpec::*>) return padding_name(layer.*member);
        else return layer.*member;
      },
      field.member);
}

bool has_default(const LayerField& field) { return !field.default_value.is_null() || !field.default_from.empty(); }

std::vector<int64_t>* list_member(const LayerField& field, LayerSpec& layer) {
  auto* member = std::get_if<std::vector<int64_t> LayerSpec::*>(&field.member);
  return member ? &(layer.**member) : nullptr;
}

// "inputs": ["conv_1", "bn_3"], or one name.
std::vector<std::string> read_input_names(const json& v, const std::string& path) {
  constexpr size_t kMaxInputs = 1024;
  if (v.is_string()) return {read_string(v, path)};
  expect_array(v, path);
  if (v.empty()) throw SpecError(path + " must name at least one layer (or the model input); omit it for the layer before");
  if (v.size() > kMaxInputs)
    throw SpecError(path + " names " + with_thousands(static_cast<int64_t>(v.size())) + " inputs, over the limit of " +
                    with_thousands(static_cast<int64_t>(kMaxInputs)));
  std::vector<std::string> names;
  for (size_t i = 0; i < v.size(); ++i) names.push_back(read_string(v[i], element_path(path, i)));
  return names;
}

}  // namespace

std::vector<int64_t> read_margins(const json& v, const std::string& path) {
  const auto nonnegative = [&](const json& n, const std::string& at) {
    const int64_t value = read_integer(n, at);
    if (value < 0) throw SpecError(at + " must be >= 0, got " + with_thousands(value));
    return value;
  };
  if (v.is_number()) {
    const int64_t n = nonnegative(v, path);
    return {n, n, n, n};
  }
  const std::string forms = " must be n, [rows, columns], [[top, bottom], [left, right]] or [top, bottom, left, right]";
  if (!v.is_array()) throw SpecError(path + forms + ", got " + json_kind(v));
  if (v.size() == 2 && v[0].is_array() && v[1].is_array() && v[0].size() == 2 && v[1].size() == 2)
    return {nonnegative(v[0][0], path + "[0][0]"), nonnegative(v[0][1], path + "[0][1]"),
            nonnegative(v[1][0], path + "[1][0]"), nonnegative(v[1][1], path + "[1][1]")};
  if (v.size() == 2) {
    const int64_t rows = nonnegative(v[0], element_path(path, 0)), columns = nonnegative(v[1], element_path(path, 1));
    return {rows, rows, columns, columns};
  }
  if (v.size() == 4) {
    std::vector<int64_t> out;
    for (size_t i = 0; i < 4; ++i) out.push_back(nonnegative(v[i], element_path(path, i)));
    return out;
  }
  throw SpecError(path + forms + ", got " + json_excerpt(v));
}

LayerSpec parse_layer_json(const json& j, const std::string& path) {
  expect_object(j, path);
  LayerSpec layer;
  std::string type_path = field_path(path, "type");
  layer.type = read_string(required_field(j, path, "type", "one of " + join_names(layer_type_names())), type_path);
  const LayerType* type = find_layer_type(layer.type);
  if (!type)
    throw SpecError(type_path + ": unknown layer type '" + layer.type + "'; known: " + join_names(layer_type_names()));
  std::vector<std::string_view> keys = {"type", "name", "inputs"};
  for (const LayerField& field : type->fields()) keys.push_back(field.key);
  reject_unknown_keys(j, path, keys, type->description());
  for (const LayerField& field : type->fields()) {
    const std::string key_path = field_path(path, field.key);
    if (const json* v = optional_field(j, field.key)) {
      assign(field, *v, key_path, layer);
    } else if (!field.required_hint.empty()) {
      required_field(j, path, field.key, field.required_hint);  // throws "... is missing; <hint>"
    } else if (!field.default_value.is_null()) {
      assign(field, field.default_value, key_path, layer);
    }
  }
  complete_layer_defaults(layer);
  if (const json* name = optional_field(j, "name")) {
    layer.name = read_string(*name, field_path(path, "name"));
    // An empty name would silently become the default one.
    if (layer.name.empty()) throw SpecError(field_path(path, "name") + " must not be empty; omit it for a default");
  }
  if (const json* inputs = optional_field(j, "inputs")) layer.inputs = read_input_names(*inputs, field_path(path, "inputs"));
  return layer;
}

void complete_layer_defaults(LayerSpec& layer) {
  const LayerType* type = find_layer_type(layer.type);
  if (!type) return;
  for (const LayerField& field : type->fields()) {
    std::vector<int64_t>* list = list_member(field, layer);
    if (!list || !list->empty() || !has_default(field)) continue;
    if (!field.default_from.empty()) {
      if (const LayerField* source = field_named(*type, field.default_from))
        if (std::vector<int64_t>* from = list_member(*source, layer)) *list = *from;
    } else {
      *list = field.default_value.get<std::vector<int64_t>>();
    }
  }
}

// Every field of the type, explicitly; a list field with a default only when
// set (a validated spec always has them).
json layer_spec_to_json(const LayerSpec& layer) {
  json out = {{"type", layer.type}, {"name", layer.name}};
  if (!layer.inputs.empty()) out["inputs"] = layer.inputs;
  const LayerType* type = find_layer_type(layer.type);
  if (!type) return out;
  for (const LayerField& field : type->fields()) {
    if (field.kind == LayerFieldKind::fixed) continue;
    json value = member_json(field, layer);
    if (value.is_array() && value.empty() && has_default(field)) continue;
    out[field.key] = std::move(value);
  }
  return out;
}

}  // namespace gapscope

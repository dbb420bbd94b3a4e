#include "core/spec/optimizer_json.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/base/json_fields.h"
#include "core/spec/model_spec.h"
#include "core/base/number_text.h"

namespace gapscope {

using nlohmann::json;

namespace {

constexpr float kInfinity = std::numeric_limits<float>::infinity();

// One optimizer setting: its spec key (and Keras alias), where it lives, and
// the values that make sense.
struct Field {
  std::string_view key;
  std::string_view alias;  // Keras spelling, accepted on input
  float OptimizerConfig::*number;
  bool OptimizerConfig::*flag;
  float low;
  bool low_inclusive;
  float high;  // exclusive
};

const std::vector<Field>& all_fields() {
  using C = OptimizerConfig;
  static const std::vector<Field> fields = {
      {"learning_rate", "", &C::learning_rate, nullptr, 0.0f, false, kInfinity},
      {"momentum", "", &C::momentum, nullptr, 0.0f, true, kInfinity},
      {"nesterov", "", nullptr, &C::nesterov, 0, true, 0},
      {"beta1", "beta_1", &C::beta1, nullptr, 0.0f, true, 1.0f},
      {"beta2", "beta_2", &C::beta2, nullptr, 0.0f, true, 1.0f},
      {"rho", "", &C::rho, nullptr, 0.0f, true, 1.0f},
      {"epsilon", "", &C::epsilon, nullptr, 0.0f, false, kInfinity},
      {"initial_accumulator_value", "", &C::initial_accumulator, nullptr, 0.0f, true, kInfinity},
      {"decay", "", &C::decay, nullptr, 0.0f, true, kInfinity},
      {"centered", "", nullptr, &C::centered, 0, true, 0},
  };
  return fields;
}

const Field& field_named(std::string_view key) {
  for (const Field& f : all_fields())
    if (f.key == key) return f;
  throw std::logic_error("no optimizer field " + std::string(key));
}

std::vector<std::string_view> known_optimizer_names() {
  std::vector<std::string_view> names;
  for (OptimizerKind k : all_optimizers()) names.push_back(optimizer_name(k));
  return names;
}

OptimizerKind read_kind(const json& j, const std::string& path) {
  std::string name = read_string(j, path);
  if (auto kind = parse_optimizer(name)) return *kind;
  throw SpecError(path + ": unknown optimizer '" + name + "'; known: " + join_names(known_optimizer_names()));
}

// The keys a user may write for `kind`: canonical names and aliases.
std::vector<std::string_view> accepted_keys(OptimizerKind kind) {
  std::vector<std::string_view> keys = {"type"};
  for (std::string_view name : optimizer_field_names(kind)) {
    keys.push_back(name);
    if (!field_named(name).alias.empty()) keys.push_back(field_named(name).alias);
  }
  return keys;
}

// A key that exists for other optimizers deserves a better message than "unknown".
void reject_inapplicable_keys(const json& object, const std::string& path, OptimizerKind kind) {
  std::vector<std::string_view> accepted = accepted_keys(kind);
  for (const auto& item : object.items()) {
    const std::string& key = item.key();
    if (std::find(accepted.begin(), accepted.end(), key) != accepted.end()) continue;
    if (kind == OptimizerKind::rmsprop && key == "decay")
      throw SpecError(field_path(path, key) + ": for rmsprop, TF.js's 'decay' is called rho here");
    std::vector<std::string_view> users;
    for (OptimizerKind other : all_optimizers()) {
      auto others = accepted_keys(other);
      if (std::find(others.begin(), others.end(), key) != others.end()) users.push_back(optimizer_name(other));
    }
    if (!users.empty())
      throw SpecError(field_path(path, key) + " does not apply to " + std::string(optimizer_name(kind)) +
                      " (it applies to: " + join_names(users) + "); " + std::string(optimizer_name(kind)) +
                      " takes: " + join_names(optimizer_field_names(kind)));
  }
  reject_unknown_keys(object, path, accepted, "the " + std::string(optimizer_name(kind)) + " optimizer");
}

std::string range_text(const Field& f) {
  if (f.high == kInfinity) return std::string(f.low_inclusive ? ">= " : "> ") + float_text(f.low);
  return std::string("in ") + (f.low_inclusive ? "[" : "(") + float_text(f.low) + ", " + float_text(f.high) + ")";
}

}  // namespace

std::vector<std::string_view> optimizer_field_names(OptimizerKind kind) {
  switch (kind) {
    case OptimizerKind::sgd: return {"learning_rate"};
    case OptimizerKind::momentum: return {"learning_rate", "momentum", "nesterov"};
    case OptimizerKind::adagrad: return {"learning_rate", "initial_accumulator_value"};
    case OptimizerKind::adadelta: return {"learning_rate", "rho", "epsilon"};
    case OptimizerKind::adam: return {"learning_rate", "beta1", "beta2", "epsilon"};
    case OptimizerKind::adamax: return {"learning_rate", "beta1", "beta2", "epsilon", "decay"};
    case OptimizerKind::rmsprop: return {"learning_rate", "rho", "momentum", "epsilon", "centered"};
  }
  return {};
}

OptimizerConfig parse_optimizer_json(const json& j, const std::string& path) {
  if (j.is_string()) return default_optimizer_config(read_kind(j, path));
  if (!j.is_object())
    throw SpecError(path + " must be an object like {\"type\": \"sgd\", \"learning_rate\": 0.01} or a name, got " +
                    json_kind(j));
  OptimizerKind kind = read_kind(required_field(j, path, "type", "e.g. \"sgd\", \"adam\""), field_path(path, "type"));
  reject_inapplicable_keys(j, path, kind);
  OptimizerConfig config = default_optimizer_config(kind);
  config.kind = kind;
  for (std::string_view name : optimizer_field_names(kind)) {
    const Field& field = field_named(name);
    const json* value = optional_field(j, field.key);
    const json* alias = field.alias.empty() ? nullptr : optional_field(j, field.alias);
    if (value && alias)
      throw SpecError(path + ": " + std::string(field.key) + " and " + std::string(field.alias) +
                      " are the same setting; give one");
    std::string key_path = field_path(path, value ? field.key : field.alias);
    if (!value) value = alias;
    if (!value) continue;
    if (field.flag)
      config.*field.flag = read_bool(*value, key_path);
    else
      config.*field.number = read_float(*value, key_path);
  }
  return config;
}

json optimizer_to_json(const OptimizerConfig& config) {
  json out = {{"type", optimizer_name(config.kind)}};
  for (std::string_view name : optimizer_field_names(config.kind)) {
    const Field& field = field_named(name);
    if (field.flag)
      out[std::string(name)] = config.*field.flag;
    else
      out[std::string(name)] = float_json_value(config.*field.number);
  }
  return out;
}

void check_optimizer_values(const OptimizerConfig& config, const std::string& path) {
  if (!std::count(all_optimizers().begin(), all_optimizers().end(), config.kind))
    throw SpecError(field_path(path, "type") + ": unknown optimizer kind " +
                    std::to_string(static_cast<int>(config.kind)));
  for (std::string_view name : optimizer_field_names(config.kind)) {
    const Field& field = field_named(name);
    if (field.flag) continue;
    float value = config.*field.number;
    bool ok = std::isfinite(value) && (field.low_inclusive ? value >= field.low : value > field.low) &&
              (field.high == kInfinity || value < field.high);
    if (!ok)
      throw SpecError(field_path(path, name) + " must be " + range_text(field) + ", got " + float_text(value));
  }
}

}  // namespace gapscope

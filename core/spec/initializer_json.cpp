// Initializers in JSON: names, and TF.js's {"class_name", "config"} objects.
#include "core/spec/initializer_json.h"

#include <optional>
#include <vector>

#include "core/base/json_fields.h"
#include "core/spec/model_spec.h"
#include "core/base/number_text.h"

namespace gapscope {

using nlohmann::json;

namespace {

// VarianceScaling parameters of the initializers that are special cases of it.
struct VarianceScaling {
  Initializer init;
  const char* class_name;
  double scale;
  const char* mode;
  const char* distribution;  // "normal" draws a truncated normal, as in TF.js
};

const std::vector<VarianceScaling>& variance_scaling_family() {
  static const std::vector<VarianceScaling> family = {
      {Initializer::glorot_uniform, "GlorotUniform", 1.0, "fan_avg", "uniform"},
      {Initializer::glorot_normal, "GlorotNormal", 1.0, "fan_avg", "normal"},
      {Initializer::he_uniform, "HeUniform", 2.0, "fan_in", "uniform"},
      {Initializer::he_normal, "HeNormal", 2.0, "fan_in", "normal"},
      {Initializer::lecun_normal, "LeCunNormal", 1.0, "fan_in", "normal"},
  };
  return family;
}

// TF.js and Keras spellings of the same settings.
std::string canonical_mode(const std::string& mode) {
  if (mode == "fanIn") return "fan_in";
  if (mode == "fanOut") return "fan_out";
  if (mode == "fanAvg") return "fan_avg";
  return mode;
}

std::string canonical_distribution(const std::string& distribution) {
  // Keras names TF.js's 'normal' (a truncated normal) 'truncated_normal'.
  if (distribution == "truncated_normal" || distribution == "truncatedNormal") return "normal";
  return distribution;
}

// `defaults` is the class itself for GlorotUniform & co; for VarianceScaling it
// is null and TF.js's defaults (1, fan_in, normal) apply.
Initializer parse_variance_scaling(const json& config, const std::string& path, const char* class_name,
                                   const VarianceScaling* defaults) {
  reject_unknown_keys(config, path, {"scale", "mode", "distribution", "seed"},
                      std::string(class_name) + "'s config");
  const json* scale_json = optional_field(config, "scale");
  const json* mode_json = optional_field(config, "mode");
  const json* distribution_json = optional_field(config, "distribution");
  double scale = scale_json ? read_number(*scale_json, field_path(path, "scale")) : defaults ? defaults->scale : 1.0;
  std::string mode = mode_json ? canonical_mode(read_string(*mode_json, field_path(path, "mode")))
                               : defaults ? defaults->mode : "fan_in";
  std::string distribution =
      distribution_json ? canonical_distribution(read_string(*distribution_json, field_path(path, "distribution")))
                        : defaults ? defaults->distribution : "normal";
  for (const VarianceScaling& v : variance_scaling_family()) {
    bool same_class = std::string(class_name) == v.class_name;
    bool matches = scale == v.scale && mode == v.mode && distribution == v.distribution;
    if (matches && (same_class || std::string(class_name) == "VarianceScaling")) return v.init;
    if (same_class)  // e.g. GlorotUniform with scale 2
      throw SpecError(path + ": " + v.class_name + " means scale " + float_text(static_cast<float>(v.scale)) +
                      ", mode " + v.mode + ", distribution " + v.distribution + "; got scale " +
                      float_text(static_cast<float>(scale)) + ", mode " + mode + ", distribution " + distribution);
  }
  std::string supported;
  for (const VarianceScaling& v : variance_scaling_family())
    supported += std::string(supported.empty() ? "" : "; ") + "(" + float_text(static_cast<float>(v.scale)) + ", " +
                 v.mode + ", " + v.distribution + ") = " + std::string(initializer_name(v.init));
  throw SpecError(path + ": VarianceScaling with scale " + float_text(static_cast<float>(scale)) + ", mode " + mode +
                  ", distribution " + distribution + " is not supported; supported (scale, mode, distribution): " +
                  supported);
}

// RandomNormal exists here only with TF.js's defaults.
Initializer parse_random_normal(const json& config, const std::string& path) {
  reject_unknown_keys(config, path, {"mean", "stddev", "seed"}, "RandomNormal's config");
  const json* mean = optional_field(config, "mean");
  const json* stddev = optional_field(config, "stddev");
  if (mean && read_number(*mean, field_path(path, "mean")) != 0.0)
    throw SpecError(field_path(path, "mean") + " must be 0 (the only RandomNormal supported), got " +
                    json_excerpt(*mean));
  if (stddev && static_cast<float>(read_number(*stddev, field_path(path, "stddev"))) != 0.05f)
    throw SpecError(field_path(path, "stddev") + " must be 0.05 (the only RandomNormal supported), got " +
                    json_excerpt(*stddev));
  return Initializer::random_normal;
}

// RandomUniform exists here only with TF.js's defaults [-0.05, 0.05).
Initializer parse_random_uniform(const json& config, const std::string& path) {
  reject_unknown_keys(config, path, {"minval", "maxval", "seed"}, "RandomUniform's config");
  for (auto [key, value] : {std::pair{"minval", -0.05f}, std::pair{"maxval", 0.05f}}) {
    const json* v = optional_field(config, key);
    if (v && static_cast<float>(read_number(*v, field_path(path, key))) != value)
      throw SpecError(field_path(path, key) + " must be " + float_text(value) +
                      " (the only RandomUniform supported), got " + json_excerpt(*v));
  }
  return Initializer::random_uniform;
}

// Orthogonal with gain 1 only.
Initializer parse_orthogonal(const json& config, const std::string& path) {
  reject_unknown_keys(config, path, {"gain", "seed"}, "Orthogonal's config");
  if (const json* gain = optional_field(config, "gain"); gain && read_number(*gain, field_path(path, "gain")) != 1.0)
    throw SpecError(field_path(path, "gain") + " must be 1 (the only Orthogonal supported), got " +
                    json_excerpt(*gain));
  return Initializer::orthogonal;
}

Initializer parse_initializer_object(const json& j, const std::string& path) {
  reject_unknown_keys(j, path, {"class_name", "config"}, "an initializer object");
  std::string class_name = read_string(required_field(j, path, "class_name"), field_path(path, "class_name"));
  static const json kEmpty = json::object();
  const json* config_field = optional_field(j, "config");
  const json& config = config_field && !config_field->is_null() ? *config_field : kEmpty;
  std::string config_path = field_path(path, "config");
  expect_object(config, config_path);

  if (class_name == "VarianceScaling")
    return parse_variance_scaling(config, config_path, "VarianceScaling", nullptr);
  for (const VarianceScaling& v : variance_scaling_family())
    if (class_name == v.class_name) return parse_variance_scaling(config, config_path, v.class_name, &v);
  if (class_name == "Zeros" || class_name == "Ones") {
    reject_unknown_keys(config, config_path, {}, class_name + "'s config");
    return class_name == "Zeros" ? Initializer::zeros : Initializer::ones;
  }
  if (class_name == "RandomNormal") return parse_random_normal(config, config_path);
  if (class_name == "RandomUniform") return parse_random_uniform(config, config_path);
  if (class_name == "Orthogonal") return parse_orthogonal(config, config_path);
  throw SpecError(field_path(path, "class_name") + ": unsupported initializer class '" + class_name +
                  "'; supported: VarianceScaling, GlorotUniform, GlorotNormal, HeUniform, HeNormal, LeCunNormal, "
                  "Zeros, Ones, RandomNormal, RandomUniform, Orthogonal");
}

}  // namespace

Initializer parse_initializer_json(const json& j, const std::string& path) {
  if (j.is_object()) return parse_initializer_object(j, path);
  if (!j.is_string())
    throw SpecError(path + " must be an initializer name or a {\"class_name\", \"config\"} object, got " +
                    json_kind(j));
  std::string name = j.get<std::string>();
  if (auto init = parse_initializer(name)) return *init;
  std::vector<std::string> known;
  for (Initializer i : all_initializers()) known.emplace_back(initializer_name(i));
  throw SpecError(path + ": unknown initializer '" + name + "'; known: " + join_names(known));
}

nlohmann::ordered_json initializer_to_tfjs_json(Initializer init) {
  using ordered = nlohmann::ordered_json;
  for (const VarianceScaling& v : variance_scaling_family())
    if (v.init == init)
      return ordered{{"class_name", "VarianceScaling"},
                     {"config", ordered{{"scale", static_cast<int>(v.scale)},
                                        {"mode", v.mode},
                                        {"distribution", v.distribution},
                                        {"seed", nullptr}}}};
  switch (init) {
    case Initializer::zeros: return ordered{{"class_name", "Zeros"}, {"config", ordered::object()}};
    case Initializer::ones: return ordered{{"class_name", "Ones"}, {"config", ordered::object()}};
    case Initializer::random_normal:
      return ordered{{"class_name", "RandomNormal"},
                     {"config", ordered{{"mean", 0}, {"stddev", 0.05}, {"seed", nullptr}}}};
    case Initializer::random_uniform:
      return ordered{{"class_name", "RandomUniform"},
                     {"config", ordered{{"minval", -0.05}, {"maxval", 0.05}, {"seed", nullptr}}}};
    case Initializer::orthogonal:
      return ordered{{"class_name", "Orthogonal"}, {"config", ordered{{"gain", 1}, {"seed", nullptr}}}};
    default: break;
  }
  throw SpecError("initializer " + std::to_string(static_cast<int>(init)) + " has no TF.js form");
}

}  // namespace gapscope

// Initializers in JSON: names, and TF.js's {"class_name", "config"} objects.
#include "core/spec/initializer_json.h"

#include <cmath>
#include <vector>

#include "core/base/json_fields.h"
#include "core/base/spec_error.h"

namespace gapscope {

using nlohmann::json;
using Kind = Initializer::Kind;

namespace {

// JavaScript writes 1, not 1.0.
template <class Json = json>
Json number_json(double v) {
  if (v == std::floor(v) && std::fabs(v) < 9.0e15) return static_cast<int64_t>(v);
  return v;
}


// The classes whose config is a seed at most: each fixes every other setting.
struct FixedClass {
  const char* class_name;
  Initializer init;
};

const std::vector<FixedClass>& fixed_classes() {
  static const std::vector<FixedClass> classes = {
      {"GlorotUniform", Initializer::glorot_uniform}, {"GlorotNormal", Initializer::glorot_normal},
      {"HeUniform", Initializer::he_uniform},         {"HeNormal", Initializer::he_normal},
      {"LeCunUniform", Initializer::lecun_uniform},   {"LeCunNormal", Initializer::lecun_normal},
      {"Zeros", Initializer::zeros},                  {"Ones", Initializer::ones},
  };
  return classes;
}

const char* const kClassNames =
    "Zeros, Ones, Constant, RandomUniform, RandomNormal, TruncatedNormal, VarianceScaling, GlorotUniform, "
    "GlorotNormal, HeUniform, HeNormal, LeCunUniform, LeCunNormal, Orthogonal, Identity";

// Reads the config's numbers and seed into `init`; absent or null keys keep their defaults.
struct ConfigReader {
  const json& config;
  const std::string& path;

  void number(const char* key, double& out) const {
    if (const json* v = optional_field(config, key); v && !v->is_null()) out = read_number(*v, field_path(path, key));
  }
  void seed(Initializer& init) const {
    const json* v = optional_field(config, "seed");
    if (!v || v->is_null()) return;
    double seed = read_number(*v, field_path(path, "seed"));
    if (seed != std::floor(seed) || std::fabs(seed) > 9.0e15)
      throw SpecError(field_path(path, "seed") + " must be an integer, got " + v->dump());
    init.seed = static_cast<int64_t>(seed);
  }
  void at_least(const char* key, double value, double low) const {
    if (value < low)
      throw SpecError(field_path(path, key) + " must be >= " + number_json(low).dump() + ", got " + number_json(value).dump());
  }
};

std::string variance_scaling_text(const Initializer& i) {
  return "scale " + number_json(i.scale).dump() + ", mode " + std::string(initializer_mode_name(i.mode)) + ", distribution " +
         std::string(initializer_distribution_name(i.distribution));
}

Initializer read_variance_scaling(const ConfigReader& r, Initializer init) {
  r.number("scale", init.scale);
  if (init.scale <= 0) throw SpecError(field_path(r.path, "scale") + " must be > 0, got " + number_json(init.scale).dump());
  if (const json* v = optional_field(r.config, "mode"); v && !v->is_null()) {
    std::string mode = read_string(*v, field_path(r.path, "mode"));
    auto parsed = parse_initializer_mode(mode);
    if (!parsed)
      throw SpecError(field_path(r.path, "mode") + ": unknown mode '" + mode + "'; known: fan_in, fan_out, fan_avg");
    init.mode = *parsed;
  }
  if (const json* v = optional_field(r.config, "distribution"); v && !v->is_null()) {
    std::string distribution = read_string(*v, field_path(r.path, "distribution"));
    auto parsed = parse_initializer_distribution(distribution);
    if (!parsed)
      throw SpecError(field_path(r.path, "distribution") + ": unknown distribution '" + distribution +
                      "'; known: normal, uniform, truncated_normal, untruncated_normal");
    init.distribution = *parsed;
  }
  return init;
}

Initializer parse_initializer_object(const json& j, const std::string& path) {
  reject_unknown_keys(j, path, {"class_name", "config", "module", "registered_name"}, "an initializer object");
  std::string class_name = read_string(required_field(j, path, "class_name"), field_path(path, "class_name"));
  static const json kEmpty = json::object();
  const json* config_field = optional_field(j, "config");
  const json& config = config_field && !config_field->is_null() ? *config_field : kEmpty;
  std::string config_path = field_path(path, "config");
  expect_object(config, config_path);
  const ConfigReader r{config, config_path};
  auto keys = [&](std::vector<std::string_view> own) {
    own.push_back("seed");
    own.push_back("dtype");  // Keras 3 may write it; weights are float32 either way
    reject_unknown_keys(config, config_path, own, class_name + "'s config");
  };

  Initializer init;
  if (class_name == "VarianceScaling") {
    keys({"scale", "mode", "distribution"});
    init = read_variance_scaling(r, Initializer{.kind = Kind::variance_scaling});
  } else if (class_name == "Constant") {
    keys({"value"});
    init.kind = Kind::constant;
    r.number("value", init.value);
  } else if (class_name == "RandomUniform") {
    keys({"minval", "maxval"});
    init = Initializer::random_uniform;
    r.number("minval", init.minval);
    r.number("maxval", init.maxval);
    if (init.minval > init.maxval)
      throw SpecError(config_path + ": minval " + number_json(init.minval).dump() + " is above maxval " +
                      number_json(init.maxval).dump());
  } else if (class_name == "RandomNormal" || class_name == "TruncatedNormal") {
    keys({"mean", "stddev"});
    init = class_name == "RandomNormal" ? Initializer::random_normal : Initializer::truncated_normal;
    r.number("mean", init.mean);
    r.number("stddev", init.stddev);
    r.at_least("stddev", init.stddev, 0);
  } else if (class_name == "Orthogonal" || class_name == "Identity") {
    keys({"gain"});
    init = class_name == "Orthogonal" ? Initializer::orthogonal : Initializer::identity;
    r.number("gain", init.gain);
  } else {
    const FixedClass* fixed = nullptr;
    for (const FixedClass& c : fixed_classes())
      if (class_name == c.class_name) fixed = &c;
    if (!fixed)
      throw SpecError(field_path(path, "class_name") + ": unknown initializer class '" + class_name +
                      "'; TF.js has: " + kClassNames);
    init = fixed->init;
    if (init.kind == Kind::variance_scaling) {  // its settings may be spelled out, if they are its own
      keys({"scale", "mode", "distribution"});
      Initializer written = read_variance_scaling(r, init);
      if (written != init)
        throw SpecError(config_path + ": " + class_name + " means " + variance_scaling_text(init) + "; got " +
                        variance_scaling_text(written));
    } else {
      keys({});
    }
  }
  r.seed(init);
  return init;
}

const char* tfjs_class_name(Kind kind) {
  switch (kind) {
    case Kind::zeros: return "Zeros";
    case Kind::ones: return "Ones";
    case Kind::constant: return "Constant";
    case Kind::random_uniform: return "RandomUniform";
    case Kind::random_normal: return "RandomNormal";
    case Kind::truncated_normal: return "TruncatedNormal";
    case Kind::variance_scaling: return "VarianceScaling";
    case Kind::orthogonal: return "Orthogonal";
    case Kind::identity: return "Identity";
  }
  return "?";
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
  for (const Initializer& i : all_initializers()) known.push_back(initializer_name(i));
  throw SpecError(path + ": unknown initializer '" + name + "'; known: " + join_names(known) +
                  ", or a {\"class_name\", \"config\"} object of " + kClassNames);
}

namespace {

// The TF.js object in either JSON flavour (the spec's json, the writer's ordered_json).
template <class Json>
Json tfjs_object(const Initializer& init) {
  auto number = [](double v) { return number_json<Json>(v); };
  Json config = Json::object();
  switch (init.kind) {
    case Kind::zeros:
    case Kind::ones: break;
    case Kind::constant: config["value"] = number(init.value); break;
    case Kind::random_uniform:
      config["minval"] = number(init.minval);
      config["maxval"] = number(init.maxval);
      break;
    case Kind::random_normal:
    case Kind::truncated_normal:
      config["mean"] = number(init.mean);
      config["stddev"] = number(init.stddev);
      break;
    case Kind::variance_scaling:
      config["scale"] = number(init.scale);
      config["mode"] = initializer_mode_name(init.mode);
      config["distribution"] = initializer_distribution_name(init.distribution);
      break;
    case Kind::orthogonal:
    case Kind::identity: config["gain"] = number(init.gain); break;
  }
  // TF.js writes a seed for the random ones only.
  if (init.kind != Kind::zeros && init.kind != Kind::ones && init.kind != Kind::constant && init.kind != Kind::identity)
    config["seed"] = init.seed ? Json(*init.seed) : Json(nullptr);
  Json object = Json::object();
  object["class_name"] = tfjs_class_name(init.kind);
  object["config"] = std::move(config);
  return object;
}

}  // namespace

json initializer_to_json(const Initializer& init) {
  if (auto name = named_initializer(init)) return *name;
  return tfjs_object<json>(init);
}

nlohmann::ordered_json initializer_to_tfjs_json(const Initializer& init) {
  return tfjs_object<nlohmann::ordered_json>(init);
}

}  // namespace gapscope

// The JSON model file, kept to re-check the paper's finding on file size and
// load time: {"format": "gapscope.model-json/1", "spec": <model spec>,
// "weights": [{"name", "shape", "values": [...]}]}. Values are written as the
// shortest decimal that reads back as the same float32 (at most 9 significant
// digits, max_digits10), so a save/load round trip is bit-exact. JSON has no
// NaN or infinity: saving refuses them, loading rejects values beyond float32.
#include <charconv>
#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>

#include "core/base/atomic_file.h"
#include "core/io/model_formats.h"
#include "core/base/checked_math.h"
#include "core/base/json_fields.h"
#include "core/base/json_text.h"
#include "core/base/number_text.h"

namespace gapscope {

using nlohmann::json;

namespace {

// Shortest text first; if reading it through a double (as JSON parsers do)
// would land on another float, fall back to 9 significant digits. "-0" would
// read back as the integer 0: negative zero is written "-0.0".
void append_float(std::string& out, float value) {
  if (value == 0.0f && std::signbit(value)) {
    out += "-0.0";
    return;
  }
  char text[32];
  char* end = std::to_chars(text, text + sizeof text, value).ptr;
  double read_back = 0.0;
  std::from_chars(text, end, read_back);
  if (static_cast<float>(read_back) != value)
    end = std::to_chars(text, text + sizeof text, value, std::chars_format::general, 9).ptr;
  out.append(text, end);
}

std::vector<float> read_values(const json& values, const std::string& path, const std::string& name) {
  std::vector<float> out(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    const json& v = values[i];
    if (!v.is_number())
      throw SpecError(element_path(path, i) + " of '" + name + "' must be a number, got " + json_kind(v));
    double d = v.get<double>();
    float f = static_cast<float>(d);
    if (!std::isfinite(f))
      throw SpecError(element_path(path, i) + " of '" + name + "' is " + v.dump() + ", not a finite float32");
    out[i] = f;
  }
  return out;
}

}  // namespace

void save_json_model(const std::string& path, const ModelFile& model) {
  ModelSpec spec;
  WeightSet weights = checked_weights_for_saving(model, path, spec);
  if (const auto non_finite = first_non_finite_weight(weights))
    throw ModelFileError("cannot save " + path + " as JSON: " + *non_finite +
                         "; JSON cannot hold it (the native and TF.js formats can)");

  std::string out = "{\"format\":" + json(kJsonModelFormat).dump() + ",\"spec\":" + model_spec_to_json(spec).dump() +
                    (model.vocabulary.empty() ? "" : ",\"vocabulary\":" + json(model.vocabulary).dump()) +
                    ",\"weights\":[";
  for (size_t i = 0; i < weights.size(); ++i) {
    const NamedArray& w = weights[i];
    out += (i ? ",{\"name\":" : "{\"name\":") + json(w.name).dump() + ",\"shape\":" + json(w.shape).dump() +
           ",\"values\":[";
    for (size_t k = 0; k < w.values.size(); ++k) {
      if (k) out += ',';
      append_float(out, w.values[k]);
    }
    out += "]}";
  }
  out += "]}\n";
  write_file_atomically(path, out);  // FileWriteError: not a bad model
}

ModelFile load_json_model(const std::string& path, const ModelFileLimits& limits) {
  std::string text;
  try {
    text = read_file_limited(path, limits.max_file_bytes);
  } catch (const std::runtime_error& e) {
    throw ModelFileError(e.what());
  }
  json root;
  try {
    root = parse_model_file_json(text, limits);
  } catch (const SpecError& e) {
    throw ModelFileError(path + ": " + e.what());
  }
  text.clear();
  text.shrink_to_fit();

  ModelFile model;
  try {
    expect_object(root, "model file");
    const json& format = required_field(root, "", "format", std::string("it must be \"") + kJsonModelFormat + "\"");
    if (!format.is_string() || format.get<std::string>() != kJsonModelFormat) {
      std::string got = format.is_string() ? format.get<std::string>() : json_excerpt(format);
      if (got.rfind("gapscope.model-json/", 0) == 0)
        throw SpecError("written by a newer gapscope: format " + got + ", this build reads " + kJsonModelFormat);
      throw SpecError(std::string("format must be \"") + kJsonModelFormat + "\", got " + json_excerpt(format));
    }
    reject_unknown_keys(root, "", {"format", "spec", "vocabulary", "weights"}, "a JSON model file");
    model.vocabulary = read_vocabulary_json(root, "");
    model.spec = parse_model_spec(required_field(root, "", "spec"), spec_limits_for_loading(limits));

    const json& table = expect_array(required_field(root, "", "weights"), "weights");
    if (static_cast<int64_t>(table.size()) > limits.max_weight_arrays)
      throw SpecError("weights lists " + with_thousands(static_cast<int64_t>(table.size())) +
                      " arrays, over the limit of " + with_thousands(limits.max_weight_arrays));
    std::vector<WeightEntry> entries;
    for (size_t i = 0; i < table.size(); ++i) {
      std::string item_path = element_path("weights", i);
      const json& item = expect_object(table[i], item_path);
      reject_unknown_keys(item, item_path, {"name", "shape", "values"}, "a weight entry");
      WeightEntry entry;
      entry.name = read_string(required_field(item, item_path, "name"), field_path(item_path, "name"));
      entry.shape = read_shape_json(required_field(item, item_path, "shape"), field_path(item_path, "shape"));
      entries.push_back(std::move(entry));
    }
    check_weight_entries(model.spec, entries, path);

    for (size_t i = 0; i < table.size(); ++i) {
      std::string values_path = field_path(element_path("weights", i), "values");
      const json& values = expect_array(required_field(table[i], element_path("weights", i), "values"), values_path);
      int64_t needed = saturating_element_count(entries[i].shape);
      if (static_cast<int64_t>(values.size()) != needed)
        throw SpecError(values_path + " of '" + entries[i].name + "' has " + with_thousands(values.size()) +
                        " values, its shape " + shape_to_string(entries[i].shape) + " needs " +
                        with_thousands(needed));
      model.weights.push_back({entries[i].name, entries[i].shape, read_values(values, values_path, entries[i].name)});
    }
  } catch (const SpecError& e) {
    throw ModelFileError(path + ": " + e.what());
  }
  model.weights = in_spec_order(model.spec, std::move(model.weights));
  return model;
}

}  // namespace gapscope

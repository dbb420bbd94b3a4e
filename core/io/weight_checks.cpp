// Checks shared by every model format: the weights must be exactly the spec's
// parameters, each with the spec's shape, so a file can never build a model
// whose weights do not fit it.
#include <map>

#include <nlohmann/json.hpp>

#include "core/io/model_formats.h"
#include "core/base/checked_math.h"
#include "core/base/json_fields.h"
#include "core/base/json_text.h"

namespace gapscope {

void check_weight_entries(const ModelSpec& spec, const std::vector<WeightEntry>& entries, const std::string& where) {
  std::map<std::string, Shape> expected;
  std::vector<std::string> expected_names;
  for (const ParameterShape& p : parameter_shapes(spec)) {
    expected.emplace(p.name, p.shape);
    expected_names.push_back(p.name);
  }
  std::map<std::string, bool> seen;
  for (const WeightEntry& entry : entries) {
    auto it = expected.find(entry.name);
    if (it == expected.end())
      throw ModelFileError(where + ": weight '" + entry.name + "' matches no parameter of the model; expected: " +
                           join_names(expected_names));
    if (seen[entry.name]) throw ModelFileError(where + ": weight '" + entry.name + "' is listed twice");
    seen[entry.name] = true;
    if (entry.shape != it->second)
      throw ModelFileError(where + ": weight '" + entry.name + "' has shape " + shape_to_string(entry.shape) +
                           ", the model needs " + shape_to_string(it->second));
  }
  for (const std::string& name : expected_names)
    if (!seen[name])
      throw ModelFileError(where + ": weight '" + name + "' (shape " + shape_to_string(expected[name]) +
                           ") is missing");
}

WeightSet in_spec_order(const ModelSpec& spec, WeightSet weights) {
  std::map<std::string, NamedArray*> by_name;
  for (NamedArray& w : weights) by_name[w.name] = &w;
  WeightSet ordered;
  for (const ParameterShape& p : parameter_shapes(spec)) ordered.push_back(std::move(*by_name.at(p.name)));
  return ordered;
}

WeightSet checked_weights_for_saving(const ModelFile& model, const std::string& path, ModelSpec& validated_spec) {
  validated_spec = model.spec;
  try {
    validate_model_spec(validated_spec, SpecLimits{.max_layers = 1'000'000,
                                                   .max_units = kSaturated,
                                                   .max_parameters = kSaturated,
                                                   .memory_bytes = kSaturated});
  } catch (const SpecError& e) {
    throw ModelFileError("cannot save " + path + ": invalid spec: " + e.what());
  }
  std::vector<WeightEntry> entries;
  for (const NamedArray& w : model.weights) {
    entries.push_back({w.name, w.shape});
    int64_t needed = saturating_element_count(w.shape);
    if (static_cast<int64_t>(w.values.size()) != needed)
      throw ModelFileError("cannot save " + path + ": weight '" + w.name + "' has " +
                           std::to_string(w.values.size()) + " values, its shape " + shape_to_string(w.shape) +
                           " needs " + std::to_string(needed));
  }
  check_weight_entries(validated_spec, entries, "cannot save " + path);
  return in_spec_order(validated_spec, model.weights);
}

SpecLimits spec_limits_for_loading(const ModelFileLimits& limits) {
  SpecLimits spec_limits;
  spec_limits.max_layers = limits.max_weight_arrays;
  spec_limits.max_units = kSaturated;
  spec_limits.max_parameters = limits.max_weight_elements;
  spec_limits.memory_bytes = kSaturated;
  return spec_limits;
}

nlohmann::json parse_model_file_json(std::string_view text, const ModelFileLimits& limits) {
  const int64_t layers = spec_limits_for_loading(limits).max_layers;
  const int64_t arrays = limits.max_weight_arrays;
  // "config": older Keras topologies give the layer list there.
  return parse_json_text(
      text,
      {{"layers", layers}, {"config", layers}, {"weights", arrays}, {"weightsManifest", arrays}, {"paths", arrays}});
}

Shape read_shape_json(const nlohmann::json& j, const std::string& path) {
  expect_array(j, path);
  Shape shape;
  for (size_t i = 0; i < j.size(); ++i) {
    int64_t dim = read_integer(j[i], element_path(path, i));
    if (dim < 0) throw SpecError(element_path(path, i) + " must be >= 0, got " + std::to_string(dim));
    shape.push_back(dim);
  }
  return shape;
}

}  // namespace gapscope

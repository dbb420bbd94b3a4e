// The layer registry: one entry per type, each complete (unique names and
// TF.js classes, fields that parse, a new layer from the builder's initial
// values that validates and round-trips through the spec and TF.js forms),
// the harness knows the same types, and no code outside core/layers switches
// on a layer type's name.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "core/io/model_file.h"
#include "core/nn/initial_weights.h"
#include "core/nn/model.h"
#include "core/ops/cpu/cpu_backend.h"
#include "core/spec/layer_type.h"
#include "tests/core/node_support.h"
#include "tests/core/source_lines.h"

namespace gapscope {
namespace {

namespace fs = std::filesystem;

// The smallest spec around one layer of `type`, from the builder's initial
// values: an input shape the type accepts.
nlohmann::json spec_with(const LayerType& type) {
  nlohmann::json layer = {{"type", std::string(type.name())}};
  for (const LayerField& f : type.fields())
    if (!f.initial.is_null()) layer[f.key] = f.initial;
  nlohmann::json input = nlohmann::json::array({12, 12, 3});
  if (type.name() == "embedding") input = {6};
  if (type.name() == "simple_rnn" || type.name() == "lstm" || type.name() == "gru") input = {6, 4};
  if (type.name() == "reshape") layer["target_shape"] = {3, 12, 12};
  nlohmann::json layers = nlohmann::json::array();
  layers.push_back(layer);
  layers.push_back({{"type", "flatten"}});
  layers.push_back({{"type", "dense"}, {"units", 3}, {"activation", "softmax"}});
  nlohmann::json spec = {{"format", "gapscope.model/1"}, {"layers", layers}};
  if (type.is_merge()) {  // the model input, twice
    layers[0]["inputs"] = {"input", "input"};
    spec = {{"format", "gapscope.model/2"}, {"layers", layers}};
  }
  spec["input"]["shape"] = input;
  return spec;
}

}  // namespace

TEST_CASE("every layer type is one complete registry entry", "[layers][registry]") {
  std::set<std::string> names, classes;
  for (const LayerType* type : layer_types()) {
    INFO(type->name());
    CHECK(names.insert(std::string(type->name())).second);
    CHECK(classes.insert(std::string(type->tfjs_class())).second);
    CHECK(find_layer_type(type->name()) == type);
    CHECK(find_tfjs_layer_class(type->tfjs_class()) == type);
    CHECK_FALSE(type->description().empty());
    std::set<std::string> keys;
    for (const LayerField& f : type->fields()) {
      CHECK(keys.insert(f.key).second);
      CHECK((f.default_value.is_null() || f.required_hint.empty()));  // required fields have no default
      if (f.kind == LayerFieldKind::fixed) CHECK_FALSE(f.default_value.is_null());
    }
  }
  CHECK(layer_types().size() == layer_type_names().size());
  CHECK(find_layer_type("conv3d") == nullptr);
  CHECK(find_tfjs_layer_class("Conv3D") == nullptr);
}

TEST_CASE("a new layer of every type validates, builds and round-trips through the spec and TF.js", "[layers][registry]") {
  const fs::path dir = fs::temp_directory_path() / ("gapscope-registry-" + std::to_string(getpid()));
  fs::create_directories(dir);
  for (const LayerType* type : layer_types()) {
    INFO(type->name());
    const nlohmann::json json = spec_with(*type);
    const ModelSpec spec = parse_model_spec(json);
    CHECK(spec.layers[0].type == type->name());
    CHECK(model_spec_to_json(parse_model_spec(model_spec_to_json(spec))) == model_spec_to_json(spec));
    CpuBackend ops(1);
    Model model(spec, ops, 7);
    CHECK(model.spec().layers.size() == 3);
    ModelFile file{spec, initial_weights(spec, 7)};
    const fs::path path = dir / (std::string(type->name()) + "/model.json");
    fs::create_directories(path.parent_path());
    save_model(path.string(), file, ModelFormat::tfjs_layers);
    const ModelFile back = load_model(path.string());
    CHECK(back.spec.layers[0].type == type->name());
    CHECK(infer_output_shapes(back.spec) == infer_output_shapes(spec));
    CHECK(count_parameters(back.spec) == count_parameters(spec));
  }
  fs::remove_all(dir);
}

TEST_CASE("the web harness knows exactly the registry's layer types", "[layers][registry][harness]") {
  const nlohmann::json js = test::run_node_on_harness(R"(
    console.log(JSON.stringify(require(process.argv[2] + '/model_spec.js').LAYER_TYPES));
  )", nullptr);
  CHECK(js.get<std::vector<std::string>>() == layer_type_names());
}

TEST_CASE("no code outside core/layers compares a layer's type with a type name", "[layers][registry][architecture]") {
  std::string names;
  for (const std::string& n : layer_type_names()) names += (names.empty() ? "" : "|") + n;
  const std::regex branch("type\\s*[!=]=\\s*\"(" + names + ")\"");
  const int scanned = test::check_no_source_line_matches(branch, [](const fs::path& file) {
    return file.string().find("/core/layers/") != std::string::npos;
  });
  CHECK(scanned > 100);
}

}  // namespace gapscope

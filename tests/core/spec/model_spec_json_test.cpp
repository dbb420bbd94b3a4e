// Spec JSON round trips exactly; spec files name their path in errors.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/spec/model_spec.h"
#include "core/spec/presets.h"
#include "tests/core/spec/spec_test_support.h"

using namespace gapscope;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

// Every field away from its default, every layer type, awkward floats.
ModelSpec busy_spec() {
  ModelSpec spec = paper_dnn(2, 7);
  spec.name = "busy.spec-1";
  spec.layers[0].kernel_initializer = Initializer::lecun_normal;
  spec.layers[0].bias_initializer = Initializer::ones;
  spec.layers[1].use_bias = false;
  spec.layers[1].activation = Activation::hard_sigmoid;
  LayerSpec dropout;
  dropout.type = "dropout";
  dropout.rate = 0.3f;
  dropout.name = "drop";
  LayerSpec act;
  act.type = "activation";
  act.activation = Activation::gelu;
  spec.layers.insert(spec.layers.begin() + 1, {dropout, act});
  spec.layers[2].name = "activation_1";
  spec.loss = Loss::mean_squared_error;
  spec.optimizer = default_optimizer_config(OptimizerKind::adamax);
  spec.optimizer.learning_rate = 1.0f / 3.0f;
  spec.optimizer.beta1 = 0.85f;
  spec.optimizer.epsilon = 1e-8f;
  spec.optimizer.decay = 0.01f;
  validate_model_spec(spec);
  return spec;
}

}  // namespace

TEST_CASE("spec JSON round-trips exactly", "[spec][json]") {
  for (OptimizerKind kind : all_optimizers()) {
    ModelSpec spec = busy_spec();
    spec.optimizer = default_optimizer_config(kind);
    spec.optimizer.learning_rate = 0.1f;
    nlohmann::json first = model_spec_to_json(spec);
    ModelSpec again = parse_model_spec(first);
    nlohmann::json second = model_spec_to_json(again);
    CHECK(first == second);
    CHECK(again.optimizer.learning_rate == 0.1f);
    CHECK(parse_model_spec_text(first.dump(2)).layers.size() == spec.layers.size());
  }
  ModelSpec spec = busy_spec();
  ModelSpec again = parse_model_spec(model_spec_to_json(spec));
  CHECK(again.name == spec.name);
  CHECK(again.layers[1].rate == 0.3f);
  CHECK(again.layers[1].name == "drop");
  CHECK(again.layers[2].activation == Activation::gelu);
  CHECK(again.layers[3].use_bias == false);
  CHECK(again.layers[0].kernel_initializer == Initializer::lecun_normal);
  CHECK(again.optimizer.learning_rate == 1.0f / 3.0f);
  CHECK(again.optimizer.epsilon == 1e-8f);
  CHECK(again.loss == Loss::mean_squared_error);
}

TEST_CASE("spec JSON writes floats short and every field explicitly", "[spec][json]") {
  nlohmann::json j = model_spec_to_json(paper_dnn(1, 8));
  CHECK(j["format"] == "gapscope.model/1");
  CHECK(j["optimizer"].dump() == R"({"learning_rate":0.1,"type":"sgd"})");
  CHECK(j["layers"][0].dump() ==
        R"({"activation":"relu","bias_initializer":"zeros","kernel_initializer":"glorot_uniform","name":"dense_1",)"
        R"("type":"dense","units":8,"use_bias":true})");
}

TEST_CASE("spec files: errors name the path - big files are refused", "[spec][files]") {
  std::string dir = std::filesystem::temp_directory_path() / ("gapscope-spec-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string path = dir + "/spec.json";
  {
    std::ofstream(path) << model_spec_to_json(paper_dnn(2, 16)).dump(2);
  }
  CHECK(load_model_spec_file(path).name == "paper-dnn-2x16");

  nlohmann::json bad = gapscope::test::base_spec_json();
  bad["layers"][2]["units"] = 0;
  {
    std::ofstream(path) << bad.dump();
  }
  CHECK_THROWS_WITH(load_model_spec_file(path), path + ": layers[2].units must be >= 1, got 0");

  CHECK_THROWS_WITH(load_model_spec_file(dir + "/missing.json"),
                    StartsWith("cannot read " + dir + "/missing.json: No such file or directory"));
  CHECK_THROWS_AS(load_model_spec_file(dir), SpecError);

  std::filesystem::resize_file(path, 65LL << 20);  // sparse: costs no disk
  CHECK_THROWS_WITH(load_model_spec_file(path), Contains("over the limit of 67,108,864 bytes (64 MiB)"));
  std::filesystem::remove_all(dir);
}

// TF.js shards are named after their model.json, so two models saved in one
// folder keep their own weights (issue 17: b.json's save used to overwrite
// a.json's group1-shard1of1.bin).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "core/io/tfjs_shard_paths.h"
#include "core/nn/initial_weights.h"
#include "tests/core/io/model_file_test_support.h"

using namespace gapscope;
using namespace gapscope::test;

TEST_CASE("TF.js shard names follow their model.json", "[io][tfjs][shards]") {
  CHECK(tfjs_shard_name("d/a.json", 0, 1) == "a-group1-shard1of1.bin");
  CHECK(tfjs_shard_name("model.json", 1, 2) == "model-group1-shard2of2.bin");
  CHECK(tfjs_shard_name("/x/mnist_v2.1.json", 0, 3) == "mnist_v2.1-group1-shard1of3.bin");
  // Other names keep their plain characters and gain a hash of the whole name,
  // so names that differ stay apart in their shards.
  const std::string spaced = tfjs_shard_name("my model.json", 0, 1);
  CHECK_THAT(spaced, Catch::Matches("my_model-[0-9a-f]{8}-group1-shard1of1\\.bin"));
  CHECK(spaced != tfjs_shard_name("my_model.json", 0, 1));
  CHECK_THAT(tfjs_shard_name("a", 0, 1), Catch::Matches("a-[0-9a-f]{8}-group1-shard1of1\\.bin"));
  CHECK(tfjs_shard_name("a", 0, 1) != tfjs_shard_name("a.json", 0, 1));
  CHECK_THAT(tfjs_shard_name(".json", 0, 1), Catch::Matches("_json-[0-9a-f]{8}-group1-shard1of1\\.bin"));
  CHECK_THAT(tfjs_shard_name(".hidden.json", 0, 1), Catch::Matches("_hidden-[0-9a-f]{8}-group1-shard1of1\\.bin"));
}

TEST_CASE("two TF.js models saved in one folder keep their own weights", "[io][tfjs][shards]") {
  ScratchDir dir;
  ModelFile a{paper_dnn(1, 8), {}}, b{paper_dnn(1, 8), {}};
  a.weights = initial_weights(a.spec, 1);
  b.weights = initial_weights(b.spec, 2);
  save_model(dir.file("a.json"), a, ModelFormat::tfjs_layers);
  save_model(dir.file("b.json"), b, ModelFormat::tfjs_layers);
  CHECK(same_bits(load_model(dir.file("a.json")).weights, a.weights));
  CHECK(same_bits(load_model(dir.file("b.json")).weights, b.weights));
  const auto manifest = nlohmann::json::parse(read_bytes(dir.file("b.json")))["weightsManifest"];
  CHECK(manifest[0]["paths"] == nlohmann::json::array({"b-group1-shard1of1.bin"}));
}

// The TF.js layers format: what we write is what TF.js 4.22 writes, what TF.js
// writes loads here (a committed fixture saved by TF.js 4.22 itself), weights
// match by name, and hostile manifests are refused.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "core/io/model_file.h"
#include "tests/core/io/model_file_test_support.h"

#ifndef GAPSCOPE_TEST_DATA_DIR
#define GAPSCOPE_TEST_DATA_DIR "tests/data"
#endif

using namespace gapscope;
using namespace gapscope::test;
using nlohmann::json;
using Catch::Matchers::Contains;
using Catch::Matchers::Equals;
using Catch::Matchers::StartsWith;

namespace {

std::string fixture_dir() { return std::string(GAPSCOPE_TEST_DATA_DIR) + "/tfjs_dense_model"; }

// The fixture's model.json copied into `dir` with its shard, after `edit`.
template <typename Edit>
std::string edited_fixture(const ScratchDir& dir, Edit edit) {
  json model_json = json::parse(read_bytes(fixture_dir() + "/model.json"));
  edit(model_json);
  write_bytes(dir.file("model.weights.bin"), read_bytes(fixture_dir() + "/model.weights.bin"));
  write_bytes(dir.file("model.json"), model_json.dump());
  return dir.file("model.json");
}

}  // namespace

TEST_CASE("TF.js files round-trip bit-exactly", "[io][tfjs]") {
  ScratchDir dir;
  ModelFile model = small_model();
  std::string path = dir.file("model.json");
  save_model(path, model, ModelFormat::tfjs_layers);
  CHECK(detect_model_format(path) == ModelFormat::tfjs_layers);
  ModelFile loaded = load_model(path);
  CHECK(same_bits(loaded.weights, model.weights));
  CHECK(model_spec_to_json(loaded.spec) == model_spec_to_json(model.spec));
  CHECK(model_file_bytes(path, ModelFormat::tfjs_layers) ==
        static_cast<int64_t>(read_bytes(path).size() + read_bytes(dir.file("model-group1-shard1of1.bin")).size()));
}

TEST_CASE("TF.js optimizers and losses survive the trip through trainingConfig", "[io][tfjs]") {
  ScratchDir dir;
  std::string path = dir.file("model.json");
  for (OptimizerKind kind : all_optimizers()) {
    ModelFile model = small_model();
    model.spec.optimizer = default_optimizer_config(kind);
    model.spec.optimizer.learning_rate = 0.125f;
    model.spec.optimizer.momentum = 0.5f;
    model.spec.optimizer.rho = 0.75f;
    model.spec.optimizer.nesterov = true;
    model.spec.optimizer.centered = true;
    model.spec.loss = Loss::sparse_categorical_crossentropy;
    save_model(path, model, ModelFormat::tfjs_layers);
    ModelFile loaded = load_model(path);
    INFO(optimizer_name(kind));
    CHECK(model_spec_to_json(loaded.spec) == model_spec_to_json(model.spec));
  }
}

TEST_CASE("model.json is written the way TF.js 4.22 writes it", "[io][tfjs]") {
  ScratchDir dir;
  ModelFile model;
  model.spec = paper_dnn(1, 128);
  model.weights = weights_for(model.spec);
  std::string path = dir.file("model.json");
  save_model(path, model, ModelFormat::tfjs_layers);
  std::string text = read_bytes(path);
  CHECK(text.rfind("{\"modelTopology\":{\"class_name\":\"Sequential\",\"config\":{\"name\":\"paper-dnn-1x128\","
                   "\"layers\":[{\"class_name\":\"Dense\",\"config\":{\"units\":128,\"activation\":\"relu\","
                   "\"use_bias\":true,\"kernel_initializer\":{\"class_name\":\"VarianceScaling\",\"config\":"
                   "{\"scale\":1,\"mode\":\"fan_avg\",\"distribution\":\"uniform\",\"seed\":null}},"
                   "\"bias_initializer\":{\"class_name\":\"Zeros\",\"config\":{}},\"kernel_regularizer\":null,"
                   "\"bias_regularizer\":null,\"activity_regularizer\":null,\"kernel_constraint\":null,"
                   "\"bias_constraint\":null,\"name\":\"dense_1\",\"trainable\":true,\"batch_input_shape\":"
                   "[null,784],\"dtype\":\"float32\"}},",
                   0) == 0);
  json j = json::parse(text);
  CHECK(j["format"] == "layers-model");
  CHECK(j["generatedBy"].get<std::string>().rfind("gapscope ", 0) == 0);
  CHECK(j["convertedBy"].is_null());
  CHECK(j["modelTopology"]["keras_version"] == "tfjs-layers 4.22.0");
  CHECK(j["modelTopology"]["backend"] == "tensor_flow.js");
  json second = j["modelTopology"]["config"]["layers"][1]["config"];
  CHECK_FALSE(second.contains("batch_input_shape"));
  CHECK_FALSE(second.contains("dtype"));
  CHECK(j["trainingConfig"].dump() ==
        R"({"loss":"categorical_crossentropy","metrics":["accuracy"],)"
        R"("optimizer_config":{"class_name":"SGD","config":{"learningRate":0.1}}})");
  CHECK(nlohmann::ordered_json::parse(text)["weightsManifest"].dump() ==
        R"([{"paths":["model-group1-shard1of1.bin"],"weights":[)"
        R"({"name":"dense_1/kernel","shape":[784,128],"dtype":"float32"},)"
        R"({"name":"dense_1/bias","shape":[128],"dtype":"float32"},)"
        R"({"name":"dense_2/kernel","shape":[128,10],"dtype":"float32"},)"
        R"({"name":"dense_2/bias","shape":[10],"dtype":"float32"}]}])");
  CHECK(read_bytes(dir.file("model-group1-shard1of1.bin")).size() == 4 * static_cast<size_t>(count_parameters(model.spec)));
}

TEST_CASE("TF.js weights are split into 4 MiB shards", "[io][tfjs]") {
  ScratchDir dir;
  ModelFile model;
  model.spec = paper_dnn(1, 1400);  // 1,113,010 floats: 4.45 MB
  model.weights = weights_for(model.spec);
  std::string path = dir.file("model.json");
  save_model(path, model, ModelFormat::tfjs_layers);
  json j = json::parse(read_bytes(path));
  CHECK(j["weightsManifest"][0]["paths"] == json::array({"model-group1-shard1of2.bin", "model-group1-shard2of2.bin"}));
  CHECK(read_bytes(dir.file("model-group1-shard1of2.bin")).size() == 4u << 20);
  CHECK(read_bytes(dir.file("model-group1-shard2of2.bin")).size() == 1'113'010u * 4 - (4u << 20));
  CHECK(same_bits(load_model(path).weights, model.weights));
  CHECK(model_file_bytes(path, ModelFormat::tfjs_layers) ==
        static_cast<int64_t>(read_bytes(path).size()) + 1'113'010 * 4);
}

TEST_CASE("a model.json written by TF.js 4.22 imports", "[io][tfjs][fixture]") {
  std::string path = fixture_dir() + "/model.json";
  REQUIRE(detect_model_format(path) == ModelFormat::tfjs_layers);
  ModelFile model = load_model(path);
  const ModelSpec& spec = model.spec;
  CHECK(spec.name == "sequential_1");
  CHECK(spec.input_shape == Shape{4});
  REQUIRE(spec.layers.size() == 3);
  CHECK(spec.layers[0].name == "dense_Dense1");
  CHECK(spec.layers[0].units == 5);
  CHECK(spec.layers[0].activation == Activation::relu);
  CHECK(spec.layers[0].kernel_initializer == Initializer::glorot_normal);  // TF.js's Dense default
  CHECK(spec.layers[1].type == "dropout");
  CHECK(spec.layers[1].name == "dropout_Dropout1");
  CHECK(spec.layers[1].rate == 0.25f);
  CHECK(spec.layers[2].activation == Activation::softmax);
  // No trainingConfig in the file (TF.js saves it only with includeOptimizer).
  CHECK(spec.loss == Loss::categorical_crossentropy);
  CHECK(spec.optimizer.kind == OptimizerKind::sgd);
  CHECK(spec.optimizer.learning_rate == default_optimizer_config(OptimizerKind::sgd).learning_rate);

  // make_fixture.js: value k of each array is (k - offset) / scale.
  struct Expected {
    const char* name;
    Shape shape;
    float offset, scale;
  };
  const Expected expected[] = {{"dense_Dense1/kernel", {4, 5}, 10, 16},
                               {"dense_Dense1/bias", {5}, 0, 8},
                               {"dense_Dense2/kernel", {5, 3}, 7, 32},
                               {"dense_Dense2/bias", {3}, 3, 4}};
  REQUIRE(model.weights.size() == 4);
  for (size_t i = 0; i < 4; ++i) {
    CHECK(model.weights[i].name == expected[i].name);
    CHECK(model.weights[i].shape == expected[i].shape);
    for (size_t k = 0; k < model.weights[i].values.size(); ++k)
      CHECK(model.weights[i].values[k] == (static_cast<float>(k) - expected[i].offset) / expected[i].scale);
  }

  // The same forward pass TF.js computed when writing the fixture.
  const float x[4] = {1, -2, 0.5f, 3};
  float hidden[5], logits[3], total = 0;
  for (int u = 0; u < 5; ++u) {
    hidden[u] = model.weights[1].values[u];
    for (int i = 0; i < 4; ++i) hidden[u] += x[i] * model.weights[0].values[i * 5 + u];
    hidden[u] = std::max(hidden[u], 0.0f);
  }
  for (int u = 0; u < 3; ++u) {
    logits[u] = model.weights[3].values[u];
    for (int i = 0; i < 5; ++i) logits[u] += hidden[i] * model.weights[2].values[i * 3 + u];
    total += std::exp(logits[u]);
  }
  const double tfjs[3] = {0.1901932805776596, 0.3087141811847687, 0.5010925531387329};
  for (int u = 0; u < 3; ++u) CHECK(std::exp(logits[u]) / total == Approx(tfjs[u]).epsilon(1e-5));

  CHECK(model_file_bytes(path, ModelFormat::tfjs_layers) ==
        static_cast<int64_t>(read_bytes(path).size() + read_bytes(fixture_dir() + "/model.weights.bin").size()));
}

TEST_CASE("TF.js weights match by name, not position", "[io][tfjs]") {
  ScratchDir dir;
  std::string path = edited_fixture(dir, [](json& j) {
    json& weights = j["weightsManifest"][0]["weights"];
    std::swap(weights[0], weights[2]);  // manifest order now differs from the topology
  });
  // Swap the bytes too, so the file is consistent: kernel2 (15 floats) first.
  std::string bin = read_bytes(fixture_dir() + "/model.weights.bin");
  std::string reordered = bin.substr(100, 60) + bin.substr(80, 20) + bin.substr(0, 80) + bin.substr(160);
  write_bytes(dir.file("model.weights.bin"), reordered);
  ModelFile model = load_model(path);
  CHECK(model.weights[0].name == "dense_Dense1/kernel");
  CHECK(model.weights[0].values[0] == -10.0f / 16);
  CHECK(model.weights[2].name == "dense_Dense2/kernel");
  CHECK(model.weights[2].values[0] == -7.0f / 32);
  CHECK(model.weights[1].values[1] == 1.0f / 8);
}

TEST_CASE("TF.js optimizer weights are skipped - trainingConfig is read", "[io][tfjs]") {
  ScratchDir dir;
  std::string path = edited_fixture(dir, [](json& j) {
    j["weightsManifest"][0]["weights"].push_back(
        {{"name", "iter"}, {"shape", json::array()}, {"dtype", "int32"}, {"group", "optimizer"}});
    j["trainingConfig"] = json::parse(
        R"({"loss":"categorical_crossentropy","metrics":["accuracy"],"optimizer_config":{"class_name":"RMSProp",)"
        R"("config":{"learningRate":0.01,"decay":0.9,"momentum":0,"epsilon":1e-7,"centered":false}}})");
  });
  write_bytes(dir.file("model.weights.bin"), read_bytes(fixture_dir() + "/model.weights.bin") + std::string(4, '\0'));
  ModelFile model = load_model(path);
  CHECK(model.weights.size() == 4);
  CHECK(model.spec.optimizer.kind == OptimizerKind::rmsprop);
  CHECK(model.spec.optimizer.learning_rate == 0.01f);
  CHECK(model.spec.optimizer.rho == 0.9f);
}

TEST_CASE("older Keras topologies: a bare layer list with an InputLayer", "[io][tfjs]") {
  ScratchDir dir;
  std::string path = edited_fixture(dir, [](json& j) {
    json layers = j["modelTopology"]["config"]["layers"];
    layers[0]["config"].erase("batch_input_shape");
    layers.insert(layers.begin(), json{{"class_name", "InputLayer"},
                                       {"config", {{"batchInputShape", {nullptr, 4}},
                                                   {"dtype", "float32"},
                                                   {"sparse", false},
                                                   {"name", "input1"}}}});
    j["modelTopology"]["config"] = layers;
  });
  ModelFile model = load_model(path);
  CHECK(model.spec.input_shape == Shape{4});
  CHECK(model.spec.layers.size() == 3);
  CHECK(model.spec.name == "model");
}

TEST_CASE("unsupported TF.js models are refused by name", "[io][tfjs][errors]") {
  ScratchDir dir;
  std::string path = edited_fixture(dir, [](json& j) { j["modelTopology"]["config"]["layers"][0]["class_name"] = "Conv3D"; });
  CHECK_THAT(load_error(path), StartsWith("unsupported layer class 'Conv3D' (layers[0]) in " + path));

  path = edited_fixture(dir, [](json& j) { j["modelTopology"]["class_name"] = "Graph"; });
  CHECK_THAT(load_error(path), Equals(path + ": modelTopology.class_name: unknown model class 'Graph'; known: "
                                             "Sequential, Model, Functional"));

  path = edited_fixture(dir, [](json& j) { j["weightsManifest"][0]["weights"][1]["dtype"] = "int32"; });
  CHECK_THAT(load_error(path), Equals(path + ": weightsManifest[0].weights[1].dtype: weight 'dense_Dense1/bias' has "
                                             "dtype int32; only float32 weights are supported"));


  path = edited_fixture(dir, [](json& j) { j["modelTopology"]["config"]["layers"][0]["config"].erase("batch_input_shape"); });
  CHECK_THAT(load_error(path), Contains("the first layer has no batch_input_shape"));

  path = edited_fixture(dir, [](json& j) { j["format"] = "graph-model"; });
  CHECK_THAT(load_error(path), Contains("only layers models can be imported"));
}

TEST_CASE("TF.js manifests must match the topology and the shards", "[io][tfjs][errors]") {
  ScratchDir dir;
  std::string path = edited_fixture(dir, [](json& j) { j["weightsManifest"][0]["weights"].erase(1); });
  CHECK_THAT(load_error(path), Contains("lists weights of 152 bytes but its shards hold 172 bytes"));

  path = edited_fixture(dir, [](json& j) { j["weightsManifest"][0]["weights"][0]["name"] = "dense_Dense9/kernel"; });
  CHECK_THAT(load_error(path), StartsWith(path + ": weight 'dense_Dense9/kernel' matches no parameter of the model"));

  path = edited_fixture(dir, [](json& j) { j["weightsManifest"][0]["weights"][0]["shape"] = {5, 4}; });
  CHECK_THAT(load_error(path), Equals(path + ": weight 'dense_Dense1/kernel' has shape [5, 4], the model needs [4, 5]"));

  path = edited_fixture(dir, [](json&) {});
  write_bytes(dir.file("model.weights.bin"), read_bytes(fixture_dir() + "/model.weights.bin").substr(0, 100));
  CHECK_THAT(load_error(path), Contains("its shards hold 100 bytes"));

  path = edited_fixture(dir, [](json& j) { j["weightsManifest"][0]["paths"][0] = "missing.bin"; });
  CHECK_THAT(load_error(path), Contains("cannot read " + dir.file("missing.bin") + ": No such file or directory"));
}

TEST_CASE("TF.js shard paths may not leave the model's directory", "[io][tfjs][errors]") {
  ScratchDir dir;
  for (const char* shard : {"../model.weights.bin", "sub/../../x.bin"}) {
    std::string path = edited_fixture(dir, [&](json& j) { j["weightsManifest"][0]["paths"][0] = shard; });
    CHECK_THAT(load_error(path), Equals(path + ": weightsManifest[0].paths[0] '" + shard +
                                        "' leaves the model's directory"));
  }
  std::string path = edited_fixture(dir, [](json& j) { j["weightsManifest"][0]["paths"][0] = "/etc/passwd"; });
  CHECK_THAT(load_error(path), Contains("'/etc/passwd' must be a plain relative path beside model.json"));
}

TEST_CASE("a NUL in a TF.js shard path is refused, naming the manifest entry", "[io][tfjs][errors]") {
  ScratchDir dir;
  // The OS would stop at the NUL and open model.weights.bin, another file than the one named.
  std::string path = edited_fixture(dir, [](json& j) {
    j["weightsManifest"][0]["paths"][0] = std::string("model.weights.bin\0.evil", 23);
  });
  CHECK_THAT(load_error(path), Equals(path + ": weightsManifest[0].paths[0] \"model.weights.bin\\u0000.evil\" holds a "
                                             "NUL character"));
}

TEST_CASE("a TF.js shard that is a symbolic link must stay inside the model's folder", "[io][tfjs][errors]") {
  ScratchDir outside, dir;
  write_bytes(outside.file("secret.bin"), read_bytes(fixture_dir() + "/model.weights.bin"));
  std::string path = edited_fixture(dir, [](json& j) { j["weightsManifest"][0]["paths"][0] = "link.bin"; });
  std::filesystem::create_symlink(outside.file("secret.bin"), dir.file("link.bin"));
  CHECK_THAT(load_error(path), Equals(path + ": weightsManifest[0].paths[0] 'link.bin' leaves the model's directory: "
                                             "it leads (through a symbolic link) to " + outside.file("secret.bin") +
                                             ", outside " + dir.path().string()));
  // A folder link leads outside just the same.
  std::filesystem::create_directory_symlink(outside.path(), dir.file("sub"));
  path = edited_fixture(dir, [](json& j) { j["weightsManifest"][0]["paths"][0] = "sub/secret.bin"; });
  CHECK_THAT(load_error(path), Contains("'sub/secret.bin' leaves the model's directory"));
  // A link to a file inside the folder is fine.
  std::filesystem::create_symlink("model.weights.bin", dir.file("inside.bin"));
  path = edited_fixture(dir, [](json& j) { j["weightsManifest"][0]["paths"][0] = "inside.bin"; });
  CHECK(load_model(path).weights.size() == 4);
}

TEST_CASE("a TF.js save writes model.json last and keeps the old one on failure", "[io][tfjs][atomic]") {
  ScratchDir dir;
  std::string path = dir.file("model.json");
  save_model(path, small_model(), ModelFormat::tfjs_layers);
  std::string before = read_bytes(path);
  ModelFile bad = small_model();
  bad.weights.pop_back();
  CHECK_THROWS_AS(save_model(path, bad, ModelFormat::tfjs_layers), ModelFileError);
  CHECK(read_bytes(path) == before);
  // A shard that cannot be written: model.json is not touched.
  std::filesystem::remove(dir.file("model-group1-shard1of1.bin"));
  std::filesystem::create_directory(dir.file("model-group1-shard1of1.bin"));
  CHECK_THROWS_WITH(save_model(path, small_model(), ModelFormat::tfjs_layers),
                    StartsWith("cannot write " + dir.file("model-group1-shard1of1.bin") + ": it is a directory, "));
  CHECK(read_bytes(path) == before);
}

// The TF.js layers format for the CNN and RNN layer types: a model.json that
// TF.js 4.22 wrote (tests/data/tfjs_cnn_rnn_model, see its make_fixture.js)
// imports with the expected spec and weights, and we write back the same
// topology, manifest and bytes; every type round-trips; settings we do not
// implement are refused by field path; the engine predicts what TF.js did.
#include <catch2/catch.hpp>

#include "core/io/tfjs_layer_config.h"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "core/io/model_file.h"
#include "core/nn/model.h"
#include "core/ops/cpu/cpu_backend.h"
#include "tests/core/io/model_file_test_support.h"

#ifndef GAPSCOPE_TEST_DATA_DIR
#define GAPSCOPE_TEST_DATA_DIR "tests/data"
#endif

using namespace gapscope;
using namespace gapscope::test;
using nlohmann::json;
using nlohmann::ordered_json;
using Catch::Matchers::Equals;
using Catch::Matchers::StartsWith;

namespace {

std::string fixture_dir() { return std::string(GAPSCOPE_TEST_DATA_DIR) + "/tfjs_cnn_rnn_model"; }

// The fixture's model.json copied into `dir` with its weights, after `edit`.
template <typename Edit>
std::string edited_fixture(const ScratchDir& dir, Edit edit) {
  json model_json = json::parse(read_bytes(fixture_dir() + "/model.json"));
  edit(model_json["modelTopology"]["config"]["layers"]);
  write_bytes(dir.file("model.weights.bin"), read_bytes(fixture_dir() + "/model.weights.bin"));
  write_bytes(dir.file("model.json"), model_json.dump());
  return dir.file("model.json");
}

// Index of the layer called `name` in the fixture.
size_t layer_index(const json& layers, const std::string& name) {
  for (size_t i = 0; i < layers.size(); ++i)
    if (layers[i]["config"]["name"] == name) return i;
  throw std::runtime_error("no layer " + name);
}

}  // namespace

TEST_CASE("a CNN/RNN model.json written by TF.js 4.22 imports", "[io][tfjs][fixture]") {
  ModelFile model = load_model(fixture_dir() + "/model.json");
  const ModelSpec& spec = model.spec;
  CHECK(spec.name == "cnn_rnn");
  CHECK(spec.input_shape == Shape{12});
  std::vector<std::string> types;
  for (const LayerSpec& l : spec.layers) types.push_back(l.type);
  CHECK(types == std::vector<std::string>{"embedding", "reshape", "conv2d", "batch_normalization", "max_pooling2d",
                                          "average_pooling2d", "flatten", "reshape", "simple_rnn", "lstm", "gru",
                                          "dense"});
  const auto& l = spec.layers;
  CHECK(l[0].input_dim == 10);
  CHECK(l[0].output_dim == 4);
  CHECK(l[0].kernel_initializer == Initializer::random_uniform);
  CHECK(l[1].target_shape == Shape{6, 8, 1});
  CHECK(l[2].filters == 3);
  CHECK(l[2].kernel_size == std::vector<int64_t>{3, 2});
  CHECK(l[2].strides == std::vector<int64_t>{1, 2});
  CHECK(l[2].activation == Activation::relu);
  CHECK_FALSE(l[2].use_bias);
  CHECK(l[2].kernel_initializer == Initializer::glorot_normal);  // TF.js's Conv2D default
  CHECK(l[3].momentum == 0.9f);
  CHECK(l[3].epsilon == 0.01f);
  CHECK(l[4].pool_size == std::vector<int64_t>{2, 2});
  CHECK(l[4].strides == std::vector<int64_t>{2, 2});
  CHECK(l[5].pool_size == std::vector<int64_t>{1, 2});
  CHECK(l[5].strides == std::vector<int64_t>{1, 1});
  CHECK(l[5].padding == Padding::same);
  CHECK(l[7].target_shape == Shape{3, 4});
  CHECK(l[8].units == 5);
  CHECK(l[8].activation == Activation::tanh);
  CHECK(l[8].return_sequences);
  CHECK(l[9].recurrent_activation == Activation::hard_sigmoid);
  CHECK(l[9].recurrent_initializer == Initializer::orthogonal);
  CHECK(l[9].unit_forget_bias);
  CHECK(l[10].recurrent_activation == Activation::sigmoid);
  CHECK_FALSE(l[10].return_sequences);
  CHECK(l[11].activation == Activation::softmax);
  CHECK(infer_output_shapes(spec).back() == Shape{2});

  // make_fixture.js: value k of manifest weight i is ((7k + 3i) % 13 - 6) / 8
  // (moving variances 0.5 + |that|). Loaded weights come in spec order.
  json manifest = json::parse(read_bytes(fixture_dir() + "/model.json"))["weightsManifest"][0]["weights"];
  REQUIRE(model.weights.size() == manifest.size());
  for (size_t i = 0; i < manifest.size(); ++i) {
    std::string name = manifest[i]["name"];
    auto it = std::find_if(model.weights.begin(), model.weights.end(), [&](const NamedArray& w) { return w.name == name; });
    REQUIRE(it != model.weights.end());
    INFO(name);
    CHECK(it->shape == manifest[i]["shape"].get<Shape>());
    bool variance = name.ends_with("moving_variance");
    for (size_t k = 0; k < it->values.size(); ++k) {
      float v = static_cast<float>((7 * static_cast<int>(k) + 3 * static_cast<int>(i)) % 13 - 6) / 8;
      REQUIRE(it->values[k] == (variance ? 0.5f + std::fabs(v) : v));
    }
  }
  std::vector<std::string> order;
  for (const NamedArray& w : model.weights) order.push_back(w.name);
  std::vector<std::string> expected;
  for (const ParameterShape& p : parameter_shapes(spec)) expected.push_back(p.name);
  CHECK(order == expected);
}

// TF.js's tolerance between its own backends (NOTES.md): atol 1e-5 + rtol 1e-4.
TEST_CASE("the engine predicts what TF.js 4.22 predicted with the fixture", "[io][tfjs][fixture]") {
  ModelFile file = load_model(fixture_dir() + "/model.json");
  json record = json::parse(read_bytes(fixture_dir() + "/predictions.json"));
  std::vector<float> x = record["input"][0].get<std::vector<float>>();
  std::vector<double> expected = record["prediction"][0].get<std::vector<double>>();
  CpuBackend cpu(1);
  Model model(file.spec, cpu, 1, &file.weights);
  std::vector<float> y(expected.size());
  model.predict(x, 1, y);
  for (size_t i = 0; i < y.size(); ++i) CHECK(std::fabs(y[i] - expected[i]) <= 1e-5 + 1e-4 * std::fabs(expected[i]));
}

TEST_CASE("we write back the topology, manifest and bytes TF.js 4.22 wrote", "[io][tfjs][fixture]") {
  ScratchDir dir;
  ModelFile model = load_model(fixture_dir() + "/model.json");
  std::string path = dir.file("model.json");
  save_model(path, model, ModelFormat::tfjs_layers);
  ordered_json ours = ordered_json::parse(read_bytes(path));
  ordered_json theirs = ordered_json::parse(read_bytes(fixture_dir() + "/model.json"));
  // Class names, config keys, key order and values, layer by layer.
  const ordered_json& our_layers = ours["modelTopology"]["config"]["layers"];
  const ordered_json& their_layers = theirs["modelTopology"]["config"]["layers"];
  REQUIRE(our_layers.size() == their_layers.size());
  for (size_t i = 0; i < our_layers.size(); ++i) {
    INFO(their_layers[i]["class_name"]);
    CHECK(our_layers[i].dump() == their_layers[i].dump());
  }
  CHECK(ours["modelTopology"].dump() == theirs["modelTopology"].dump());
  // Trainable weights first, then the moving statistics: TF.js's order.
  CHECK(ours["weightsManifest"][0]["weights"].dump() == theirs["weightsManifest"][0]["weights"].dump());
  const ordered_json& weights = ours["weightsManifest"][0]["weights"];
  CHECK(weights[weights.size() - 2]["name"] == "batch_normalization_1/moving_mean");
  CHECK(weights[weights.size() - 1]["name"] == "batch_normalization_1/moving_variance");
  CHECK(read_bytes(dir.file("model-group1-shard1of1.bin")) == read_bytes(fixture_dir() + "/model.weights.bin"));
}

TEST_CASE("every CNN and RNN layer type round-trips through the TF.js format", "[io][tfjs]") {
  ScratchDir dir;
  ModelFile model;
  model.spec = load_model(fixture_dir() + "/model.json").spec;
  // Away from the fixture's values: our defaults, other settings.
  for (LayerSpec& l : model.spec.layers) {
    if (l.type == "conv2d") {
      l.use_bias = true;
      l.padding = Padding::same;
      l.kernel_initializer = Initializer::he_uniform;
    }
    if (l.type == "lstm") {
      l.unit_forget_bias = false;
      l.kernel_initializer = Initializer::glorot_uniform;
    }
    if (l.type == "gru") l.use_bias = false;
    if (l.type == "simple_rnn") l.activation = Activation::relu;
  }
  model.spec.layers[2].kernel_size = {2, 2};  // same padding: [6, 4, 3]; flatten 18 -> 3 x 6
  model.spec.layers[7].target_shape = {3, 6};
  model.weights = weights_for(model.spec);
  std::string path = dir.file("model.json");
  save_model(path, model, ModelFormat::tfjs_layers);
  ModelFile loaded = load_model(path);
  CHECK(model_spec_to_json(loaded.spec) == model_spec_to_json(model.spec));
  CHECK(same_bits(loaded.weights, model.weights));

  // The native and JSON formats keep spec order and carry the same.
  for (ModelFormat format : {ModelFormat::native_binary, ModelFormat::json}) {
    std::string other = dir.file("other-" + model_format_name(format));
    save_model(other, model, format);
    ModelFile again = load_model(other);
    CHECK(model_spec_to_json(again.spec) == model_spec_to_json(model.spec));
    CHECK(same_bits(again.weights, model.weights));
  }
}

TEST_CASE("TF.js defaults for absent keys: null unit_forget_bias is false, null strides are pool_size",
          "[io][tfjs]") {
  ScratchDir dir;
  std::string path = edited_fixture(dir, [](json& layers) {
    json& lstm = layers[layer_index(layers, "lstm_1")]["config"];
    lstm["unit_forget_bias"] = nullptr;
    lstm.erase("kernel_initializer");
    lstm.erase("recurrent_activation");
    layers[layer_index(layers, "max_pooling2d_1")]["config"]["strides"] = nullptr;
    layers[layer_index(layers, "max_pooling2d_1")]["config"]["pool_size"] = 2;
    json& conv = layers[layer_index(layers, "conv2d_1")]["config"];
    conv["kernelSize"] = conv["kernel_size"];  // TF.js reads camelCase too
    conv.erase("kernel_size");
  });
  ModelSpec spec = load_model(path).spec;
  CHECK_FALSE(spec.layers[9].unit_forget_bias);
  CHECK(spec.layers[9].kernel_initializer == Initializer::glorot_normal);
  CHECK(spec.layers[9].recurrent_activation == Activation::hard_sigmoid);
  CHECK(spec.layers[4].strides == std::vector<int64_t>{2, 2});
  CHECK(spec.layers[2].kernel_size == std::vector<int64_t>{3, 2});

  // Conv2D without strides takes [1, 1]: [4, 7, 3] instead of [4, 4, 3], which
  // no longer fits the fixture's reshape.
  path = edited_fixture(dir, [](json& layers) { layers[layer_index(layers, "conv2d_1")]["config"].erase("strides"); });
  CHECK_THAT(load_error(path), Equals(path + ": layers[7] (reshape_2): reshape target [3, 4] has 12 elements, the "
                                             "input [18] has 18"));
}

TEST_CASE("TF.js settings we do not implement are refused by field path", "[io][tfjs][errors]") {
  ScratchDir dir;
  struct Case {
    const char* layer;
    const char* key;
    json value;
    const char* message;
  };
  const Case cases[] = {
      {"conv2d_1", "groups", 2, "groups: grouped convolutions are not supported (must be 1)"},
      {"conv2d_1", "data_format", "channels_first", "data_format must be \"channels_last\", got \"channels_first\""},
      {"conv2d_1", "padding", "causal", "padding: unsupported padding 'causal'; supported: valid, same"},
      {"embedding_1", "mask_zero", true, "mask_zero: masks are not supported (must be false)"},
      {"reshape_2", "target_shape", {-1, 4}, "target_shape[0]: an inferred (-1) dimension is not supported; give its size"},
      {"lstm_1", "stateful", true, "stateful: stateful RNNs are not supported (must be false)"},
      {"lstm_1", "dropout", 0.5, "dropout: input dropout is not supported (must be 0)"},
      {"gru_1", "reset_after", true, "reset_after: GRUs with reset_after are not supported (must be false)"},
      {"simple_rnn_1", "recurrent_activation", "sigmoid", "recurrent_activation: unknown key in a SimpleRNN layer's config"},
  };
  for (const Case& c : cases) {
    size_t index = 0;
    std::string path = edited_fixture(dir, [&](json& layers) {
      index = layer_index(layers, c.layer);
      layers[index]["config"][c.key] = c.value;
    });
    INFO(c.layer << "." << c.key);
    CHECK_THAT(load_error(path), StartsWith(path + ": modelTopology.config.layers[" + std::to_string(index) +
                                            "].config." + c.message));
  }
  std::string path = edited_fixture(dir, [](json& layers) { layers[2]["class_name"] = "Conv3D"; });
  // Every class of the registry, in its order.
  CHECK_THAT(load_error(path), Equals("unsupported layer class 'Conv3D' (layers[2]) in " + path + "; supported: " +
                                      supported_tfjs_layer_classes() + " (and a leading InputLayer)"));
  CHECK_THAT(load_error(path), Catch::Matchers::Contains("; supported: Dense, Activation, ReLU, LeakyReLU, Softmax, Dropout, Conv2D, DepthwiseConv2D, "
                                        "SeparableConv2D, MaxPooling2D, "));
  // Embedding as the first layer: its input_length gives the input shape.
  path = edited_fixture(dir, [](json& layers) {
    layers[0]["config"].erase("batch_input_shape");
    layers[0]["config"]["input_length"] = 12;
  });
  CHECK(load_model(path).spec.input_shape == Shape{12});
}

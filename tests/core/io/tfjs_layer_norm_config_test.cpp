// LayerNormalization configs in the TF.js layers format: what TF.js 4.22
// writes once the layer is built (axis as a one-element list), Keras's extra
// keys, what we refuse by field path (several axes, RMS scaling), and the
// keys we write, in getConfig()'s order.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "core/io/tfjs_layer_config.h"
#include "core/spec/model_spec.h"

using namespace gapscope;
using nlohmann::json;
using Catch::Matchers::Contains;
using Catch::Matchers::Equals;

namespace {

const char* kPath = "modelTopology.config.layers[1].config";

LayerSpec read_config(const json& config, std::vector<std::string>* notes = nullptr) {
  TfjsLayerReader reader{kPath, config, notes};
  const std::optional<LayerSpec> layer = read_tfjs_layer("LayerNormalization", reader);
  REQUIRE(layer);
  return *layer;
}

std::string read_error(const json& config) {
  try {
    read_config(config);
  } catch (const SpecError& e) {
    return e.what();
  }
  return "(no error)";
}

// tf.layers.layerNormalization({scale: false, epsilon: 0.01}) on [null, 5, 8], as model.save() writes it.
json tfjs_written() {
  return json::parse(R"({"axis": [2], "epsilon": 0.01, "center": true, "scale": false,
    "beta_initializer": {"class_name": "RandomNormal", "config": {"mean": 0, "stddev": 0.5, "seed": null}},
    "gamma_initializer": {"class_name": "Ones", "config": {}}, "beta_regularizer": null, "gamma_regularizer": null,
    "name": "norm", "trainable": true})");
}

}  // namespace

TEST_CASE("a LayerNormalization config TF.js 4.22 wrote reads with its settings", "[io][tfjs][layer_normalization]") {
  const LayerSpec layer = read_config(tfjs_written());
  CHECK(layer.type == "layer_normalization");
  CHECK(layer.name == "norm");
  CHECK(layer.axis == 2);  // [2]: the last axis of [null, 5, 8]
  CHECK(layer.epsilon == 0.01f);
  CHECK(layer.center);
  CHECK_FALSE(layer.scale);
  CHECK(layer.beta_initializer.kind == Initializer::Kind::random_normal);
  CHECK(layer.beta_initializer.stddev == 0.5);
  CHECK(layer.gamma_initializer == Initializer::ones);

  // Absent keys take TF.js's defaults; a number axis as the constructor takes it.
  const LayerSpec defaults = read_config({{"name", "n"}, {"axis", -1}});
  CHECK(defaults.axis == -1);
  CHECK(defaults.epsilon == 1e-3f);
  CHECK(defaults.center);
  CHECK(defaults.scale);
  CHECK(defaults.gamma_initializer == Initializer::ones);
  CHECK(defaults.beta_initializer == Initializer::zeros);
}

TEST_CASE("Keras's LayerNormalization keys: constraints and regularizers noted, RMS scaling refused",
          "[io][tfjs][layer_normalization]") {
  json keras = tfjs_written();
  keras["beta_constraint"] = nullptr;
  keras["gamma_constraint"] = nullptr;
  keras["rms_scaling"] = false;
  keras["gamma_regularizer"] = {{"class_name", "L2"}, {"config", {{"l2", 0.01}}}};
  std::vector<std::string> notes;
  CHECK(read_config(keras, &notes).epsilon == 0.01f);
  REQUIRE(notes.size() == 1);
  CHECK_THAT(notes[0], Contains(std::string(kPath) + ".gamma_regularizer: regularizer"));

  keras["rms_scaling"] = true;
  CHECK_THAT(read_error(keras),
             Equals(std::string(kPath) + ".rms_scaling: root-mean-square normalizations are not supported (must be false)"));
  json several = tfjs_written();
  several["axis"] = {1, 2};
  CHECK_THAT(read_error(several),
             Equals(std::string(kPath) +
                    ".axis: [1,2] normalises over several axes; layer_normalization normalises over the last axis only"));
  json unknown = tfjs_written();
  unknown["momentum"] = 0.9;
  CHECK_THAT(read_error(unknown), Contains(std::string(kPath) + ".momentum"));
}

TEST_CASE("LayerNormalization is written with getConfig()'s keys, in its order", "[io][tfjs][layer_normalization]") {
  ModelSpec spec;
  spec.input_shape = {5, 8};
  LayerSpec layer;
  layer.type = "layer_normalization";
  layer.name = "norm";
  layer.axis = 2;
  layer.epsilon = 0.01f;
  layer.center = false;
  layer.gamma_initializer = Initializer::random_normal;
  const nlohmann::ordered_json written = tfjs_layer_json(layer, spec, false);
  CHECK(written["class_name"] == "LayerNormalization");
  std::vector<std::string> keys;
  for (const auto& [key, value] : written["config"].items()) keys.push_back(key);
  CHECK(keys == std::vector<std::string>{"axis", "epsilon", "center", "scale", "beta_initializer", "gamma_initializer",
                                         "beta_regularizer", "gamma_regularizer", "name", "trainable"});
  CHECK(written["config"]["axis"] == 2);
  CHECK(written["config"]["epsilon"] == 0.01);
  CHECK(written["config"]["center"] == false);
  CHECK(written["config"]["scale"] == true);
  CHECK(written["config"]["gamma_initializer"]["class_name"] == "RandomNormal");
  CHECK(written["config"]["beta_initializer"]["class_name"] == "Zeros");

  // And it reads back as it was.
  const LayerSpec back = read_config(json::parse(written["config"].dump()));
  CHECK(back.axis == 2);
  CHECK(back.epsilon == 0.01f);
  CHECK_FALSE(back.center);
  CHECK(back.scale);
  CHECK(back.gamma_initializer == Initializer::random_normal);
}

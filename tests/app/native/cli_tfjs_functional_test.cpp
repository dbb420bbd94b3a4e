// Issue 18: functional models TF.js 4.22 itself wrote (tf.model) load when
// their graph is a chain, and predict what TF.js predicts; a graph that
// branches and merges is refused naming the layer and why.
#include <fstream>
#include <string>

#include "tests/app/native/cli_support.h"
#include "tests/core/node_support.h"

using namespace gapscope::cli_test;

namespace {

// Saves input.dir/chain.json (a chain) and input.dir/residual.json (an Add of
// two branches), and prints TF.js's predictions of the chain for input.batch.
const char* kWriteModels = R"JS(
const {createRequire} = require('node:module');
const fs = require('node:fs');
const path = require('node:path');
const tf = createRequire(path.join(process.argv[2], '..', 'package.json'))('@tensorflow/tfjs');
const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const save = (model, name) => model.save(tf.io.withSaveHandler(async (a) => {
  fs.writeFileSync(path.join(input.dir, name + '.json'), JSON.stringify({modelTopology: a.modelTopology,
    format: 'layers-model', weightsManifest: [{paths: [name + '.bin'], weights: a.weightSpecs}]}));
  fs.writeFileSync(path.join(input.dir, name + '.bin'), Buffer.from(a.weightData));
  return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}};
}));
(async () => {
  await tf.setBackend('cpu');
  const x = tf.input({shape: [10], name: 'pixels'});
  const h = tf.layers.dense({units: 16, activation: 'relu', name: 'hidden'}).apply(x);
  const d = tf.layers.dropout({rate: 0.2, name: 'drop'}).apply(h);
  const y = tf.layers.dense({units: 4, activation: 'softmax', name: 'classes'}).apply(d);
  const chain = tf.model({inputs: x, outputs: y, name: 'functional_chain'});
  await save(chain, 'chain');
  const a = tf.layers.dense({units: 10, name: 'branch'}).apply(x);
  const sum = tf.layers.add({name: 'residual_add'}).apply([x, a]);
  await save(tf.model({inputs: x, outputs: tf.layers.dense({units: 2, name: 'out'}).apply(sum)}), 'residual');
  const outputs = chain.predict(tf.tensor(input.batch)).arraySync();
  process.stdout.write(JSON.stringify({outputs}));
})().catch((e) => { console.error(e); process.exit(1); });
)JS";

}  // namespace

TEST_CASE("a functional TF.js model that is a chain loads and predicts as TF.js; a residual graph is refused by name",
          "[cli][tfjs][import]") {
  const fs::path dir = scratch("tfjs-functional");
  const nlohmann::json batch = {{0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.7, -0.8, 0.9, 1.0},
                                {1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1}};
  const nlohmann::json tfjs = gapscope::test::run_node_on_harness(kWriteModels, {{"dir", dir.string()}, {"batch", batch}});
  const std::string chain = (dir / "chain.json").string();
  nlohmann::json written = nlohmann::json::parse(std::ifstream(chain));
  REQUIRE(written["modelTopology"]["class_name"] == "Model");  // what TF.js calls a functional model

  const Result inspected = run("inspect " + chain + " --json");
  REQUIRE(inspected.exit_code == 0);
  const nlohmann::json info = nlohmann::json::parse(inspected.out);
  CHECK(info["spec"]["input"]["shape"] == nlohmann::json{10});
  REQUIRE(info["layers"].size() == 3);
  CHECK(info["layers"][0]["name"] == "hidden");
  CHECK(info["layers"][2]["name"] == "classes");

  std::ofstream(dir / "batch.json") << batch.dump();
  const Result predicted = run("predict --model " + chain + " --input " + (dir / "batch.json").string() + " --json");
  REQUIRE(predicted.exit_code == 0);
  const nlohmann::json native = nlohmann::json::parse(predicted.out)["outputs"];
  for (size_t n = 0; n < 2; ++n)
    for (size_t k = 0; k < 4; ++k)
      CHECK(native[n][k].get<double>() == Approx(tfjs["outputs"][n][k].get<double>()).epsilon(1e-4).margin(1e-5));

  // Layers listed out of order, and Keras 3's inbound nodes: the same chain.
  nlohmann::json& layers = written["modelTopology"]["config"]["layers"];
  std::swap(layers[1], layers[3]);
  for (nlohmann::json& layer : layers)
    for (nlohmann::json& node : layer["inbound_nodes"]) {
      const std::string from = node[0][0];
      node = {{"args", {{{"class_name", "__keras_tensor__"}, {"config", {{"keras_history", {from, 0, 0}}}}}}},
              {"kwargs", nlohmann::json::object()}};
    }
  written["modelTopology"]["class_name"] = "Functional";
  std::ofstream(dir / "chain.json") << written.dump();
  const Result keras3 = run("predict --model " + chain + " --input " + (dir / "batch.json").string() + " --json");
  REQUIRE(keras3.exit_code == 0);
  CHECK(nlohmann::json::parse(keras3.out)["outputs"] == native);

  const Result residual = run("inspect " + (dir / "residual.json").string(), true);
  CHECK(residual.exit_code == 3);
  CHECK_THAT(residual.out, Catch::Contains("'residual_add' takes 2 inputs (pixels, branch); graph models that branch "
                                           "and merge cannot be imported yet, only chains of layers"));
}

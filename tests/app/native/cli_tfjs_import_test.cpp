// Issue 18: a model.json TF.js 4.22 itself wrote with ordinary settings
// (initializers with any parameters, regularizers, constraints, a frozen
// layer, Keras's positive batch-norm axis) loads, keeps its initializers,
// names what it does not use, and predicts what TF.js predicts.
#include <cmath>
#include <fstream>
#include <string>

#include "tests/app/native/cli_support.h"
#include "tests/core/node_support.h"

using namespace gapscope::cli_test;

namespace {

// Builds the model in TF.js, saves it into input.dir and prints TF.js's own
// predictions for input.batch.
const std::string kWriteModel = std::string(gapscope::test::kTfjsNodePrelude) + R"JS(
(async () => {
  await tf.setBackend('cpu');
  const model = tf.sequential({name: 'written_by_tfjs'});
  model.add(tf.layers.conv2d({inputShape: [6, 6, 2], filters: 3, kernelSize: 3, activation: 'relu',
    kernelInitializer: tf.initializers.varianceScaling({scale: 1, mode: 'fanOut', distribution: 'truncatedNormal'}),
    biasInitializer: tf.initializers.constant({value: 0.1}),
    kernelRegularizer: tf.regularizers.l2({l2: 1e-4}), kernelConstraint: tf.constraints.maxNorm({maxValue: 2})}));
  model.add(tf.layers.batchNormalization({axis: 3, trainable: false}));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({units: 8, activation: 'tanh',
    kernelInitializer: tf.initializers.randomNormal({mean: 0, stddev: 0.02, seed: 7}),
    biasInitializer: tf.initializers.truncatedNormal({stddev: 0.1})}));
  model.add(tf.layers.dense({units: 8, kernelInitializer: tf.initializers.identity({gain: 0.5}),
    biasRegularizer: tf.regularizers.l1({l1: 0.01})}));
  model.add(tf.layers.dense({units: 3, activation: 'softmax',
    kernelInitializer: tf.initializers.orthogonal({gain: 2}),
    biasInitializer: tf.initializers.randomUniform({minval: -0.5, maxval: 0.5})}));
  await saveModel(model, input.dir, 'model');
  const outputs = model.predict(tf.tensor(input.batch, [input.batch.length, 6, 6, 2])).arraySync();
  process.stdout.write(JSON.stringify({outputs}));
})().catch((e) => { console.error(e); process.exit(1); });
)JS";

}  // namespace

TEST_CASE("a TF.js model with ordinary initializers, regularizers and a frozen layer loads and predicts as TF.js",
          "[cli][tfjs][import]") {
  const fs::path dir = scratch("tfjs-import");
  nlohmann::json batch = nlohmann::json::array();
  for (int n = 0; n < 2; ++n) {
    nlohmann::json sample = nlohmann::json::array();
    for (int i = 0; i < 72; ++i) sample.push_back(std::sin(0.37 * (i + 1) * (n + 1)));
    batch.push_back(sample);
  }
  const nlohmann::json tfjs = gapscope::test::run_node_on_harness(kWriteModel, {{"dir", dir.string()}, {"batch", batch}});
  const std::string model = (dir / "model.json").string();

  const Result inspected = run("inspect " + model + " --json", false);
  REQUIRE(inspected.exit_code == 0);
  const nlohmann::json info = nlohmann::json::parse(inspected.out);
  const nlohmann::json& layers = info["spec"]["layers"];
  // Initializers are kept as written, so re-initialising draws as the author set it.
  CHECK(layers[0]["kernel_initializer"]["config"]["mode"] == "fan_out");
  CHECK(layers[0]["bias_initializer"] ==
        nlohmann::json::parse(R"({"class_name":"Constant","config":{"value":0.1}})"));
  CHECK(layers[1]["axis"] == 3);
  CHECK(layers[3]["kernel_initializer"]["config"]["stddev"] == 0.02);
  CHECK(layers[3]["kernel_initializer"]["config"]["seed"] == 7);
  CHECK(layers[4]["kernel_initializer"] == nlohmann::json::parse(R"({"class_name":"Identity","config":{"gain":0.5}})"));
  CHECK(layers[5]["kernel_initializer"]["config"]["gain"] == 2);
  // What gapscope does not use is named, once per setting.
  const std::string notes = info["notes"].dump();
  CHECK_THAT(notes, Catch::Contains("layers[0].config.kernel_regularizer: regularizer"));
  CHECK_THAT(notes, Catch::Contains("layers[0].config.kernel_constraint: constraint"));
  CHECK_THAT(notes, Catch::Contains("layers[1].config.trainable is false: gapscope trains every layer"));
  CHECK_THAT(notes, Catch::Contains("layers[4].config.bias_regularizer: regularizer"));
  CHECK(info["notes"].size() == 4);
  const Result noted = run("inspect " + model, true);
  CHECK_THAT(noted.out, Catch::Contains("note: " + model + ": modelTopology.config.layers[0].config.kernel_regularizer"));

  std::ofstream(dir / "batch.json") << batch.dump();
  const Result predicted = run("predict --model " + model + " --input " + (dir / "batch.json").string() + " --json");
  REQUIRE(predicted.exit_code == 0);
  const nlohmann::json native = nlohmann::json::parse(predicted.out)["outputs"];
  REQUIRE(native.size() == 2);
  for (size_t n = 0; n < 2; ++n)
    for (size_t k = 0; k < 3; ++k) {
      const double want = tfjs["outputs"][n][k].get<double>();
      CHECK(native[n][k].get<double>() == Approx(want).epsilon(1e-4).margin(1e-5));
    }

  // Re-initialising from the kept settings: the spec alone (no weights) builds
  // with the file's initializers (Identity needs the square 8 x 8 kernel) and trains.
  nlohmann::json spec = info["spec"];
  std::ofstream(dir / "spec.json") << spec.dump();
  const Result trained = run("bench --model " + (dir / "spec.json").string() +
                             " --runs-scale 0.01 --phases train --threads 1 --json", true);
  INFO(trained.out);
  CHECK(trained.exit_code == 0);
}

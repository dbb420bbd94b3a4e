// Issue 18: functional models TF.js 4.22 itself wrote (tf.model) load, chains
// and graphs that branch and merge, and predict what TF.js predicts; what a
// gapscope model cannot be (a shared layer, two outputs) is refused by name;
// a graph gapscope saves as TF.js loads in TF.js and predicts the same. The
// same both ways for layer normalization.
#include <fstream>
#include <string>

#include "tests/app/native/cli_support.h"
#include "tests/core/node_support.h"

using namespace gapscope::cli_test;

namespace {

// Saves input.dir/chain.json (a chain), graph.json (residual add, a branch
// concatenated back, multiply and average), vision.json (padding, depthwise, relu6,
// cropping, global pooling, a softmax layer), shared.json (one layer called
// twice) and two_outputs.json, and prints TF.js's predictions of the chain
// and the graph for input.batch and of vision for input.images.
const std::string kWriteModels = std::string(gapscope::test::kTfjsNodePrelude) + R"JS(
const save = (model, name) => saveModel(model, input.dir, name);
(async () => {
  await tf.setBackend('cpu');
  const x = tf.input({shape: [10], name: 'pixels'});
  const h = tf.layers.dense({units: 16, activation: 'relu', name: 'hidden'}).apply(x);
  const d = tf.layers.dropout({rate: 0.2, name: 'drop'}).apply(h);
  const y = tf.layers.dense({units: 4, activation: 'softmax', name: 'classes'}).apply(d);
  const chain = tf.model({inputs: x, outputs: y, name: 'functional_chain'});
  await save(chain, 'chain');

  const a = tf.layers.dense({units: 10, activation: 'tanh', name: 'branch'}).apply(x);
  const sum = tf.layers.add({name: 'residual_add'}).apply([x, a]);
  const gate = tf.layers.dense({units: 10, activation: 'sigmoid', name: 'gate'}).apply(sum);
  const gated = tf.layers.multiply({name: 'gated'}).apply([sum, gate]);
  const mean = tf.layers.average({name: 'mean'}).apply([gated, a, x]);
  const joined = tf.layers.concatenate({axis: -1, name: 'joined'}).apply([mean, a]);
  const graph = tf.model({inputs: x, outputs: tf.layers.dense({units: 3, activation: 'softmax', name: 'out'}).apply(joined),
                          name: 'residual_graph'});
  await save(graph, 'graph');

  const shared = tf.layers.dense({units: 10, name: 'shared_dense'});
  const twice = shared.apply(shared.apply(x));
  await save(tf.model({inputs: x, outputs: twice}), 'shared');
  await save(tf.model({inputs: x, outputs: [a, gate]}), 'two_outputs');
  // Today's vision layers: padding, depthwise convolution, relu6, cropping, both global poolings, a softmax layer.
  const image = tf.input({shape: [7, 7, 2], name: 'image'});
  const padded = tf.layers.zeroPadding2d({padding: [[1, 2], [0, 1]], name: 'pad'}).apply(image);
  const conv = tf.layers.conv2d({filters: 3, kernelSize: 3, name: 'conv'}).apply(padded);
  const depthwise = tf.layers.depthwiseConv2d({kernelSize: 3, depthMultiplier: 2, padding: 'same', strides: 2,
                                               activation: 'relu', name: 'depthwise'}).apply(conv);
  const capped = tf.layers.reLU({maxValue: 6, name: 'relu6'}).apply(depthwise);
  // TF.js 4.22 leaves depthMultiplier out of the config it writes: the weight's shape tells it.
  const separable = tf.layers.separableConv2d({filters: 5, kernelSize: 2, depthMultiplier: 2, padding: 'same',
                                               name: 'separable'}).apply(capped);
  const cropped = tf.layers.cropping2D({cropping: [[1, 0], [0, 1]], name: 'crop'}).apply(separable);
  const pooled = tf.layers.concatenate({name: 'pooled'}).apply([
      tf.layers.globalAveragePooling2d({name: 'mean'}).apply(cropped),
      tf.layers.globalMaxPooling2d({name: 'max'}).apply(cropped)]);
  const logits = tf.layers.dense({units: 4, name: 'logits'}).apply(pooled);
  const vision = tf.model({inputs: image, outputs: tf.layers.softmax({name: 'probabilities'}).apply(logits)});
  await save(vision, 'vision');
  const predict = (model, batch) => model.predict(tf.tensor(batch)).arraySync();
  process.stdout.write(JSON.stringify({chain: predict(chain, input.batch), graph: predict(graph, input.batch),
                                       vision: predict(vision, input.images)}));
})().catch((e) => { console.error(e); process.exit(1); });
)JS";

// Loads input.model (a model.json gapscope wrote, weights beside it) in
// TF.js and prints its predictions for input.batch and its class name.
const std::string kPredictSaved = std::string(gapscope::test::kTfjsNodePrelude) + R"JS(
(async () => {
  await tf.setBackend('cpu');
  const json = JSON.parse(fs.readFileSync(input.model, 'utf8'));
  const specs = [], buffers = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) buffers.push(fs.readFileSync(path.join(path.dirname(input.model), p)));
  }
  const data = Buffer.concat(buffers);
  const model = await tf.loadLayersModel(tf.io.fromMemory({modelTopology: json.modelTopology, weightSpecs: specs,
    weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)}));
  process.stdout.write(JSON.stringify({outputs: model.predict(tf.tensor(input.batch)).arraySync(),
                                       class_name: json.modelTopology.class_name}));
})().catch((e) => { console.error(e); process.exit(1); });
)JS";

// Saves input.dir/sequence.json (a functional model: layer norms of a
// sequence, with and without center and scale, axis given as -1 and as 2) and
// images.json (a Sequential one: a layer norm over an image's channels, axis 3,
// and a bare one on a vector), with drawn gammas and betas, and prints TF.js's
// predictions for input.steps and input.pixels.
const std::string kWriteLayerNormModels = std::string(gapscope::test::kTfjsNodePrelude) + R"JS(
const save = (model, name) => saveModel(model, input.dir, name);
(async () => {
  await tf.setBackend('cpu');
  const steps = tf.input({shape: [5, 6], name: 'steps'});
  const perStep = tf.layers.dense({units: 8, activation: 'tanh', name: 'per_step'}).apply(steps);
  const norm = tf.layers.layerNormalization({name: 'norm', gammaInitializer: 'randomNormal',
                                             betaInitializer: 'randomUniform'}).apply(perStep);
  const noCenter = tf.layers.layerNormalization({name: 'norm_no_center', center: false, epsilon: 0.01,
                                                 gammaInitializer: 'randomNormal'}).apply(norm);
  const noScale = tf.layers.layerNormalization({name: 'norm_no_scale', scale: false, axis: 2,
                                                betaInitializer: 'randomNormal'}).apply(noCenter);
  const flat = tf.layers.flatten({name: 'flat'}).apply(noScale);
  const sequence = tf.model({inputs: steps,
                             outputs: tf.layers.dense({units: 3, activation: 'softmax', name: 'out'}).apply(flat)});
  await save(sequence, 'sequence');
  const images = tf.sequential({name: 'images', layers: [
    tf.layers.conv2d({inputShape: [5, 5, 2], filters: 4, kernelSize: 3, name: 'conv'}),
    tf.layers.layerNormalization({axis: 3, name: 'channels', gammaInitializer: 'randomNormal',
                                  betaInitializer: 'randomNormal'}),
    tf.layers.flatten({name: 'flat'}),
    tf.layers.layerNormalization({center: false, scale: false, name: 'bare'}),
    tf.layers.dense({units: 2, name: 'out'})]});
  await save(images, 'images');
  const predict = (model, batch) => model.predict(tf.tensor(batch)).arraySync();
  process.stdout.write(JSON.stringify({sequence: predict(sequence, input.steps),
                                       images: predict(images, input.pixels)}));
})().catch((e) => { console.error(e); process.exit(1); });
)JS";

// Saves input.dir/more.json: a functional model TF.js wrote with a dilated
// conv2d, LeakyReLU, a capped ReLU, batch norms without center / scale,
// nearest up-sampling and a maximum of three branches, drawn weights and
// moving statistics; prints TF.js's predictions for input.images.
const std::string kWriteMoreLayers = std::string(gapscope::test::kTfjsNodePrelude) + R"JS(
(async () => {
  await tf.setBackend('cpu');
  const image = tf.input({shape: [6, 6, 2], name: 'image'});
  const dilated = tf.layers.conv2d({filters: 3, kernelSize: 3, dilationRate: 2, padding: 'same',
                                    kernelInitializer: 'heNormal', name: 'block1/dilated'}).apply(image);
  const leaky = tf.layers.leakyReLU({alpha: 0.2, name: 'leaky'}).apply(dilated);
  const capped = tf.layers.reLU({maxValue: 1.5, name: 'capped'}).apply(dilated);
  const highest = tf.layers.maximum({name: 'highest'}).apply([leaky, capped, dilated]);
  const noCenter = tf.layers.batchNormalization({center: false, gammaInitializer: 'randomNormal',
                                                 movingMeanInitializer: 'randomNormal', name: 'no_center'}).apply(highest);
  const noScale = tf.layers.batchNormalization({scale: false, betaInitializer: 'randomNormal',
                                                movingVarianceInitializer: 'ones', name: 'no_scale'}).apply(noCenter);
  const up = tf.layers.upSampling2d({size: [2, 1], name: 'up'}).apply(noScale);
  const conv = tf.layers.conv2d({filters: 2, kernelSize: [3, 2], dilationRate: [2, 1], name: 'conv'}).apply(up);
  const flat = tf.layers.flatten({name: 'flat'}).apply(conv);
  const model = tf.model({inputs: image, outputs: tf.layers.dense({units: 3, activation: 'softmax', name: 'out'}).apply(flat)});
  await saveModel(model, input.dir, 'more');
  process.stdout.write(JSON.stringify({more: model.predict(tf.tensor(input.images)).arraySync()}));
})().catch((e) => { console.error(e); process.exit(1); });
)JS";

void check_close(const nlohmann::json& native, const nlohmann::json& expected) {
  REQUIRE(native.size() == expected.size());
  for (size_t n = 0; n < native.size(); ++n) {
    REQUIRE(native[n].size() == expected[n].size());
    for (size_t k = 0; k < native[n].size(); ++k)
      CHECK(native[n][k].get<double>() == Approx(expected[n][k].get<double>()).epsilon(1e-4).margin(1e-5));
  }
}

}  // namespace

TEST_CASE("functional TF.js models, chains and graphs, load and predict as TF.js; shared layers are refused by name",
          "[cli][tfjs][import]") {
  const fs::path dir = scratch("tfjs-functional");
  const nlohmann::json batch = {{0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.7, -0.8, 0.9, 1.0},
                                {1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1}};
  nlohmann::json images = nlohmann::json::array();
  for (int n = 0; n < 2; ++n) {
    nlohmann::json rows = nlohmann::json::array();
    for (int y = 0; y < 7; ++y) {
      nlohmann::json row = nlohmann::json::array();
      for (int x = 0; x < 7; ++x) row.push_back({((y * 7 + x + n) % 9) - 3.0, ((x * 3 + y + 2 * n) % 5) * 2.0});
      rows.push_back(row);
    }
    images.push_back(rows);
  }
  const nlohmann::json tfjs =
      gapscope::test::run_node_on_harness(kWriteModels, {{"dir", dir.string()}, {"batch", batch}, {"images", images}});
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
  check_close(native, tfjs["chain"]);

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

  // The graph: the spec names each layer's inputs, and the model input by TF.js's name.
  const std::string graph = (dir / "graph.json").string();
  const Result graph_info = run("inspect " + graph + " --json");
  REQUIRE(graph_info.exit_code == 0);
  const nlohmann::json graph_spec = nlohmann::json::parse(graph_info.out)["spec"];
  CHECK(graph_spec["format"] == "gapscope.model/2");
  CHECK(graph_spec["input"]["name"] == "pixels");
  const nlohmann::json& graph_layers = graph_spec["layers"];
  REQUIRE(graph_layers.size() == 7);
  CHECK(graph_layers[1]["inputs"] == nlohmann::json{"pixels", "branch"});
  CHECK(graph_layers[4]["inputs"] == nlohmann::json{"gated", "branch", "pixels"});
  const Result graph_text = run("inspect " + graph);
  REQUIRE(graph_text.exit_code == 0);
  CHECK_THAT(graph_text.out, Catch::Contains("(a graph: input 'pixels', output 'out')"));
  CHECK_THAT(graph_text.out, Catch::Contains("layer            type         output       activation   inputs\n"));
  CHECK_THAT(graph_text.out, Catch::Contains("  mean             average      [10]         -            gated, branch, pixels\n"));
  const Result graph_predicted = run("predict --model " + graph + " --input " + (dir / "batch.json").string() + " --json");
  REQUIRE(graph_predicted.exit_code == 0);
  check_close(nlohmann::json::parse(graph_predicted.out)["outputs"], tfjs["graph"]);

  const std::string vision = (dir / "vision.json").string();
  const Result vision_info = run("inspect " + vision + " --json");
  REQUIRE(vision_info.exit_code == 0);
  const nlohmann::json vision_json = nlohmann::json::parse(vision_info.out);
  const nlohmann::json& vision_layers = vision_json["layers"];
  CHECK(vision_json["notes"].dump().find("depth_multiplier is missing (TF.js does not write it); 2 from the shape of "
                                         "weight 'separable/depthwise_kernel'") != std::string::npos);
  std::vector<std::string> types;
  for (const nlohmann::json& layer : vision_layers) types.push_back(layer["type"]);
  CHECK(types == std::vector<std::string>{"zero_padding2d", "conv2d", "depthwise_conv2d", "relu", "separable_conv2d", "cropping2d", "global_average_pooling2d",
                                          "global_max_pooling2d", "concatenate", "dense", "softmax"});
  std::ofstream(dir / "images.json") << images.dump();
  const Result vision_predicted = run("predict --model " + vision + " --input " + (dir / "images.json").string() + " --json");
  REQUIRE(vision_predicted.exit_code == 0);
  check_close(nlohmann::json::parse(vision_predicted.out)["outputs"], tfjs["vision"]);

  const Result shared = run("inspect " + (dir / "shared.json").string(), true);
  CHECK(shared.exit_code == 3);
  CHECK_THAT(shared.out, Catch::Contains("'shared_dense' is called 2 times (a shared layer); each layer of a gapscope "
                                         "model runs once"));
  const Result two = run("inspect " + (dir / "two_outputs.json").string(), true);
  CHECK(two.exit_code == 3);
  CHECK_THAT(two.out, Catch::Contains("output_layers: 2 outputs (branch, gate); models with one input and one output "
                                      "can be imported"));
}

// A model of a few MNIST steps, saved as TF.js; TF.js and gapscope-native
// predict the same two rows from the saved file.
// A graph saves as a functional "Model", a chain as "Sequential".
void check_saved_model_predicts_as_tfjs(const fs::path& dir, const std::string& spec, const nlohmann::json& batch,
                                        const char* tfjs_class) {
  std::ofstream(dir / "spec.json") << spec;
  const std::string saved = (dir / "model.json").string();
  const Result trained = run("train --model " + (dir / "spec.json").string() + " --steps 3 --batch 8 --quiet --save " +
                             saved + " --format tfjs");
  REQUIRE(trained.exit_code == 0);
  std::ofstream(dir / "batch.json") << batch.dump();
  const nlohmann::json tfjs = gapscope::test::run_node_on_harness(kPredictSaved, {{"model", saved}, {"batch", batch}});
  CHECK(tfjs["class_name"] == tfjs_class);
  const Result predicted = run("predict --model " + saved + " --input " + (dir / "batch.json").string() + " --json");
  REQUIRE(predicted.exit_code == 0);
  check_close(nlohmann::json::parse(predicted.out)["outputs"], tfjs["outputs"]);
}

// Two 28x28 images, flat or [28, 28, 1].
nlohmann::json two_images(bool flat) {
  nlohmann::json batch = nlohmann::json::array();
  for (int n = 0; n < 2; ++n) {
    nlohmann::json rows = nlohmann::json::array();
    for (int y = 0; y < 28; ++y) {
      nlohmann::json row = nlohmann::json::array();
      for (int x = 0; x < 28; ++x) {
        const double v = (((y * 28 + x) * 7 + n * 13) % 17) / 17.0;
        if (flat)
          rows.push_back(v);
        else
          row.push_back(nlohmann::json::array({v}));
      }
      if (!flat) rows.push_back(row);
    }
    batch.push_back(rows);
  }
  return batch;
}

TEST_CASE("graph and vision models gapscope trains and saves as TF.js load in TF.js and predict the same",
          "[cli][tfjs][export]") {
  check_saved_model_predicts_as_tfjs(scratch("tfjs-graph-export"), R"({"format": "gapscope.model/2", "name": "residual",
    "input": {"shape": [784], "name": "pixels"},
    "layers": [
      {"type": "dense", "name": "a", "units": 16, "activation": "relu"},
      {"type": "dense", "name": "b", "units": 16, "activation": "tanh"},
      {"type": "add", "name": "sum", "inputs": ["a", "b"]},
      {"type": "multiply", "name": "gated", "inputs": ["sum", "a"]},
      {"type": "average", "name": "mean", "inputs": ["gated", "b"]},
      {"type": "concatenate", "name": "joined", "inputs": ["mean", "a"]},
      {"type": "dense", "name": "out", "units": 10, "activation": "softmax"}],
    "loss": "categorical_crossentropy", "optimizer": {"type": "adam", "learning_rate": 0.001}})",
                                     two_images(true), "Model");
  // MobileNet's pieces, with the depth multipliers TF.js reads from our files.
  check_saved_model_predicts_as_tfjs(scratch("tfjs-vision-export"), R"({"format": "gapscope.model/1", "name": "mobile",
    "input": {"shape": [28, 28, 1]},
    "layers": [
      {"type": "zero_padding2d", "padding": [[0, 1], [0, 1]]},
      {"type": "conv2d", "filters": 4, "kernel_size": 3, "strides": 2},
      {"type": "relu", "max_value": 6},
      {"type": "depthwise_conv2d", "kernel_size": 3, "padding": "same", "depth_multiplier": 2, "activation": "relu"},
      {"type": "separable_conv2d", "filters": 6, "kernel_size": 3, "depth_multiplier": 2, "padding": "same"},
      {"type": "cropping2d", "cropping": 1},
      {"type": "global_average_pooling2d"},
      {"type": "dense", "units": 10},
      {"type": "softmax"}],
    "loss": "categorical_crossentropy", "optimizer": {"type": "sgd", "learning_rate": 0.05}})",
                                     two_images(false), "Sequential");
}

TEST_CASE("a model TF.js wrote with dilation, leaky and capped relus, maximum, batch norms without center or scale "
          "and up-sampling loads and predicts as TF.js",
          "[cli][tfjs][import]") {
  const fs::path dir = scratch("tfjs-more-layers");
  nlohmann::json images = nlohmann::json::array();
  for (int n = 0; n < 2; ++n) {
    nlohmann::json rows = nlohmann::json::array();
    for (int y = 0; y < 6; ++y) {
      nlohmann::json row = nlohmann::json::array();
      for (int x = 0; x < 6; ++x) row.push_back({((y * 6 + x + n) % 9) / 3.0 - 1.3, ((x * 3 + y + 2 * n) % 5) * 0.4 - 0.9});
      rows.push_back(row);
    }
    images.push_back(rows);
  }
  const nlohmann::json tfjs = gapscope::test::run_node_on_harness(kWriteMoreLayers, {{"dir", dir.string()}, {"images", images}});
  const std::string model = (dir / "more.json").string();
  const Result inspected = run("inspect " + model + " --json");
  REQUIRE(inspected.exit_code == 0);
  const nlohmann::json layers = nlohmann::json::parse(inspected.out)["spec"]["layers"];
  REQUIRE(layers.size() == 10);
  CHECK(layers[0]["dilation_rate"] == nlohmann::json{2, 2});
  CHECK(layers[0]["name"] == "block1/dilated");  // Keras-style names with '/'
  CHECK(layers[3]["inputs"][2] == "block1/dilated");
  CHECK(layers[1]["type"] == "leaky_relu");
  CHECK(layers[3]["type"] == "maximum");
  CHECK(layers[4]["center"] == false);
  CHECK(layers[4]["gamma_initializer"] == "random_normal");  // kept as written (TF.js's defaults: the named form)
  CHECK(layers[4]["moving_mean_initializer"] == "random_normal");
  CHECK(layers[5]["scale"] == false);
  CHECK(layers[6]["size"] == nlohmann::json{2, 1});
  std::ofstream(dir / "images.json") << images.dump();
  const Result predicted = run("predict --model " + model + " --input " + (dir / "images.json").string() + " --json");
  REQUIRE(predicted.exit_code == 0);
  check_close(nlohmann::json::parse(predicted.out)["outputs"], tfjs["more"]);
}

TEST_CASE("a model gapscope trains and saves with the same layers loads in TF.js and predicts the same",
          "[cli][tfjs][export]") {
  check_saved_model_predicts_as_tfjs(scratch("tfjs-more-export"), R"({"format": "gapscope.model/2", "name": "more",
    "input": {"shape": [28, 28, 1]},
    "layers": [
      {"type": "conv2d", "name": "dilated", "filters": 4, "kernel_size": 3, "dilation_rate": 2, "strides": 1},
      {"type": "leaky_relu", "name": "leaky", "alpha": 0.1},
      {"type": "relu", "name": "capped", "max_value": 2, "inputs": ["dilated"]},
      {"type": "maximum", "name": "highest", "inputs": ["leaky", "capped"]},
      {"type": "batch_normalization", "name": "bn", "center": false},
      {"type": "max_pooling2d", "name": "pool", "pool_size": 4},
      {"type": "up_sampling2d", "name": "up", "size": [2, 1]},
      {"type": "global_average_pooling2d", "name": "mean"},
      {"type": "dense", "name": "out", "units": 10, "activation": "softmax"}],
    "loss": "categorical_crossentropy", "optimizer": {"type": "sgd", "learning_rate": 0.05}})",
                                     two_images(false), "Model");
}

TEST_CASE("layer_normalization models TF.js wrote load and predict as TF.js",
          "[cli][tfjs][import][layer_normalization]") {
  const fs::path dir = scratch("tfjs-layer-norm");
  nlohmann::json steps = nlohmann::json::array(), pixels = nlohmann::json::array();
  for (int n = 0; n < 2; ++n) {
    nlohmann::json sequence = nlohmann::json::array(), image = nlohmann::json::array();
    for (int t = 0; t < 5; ++t) {
      nlohmann::json step = nlohmann::json::array(), row = nlohmann::json::array();
      for (int f = 0; f < 6; ++f) step.push_back(((t * 6 + f * 5 + n * 7) % 11) / 4.0 - 1.0);
      for (int x = 0; x < 5; ++x) row.push_back({((t * 5 + x + n) % 7) - 3.0, ((x * 3 + t + 2 * n) % 5) * 0.5});
      sequence.push_back(step);
      image.push_back(row);
    }
    steps.push_back(sequence);
    pixels.push_back(image);
  }
  const nlohmann::json tfjs = gapscope::test::run_node_on_harness(
      kWriteLayerNormModels, {{"dir", dir.string()}, {"steps", steps}, {"pixels", pixels}});

  const std::string sequence = (dir / "sequence.json").string();
  const Result inspected = run("inspect " + sequence + " --json");
  REQUIRE(inspected.exit_code == 0);
  const nlohmann::json layers = nlohmann::json::parse(inspected.out)["spec"]["layers"];
  REQUIRE(layers.size() == 6);
  CHECK(layers[1]["type"] == "layer_normalization");
  CHECK(layers[1]["axis"] == 2);  // TF.js writes [2] once built
  CHECK(layers[2]["center"] == false);
  CHECK(layers[2]["epsilon"] == 0.01);
  CHECK(layers[3]["scale"] == false);
  std::ofstream(dir / "steps.json") << steps.dump();
  const Result predicted = run("predict --model " + sequence + " --input " + (dir / "steps.json").string() + " --json");
  REQUIRE(predicted.exit_code == 0);
  check_close(nlohmann::json::parse(predicted.out)["outputs"], tfjs["sequence"]);

  const std::string images = (dir / "images.json").string();
  std::ofstream(dir / "pixels.json") << pixels.dump();
  const Result image_predicted =
      run("predict --model " + images + " --input " + (dir / "pixels.json").string() + " --json");
  REQUIRE(image_predicted.exit_code == 0);
  check_close(nlohmann::json::parse(image_predicted.out)["outputs"], tfjs["images"]);
}

TEST_CASE("layer_normalization models gapscope trains and saves as TF.js load in TF.js and predict the same",
          "[cli][tfjs][export][layer_normalization]") {
  check_saved_model_predicts_as_tfjs(scratch("tfjs-layer-norm-export"), R"({"format": "gapscope.model/1",
    "name": "normed", "input": {"shape": [28, 28, 1]},
    "layers": [
      {"type": "conv2d", "filters": 4, "kernel_size": 3, "strides": 2, "activation": "relu"},
      {"type": "layer_normalization", "axis": 3, "gamma_initializer": "random_normal"},
      {"type": "flatten"},
      {"type": "dense", "units": 16, "activation": "relu"},
      {"type": "layer_normalization", "scale": false, "epsilon": 0.01},
      {"type": "layer_normalization", "center": false},
      {"type": "dense", "units": 10, "activation": "softmax"}],
    "loss": "categorical_crossentropy", "optimizer": {"type": "adam", "learning_rate": 0.01}})",
                                     two_images(false), "Sequential");
}

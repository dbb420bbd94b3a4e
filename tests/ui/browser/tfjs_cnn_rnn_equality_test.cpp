// The same check as tfjs_equality_test for the CNN and RNN layers, through our
// TF.js export, the real page and bridge: TF.js's predictions and loss curves
// equal native-cpu's on the same weights and rows; ConvNetJS runs a CNN as
// native does; where a backend lacks a kernel, the job says so before timing.
#include <catch2/catch.hpp>

#include "tests/ui/browser/browser_test_support.h"
#include "ui/browser/browser_environment.h"

namespace gapscope::test {
namespace {

using nlohmann::json;

const json kSgd = {{"type", "sgd"}, {"learning_rate", 0.1}};

json spec(const std::string& name, const json& shape, const json& layers, const std::string& loss = "categorical_crossentropy",
          const json& optimizer = kSgd) {
  return {{"format", "gapscope.model/1"}, {"name", name}, {"input", {{"shape", shape}}},
          {"layers", layers}, {"loss", loss}, {"optimizer", optimizer}};
}

// Every CNN layer type: both paddings, strides > 1, both poolings, batch norm.
// TF.js 4.22's average-pooling gradient divides by the whole window even where
// `same` padding cut it (its forward divides by the in-image taps, as TF and
// we do): at the padded border its gradient is not that of its own forward.
// So the training comparison pools with valid padding; predictions use same.
json cnn(const std::string& average_padding) {
  return spec("cnn-avg-" + average_padding, {10, 9, 2},
                       {{{"type", "conv2d"}, {"filters", 4}, {"kernel_size", {3, 3}}, {"activation", "relu"}},
                        {{"type", "max_pooling2d"}, {"pool_size", {2, 2}}},
                        {{"type", "conv2d"}, {"filters", 5}, {"kernel_size", {3, 2}}, {"strides", {2, 1}},
                         {"padding", "same"}, {"activation", "tanh"}},
                        {{"type", "average_pooling2d"}, {"pool_size", {2, 2}}, {"padding", average_padding}},
                        {{"type", "batch_normalization"}},
                        {{"type", "flatten"}},
                        {{"type", "dense"}, {"units", 6}, {"activation", "softmax"}}});
}
const json kCnn = cnn("same"), kCnnTrainable = cnn("valid");
// Every recurrent type, stacked, with return_sequences on and off.
const json kRnn = spec("rnn", {6, 5},
                       {{{"type", "lstm"}, {"units", 8}, {"return_sequences", true}},
                        {{"type", "gru"}, {"units", 6}, {"return_sequences", true}},
                        {{"type", "simple_rnn"}, {"units", 4}},
                        {{"type", "dense"}, {"units", 5}, {"activation", "softmax"}}});
// Embedding ids in, per-step predictions out (sparse targets per step).
const json kEmbedding = spec("embedding", {7},
                             {{{"type", "embedding"}, {"input_dim", 9}, {"output_dim", 4}},
                              {{"type", "lstm"}, {"units", 5}, {"return_sequences", true}},
                              {{"type", "dense"}, {"units", 9}, {"activation", "softmax"}}},
                             "sparse_categorical_crossentropy");
// What ConvNetJS can express: square strides, valid padding, max pooling.
const json kConvNetJsCnn = spec("cnjs-cnn", {8, 8, 1},
                                {{{"type", "conv2d"}, {"filters", 3}, {"kernel_size", {3, 3}}, {"activation", "relu"}},
                                 {{"type", "max_pooling2d"}, {"pool_size", {2, 2}}},
                                 {{"type", "flatten"}},
                                 {{"type", "dense"}, {"units", 4}, {"activation", "softmax"}}});


}  // namespace

TEST_CASE("TF.js predictions equal native-cpu for CNN, RNN and embedding models", "[browser][equality]") {
  for (const std::string& backend : tfjs_backends()) {
    for (const json& model : {kCnn, kRnn, kEmbedding}) {
      INFO(backend << ", model " << model["name"]);
      const PredictionPair outputs = predictions_on_both(backend, model);
      REQUIRE(!outputs.native.empty());
      CHECK(worst_excess(outputs.browser, outputs.native, kRelative, kAbsolute) <= 0);
    }
  }
}

TEST_CASE("TF.js training steps of CNN and RNN models give native-cpu's losses", "[browser][equality]") {
  for (const std::string& backend : tfjs_backends()) {
    for (const json& model : {kCnnTrainable, kRnn, kEmbedding}) {
      const bool needs_conv_or_gather_gradients = model["name"] != "rnn";
      if (backend == "tfjs-wasm" && needs_conv_or_gather_gradients) continue;  // refused: next test
      INFO(backend << ", model " << model["name"]);
      const LossCurves curves = loss_curves_on_both(backend, model, 4);
      INFO("browser " << json(curves.browser).dump() << " native " << json(curves.native).dump());
      CHECK(worst_excess(curves.browser, curves.native, 1e-3, 1e-6) <= 0);
      CHECK(curves.native.back() < curves.native.front());
    }
  }
}

TEST_CASE("tfjs-wasm refuses to train conv2d and embedding models, naming the missing kernel", "[browser][equality]") {
  for (const json& model : {kCnn, kEmbedding}) {
    INFO(model["name"]);
    browser::BrowserRunner runner(shared_session(), "tfjs-wasm");
    try {
      runner.run(small_job(model, {"train"}), nullptr);
      FAIL("expected RunFailed");
    } catch (const RunFailed& e) {
      CHECK(e.reason() == "unsupported");
      CHECK_THAT(e.what(), Catch::Contains("unsupported by tfjs-wasm: training"));
    }
    // Inference is fine.
    browser::BrowserRunner infer(shared_session(), "tfjs-wasm");
    CHECK_FALSE(infer.run(small_job(model, {"infer"}), nullptr).empty());
  }
}

TEST_CASE("ConvNetJS runs a CNN as native-cpu does and refuses what it cannot express", "[browser][frameworks]") {
  const PredictionPair outputs = predictions_on_both("convnetjs", kConvNetJsCnn);
  CHECK(worst_excess(outputs.browser, outputs.native, kRelative, kAbsolute) <= 0);
  const LossCurves curves = loss_curves_on_both("convnetjs", kConvNetJsCnn, 4);
  CHECK(worst_excess(curves.browser, curves.native, 1e-3, 1e-6) <= 0);
  for (const auto& [backend, model] : {std::pair<std::string, json>{"convnetjs", kCnn}, {"convnetjs", kRnn},
                                       {"brainjs", kConvNetJsCnn}, {"synaptic", kRnn}}) {
    INFO(backend << ", " << model["name"]);
    browser::BrowserRunner runner(shared_session(), backend);
    try {
      runner.run(small_job(model), nullptr);
      FAIL("expected RunFailed");
    } catch (const RunFailed& e) {
      CHECK(e.reason() == "unsupported");
      CHECK_THAT(e.what(), Catch::Contains("unsupported by " + backend + ": "));
    }
  }
}

}  // namespace gapscope::test

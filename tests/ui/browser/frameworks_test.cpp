// ConvNetJS, brain.js and synaptic run the models they can express with the
// same weights as native-cpu, and refuse the others by name.
#include <catch2/catch.hpp>

#include "tests/ui/browser/browser_test_support.h"

namespace gapscope::test {
namespace {

nlohmann::json dense_spec(const std::string& name, const std::string& hidden, const std::string& output, int outputs,
                          const std::string& loss, const nlohmann::json& optimizer) {
  return {{"format", "gapscope.model/1"}, {"name", name}, {"input", {{"shape", {20}}}},
          {"layers", {{{"type", "dense"}, {"units", 16}, {"activation", hidden}},
                      {{"type", "dense"}, {"units", outputs}, {"activation", output}}}},
          {"loss", loss}, {"optimizer", optimizer}};
}

const nlohmann::json kSgd = {{"type", "sgd"}, {"learning_rate", 0.1}};

}  // namespace

TEST_CASE("ConvNetJS, brain.js and synaptic predict what native-cpu predicts", "[browser][frameworks]") {
  const std::pair<std::string, nlohmann::json> cases[] = {
      {"convnetjs", dense_spec("cnjs", "relu", "softmax", 10, "categorical_crossentropy", kSgd)},
      {"brainjs", dense_spec("brain", "sigmoid", "sigmoid", 10, "mean_squared_error", kSgd)},
      {"synaptic", dense_spec("syn", "tanh", "sigmoid", 1, "binary_crossentropy", kSgd)},
  };
  for (const auto& [backend, spec] : cases) {
    INFO(backend);
    const PredictionPair outputs = predictions_on_both(backend, spec);
    CHECK(worst_excess(outputs.browser, outputs.native, 1e-4, 1e-5) <= 0);
  }
}

TEST_CASE("ConvNetJS's SGD steps equal native-cpu's", "[browser][frameworks]") {
  const LossCurves curves =
      loss_curves_on_both("convnetjs", dense_spec("cnjs", "relu", "softmax", 10, "categorical_crossentropy", kSgd), 5);
  CHECK(worst_excess(curves.browser, curves.native, 1e-3, 1e-6) <= 0);
}

TEST_CASE("A model a framework cannot express fails as unsupported, never altered", "[browser][frameworks]") {
  const std::tuple<std::string, nlohmann::json, std::string> cases[] = {
      {"convnetjs", dense_spec("u", "relu", "softmax", 10, "categorical_crossentropy", {{"type", "adam"}}),
       "unsupported by convnetjs: optimizer adam"},
      {"brainjs", dense_spec("u", "relu", "softmax", 10, "categorical_crossentropy", kSgd), "unsupported by brainjs: "},
      {"synaptic", dense_spec("u", "elu", "sigmoid", 1, "binary_crossentropy", kSgd), "unsupported by synaptic: "},
  };
  for (const auto& [backend, spec, message] : cases) {
    INFO(backend);
    Job job = small_job(spec);
    browser::BrowserRunner runner(shared_session(), backend);
    try {
      runner.run(job, nullptr);
      FAIL("expected RunFailed");
    } catch (const RunFailed& e) {
      CHECK(e.reason() == "unsupported");
      CHECK_THAT(e.what(), Catch::Contains(message));
    }
  }
}

}  // namespace gapscope::test

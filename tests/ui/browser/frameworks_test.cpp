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
    Job job = checks_only_job(spec);
    browser::BrowserRunner runner(shared_session(), backend);
    runner.checks.predict_rows = 8;
    runner.run(job, nullptr);
    const nlohmann::json* predictions = find_record(runner.check_records(), "predictions");
    REQUIRE(predictions != nullptr);
    CHECK(worst_excess(flattened_outputs(*predictions), native_predictions(job, runner.last_job().x, 8), 1e-4, 1e-5) <= 0);
  }
}

TEST_CASE("ConvNetJS's SGD steps equal native-cpu's", "[browser][frameworks]") {
  Job job = checks_only_job(dense_spec("cnjs", "relu", "softmax", 10, "categorical_crossentropy", kSgd));
  browser::BrowserRunner runner(shared_session(), "convnetjs");
  runner.checks.train_steps_check = 5;
  runner.run(job, nullptr);
  const nlohmann::json* curve = find_record(runner.check_records(), "loss_curve");
  REQUIRE(curve != nullptr);
  const auto expected = native_losses(job, runner.last_job().x, runner.last_job().target, 5);
  CHECK(worst_excess(curve->at("losses").get<std::vector<float>>(), expected, 1e-3, 1e-6) <= 0);
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

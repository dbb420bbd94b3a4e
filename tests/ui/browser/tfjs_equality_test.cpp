// Same weights, same rows: TF.js (a peer implementation nobody here wrote)
// must give native-cpu's predictions and loss curves. This checks our engine
// and our TF.js export together, through the real page and bridge.
#include <catch2/catch.hpp>

#include "tests/ui/browser/browser_test_support.h"
#include "ui/browser/browser_environment.h"

namespace gapscope::test {
namespace {

// Every activation and every layer type the browser runs, over three models.
const nlohmann::json kModels[] = {
    {{"format", "gapscope.model/1"}, {"name", "act-a"}, {"input", {{"shape", {20}}}},
     {"layers", {{{"type", "dense"}, {"units", 12}, {"activation", "relu"}},
                 {{"type", "dense"}, {"units", 12}, {"activation", "elu"}},
                 {{"type", "dense"}, {"units", 12}, {"activation", "selu"}},
                 {{"type", "dense"}, {"units", 12}, {"activation", "softplus"}},
                 {{"type", "dense"}, {"units", 12}, {"activation", "softsign"}},
                 {{"type", "dense"}, {"units", 10}, {"activation", "softmax"}}}},
     {"loss", "categorical_crossentropy"}, {"optimizer", {{"type", "sgd"}, {"learning_rate", 0.1}}}},
    {{"format", "gapscope.model/1"}, {"name", "act-b"}, {"input", {{"shape", {20}}}},
     {"layers", {{{"type", "dense"}, {"units", 12}, {"activation", "tanh"}},
                 {{"type", "activation"}, {"activation", "sigmoid"}},
                 {{"type", "dropout"}, {"rate", 0.3}},
                 {{"type", "dense"}, {"units", 12}, {"activation", "hard_sigmoid"}},
                 {{"type", "dense"}, {"units", 12}, {"activation", "relu6"}},
                 {{"type", "dense"}, {"units", 12}, {"activation", "swish"}},
                 {{"type", "dense"}, {"units", 10}, {"activation", "linear"}}}},
     {"loss", "mean_squared_error"}, {"optimizer", {{"type", "sgd"}, {"learning_rate", 0.1}}}},
    {{"format", "gapscope.model/1"}, {"name", "act-c"}, {"input", {{"shape", {20}}}},
     {"layers", {{{"type", "dense"}, {"units", 12}, {"activation", "mish"}},
                 {{"type", "dense"}, {"units", 12}, {"activation", "gelu"}},
                 {{"type", "dense"}, {"units", 12}, {"use_bias", false}},
                 {{"type", "dense"}, {"units", 1}, {"activation", "sigmoid"}}}},
     {"loss", "binary_crossentropy"}, {"optimizer", {{"type", "sgd"}, {"learning_rate", 0.1}}}},
};

nlohmann::json mlp_with_optimizer(const nlohmann::json& optimizer) {
  return {{"format", "gapscope.model/1"}, {"name", "mlp-20-16-10"}, {"input", {{"shape", {20}}}},
          {"layers", {{{"type", "dense"}, {"units", 16}, {"activation", "relu"}},
                      {{"type", "dense"}, {"units", 10}, {"activation", "softmax"}}}},
          {"loss", "categorical_crossentropy"}, {"optimizer", optimizer}};
}


}  // namespace

TEST_CASE("TF.js predictions equal native-cpu for every activation and layer type", "[browser][equality]") {
  for (const std::string& backend : tfjs_backends()) {
    for (const nlohmann::json& spec : kModels) {
      INFO(backend << ", model " << spec["name"]);
      const PredictionPair outputs = predictions_on_both(backend, spec);
      CHECK(worst_excess(outputs.browser, outputs.native, kRelative, kAbsolute) <= 0);
    }
  }
}

TEST_CASE("5 SGD and 5 Adam steps in TF.js give native-cpu's losses", "[browser][equality]") {
  const nlohmann::json optimizers[] = {{{"type", "sgd"}, {"learning_rate", 0.1}},
                                       {{"type", "adam"}, {"learning_rate", 0.01}}};
  for (const std::string& backend : tfjs_backends()) {
    for (const nlohmann::json& optimizer : optimizers) {
      INFO(backend << ", " << optimizer.dump());
      const LossCurves curves = loss_curves_on_both(backend, mlp_with_optimizer(optimizer), 5);
      INFO("browser " << nlohmann::json(curves.browser).dump() << " native " << nlohmann::json(curves.native).dump());
      CHECK(worst_excess(curves.browser, curves.native, 1e-3, 1e-6) <= 0);
      CHECK(curves.native.back() < curves.native.front());  // it trains: the check is not vacuous
    }
  }
}

}  // namespace gapscope::test

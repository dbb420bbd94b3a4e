// PyTorch as oracle: for specs across every activation, loss and optimizer, the
// same initial weights give the same forward outputs, loss, gradients and
// weights after 5 optimizer steps as PyTorch (float64) computes them.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "core/nn/model.h"
#include "core/base/random.h"
#include "core/ops/cpu/cpu_backend.h"
#include "core/spec/model_spec.h"
#include "core/train/targets.h"
#include "tests/core/oracle/oracle_support.h"

namespace gapscope {
namespace {

using namespace oracle;
constexpr int64_t kBatch = 5, kInputs = 6, kHidden = 5, kOutputs = 4;
constexpr int kSteps = 5;

struct Case {
  ModelSpec spec;
  std::vector<float> input, target;
};

Activation output_activation_for(Loss loss, size_t i) {
  switch (loss) {
    case Loss::categorical_crossentropy:
    case Loss::sparse_categorical_crossentropy: return Activation::softmax;
    case Loss::binary_crossentropy: return Activation::sigmoid;
    case Loss::mean_squared_error: return i % 2 ? Activation::tanh : Activation::linear;
  }
  return Activation::linear;
}

// Case i: dense(act_i) -> [activation layer | dropout] -> dense(output act), with
// loss and optimizer rotating so that each appears several times.
Case make_case(size_t i) {
  const auto& acts = all_activations();
  const auto& losses = all_losses();
  const auto& optimizers = all_optimizers();
  Loss loss = losses[i % losses.size()];
  ModelSpec spec;
  spec.name = "oracle-" + std::to_string(i);
  spec.input_shape = {kInputs};
  LayerSpec hidden;
  hidden.type = "dense";
  hidden.units = kHidden;
  hidden.activation = acts[i % acts.size()];
  hidden.use_bias = i % 5 != 3;
  spec.layers.push_back(hidden);
  if (i % 3 == 1) {
    LayerSpec act;
    act.type = "activation";
    act.activation = acts[(i + 5) % acts.size()];
    spec.layers.push_back(act);
  } else if (i % 3 == 2) {
    LayerSpec drop;
    drop.type = "dropout";
    drop.rate = 0.0f;  // a real mask cannot be reproduced in PyTorch; rate 0 checks the plumbing
    spec.layers.push_back(drop);
  }
  LayerSpec out;
  out.type = "dense";
  out.units = kOutputs;
  out.activation = output_activation_for(loss, i);
  spec.layers.push_back(out);
  spec.loss = loss;
  spec.optimizer = default_optimizer_config(optimizers[i % optimizers.size()]);
  spec.optimizer.learning_rate = 0.05f;
  // PyTorch adds epsilon outside the square root where TF.js adds it inside; a
  // negligible epsilon (far below any g^2 here) makes both rules agree, so this
  // checks the rest of the update.
  // The TF.js placement itself is checked by the hand-computed optimizer tests.
  spec.optimizer.epsilon = 1e-20f;
  if (i % 2) spec.optimizer.nesterov = true;
  validate_model_spec(spec);

  Case c{spec, {}, {}};
  Rng rng(100 + i);
  for (int64_t k = 0; k < kBatch * kInputs; ++k) c.input.push_back(static_cast<float>(rng.normal()));
  int64_t target_size = loss == Loss::sparse_categorical_crossentropy ? 1 : kOutputs;
  if (loss == Loss::mean_squared_error || loss == Loss::binary_crossentropy) {
    for (int64_t k = 0; k < kBatch * target_size; ++k) c.target.push_back(rng.uniform());
  } else {
    std::vector<int32_t> labels;
    for (int64_t k = 0; k < kBatch; ++k) labels.push_back(static_cast<int32_t>(rng.below(kOutputs)));
    c.target.resize(static_cast<size_t>(kBatch * target_size));
    encode_targets(loss, labels, target_size, c.target);
  }
  return c;
}

struct NativeResult {
  std::vector<float> output;
  float loss;
  WeightSet gradients, weights_after;
};

}  // namespace

TEST_CASE("engine matches PyTorch on every activation, loss and optimizer", "[oracle][pytorch]") {
  CpuBackend cpu(1);
  constexpr size_t kCases = 28;  // every activation twice, every loss 7x, every optimizer 4x
  std::vector<Case> cases;
  std::vector<NativeResult> native;
  nlohmann::json oracle_cases = nlohmann::json::array();
  for (size_t i = 0; i < kCases; ++i) {
    Case c = make_case(i);
    Model model(c.spec, cpu, 1000 + i);
    WeightSet initial = model.weights();
    NativeResult r;
    model.stage_batch(c.input, c.target, kBatch);
    r.loss = model.compute_gradients();
    for (Parameter* p : model.parameters()) {
      NamedArray g{p->name, p->grad.shape(), std::vector<float>(static_cast<size_t>(p->grad.size()))};
      cpu.download(p->grad, g.values);
      r.gradients.push_back(std::move(g));
    }
    r.output.resize(static_cast<size_t>(kBatch * kOutputs));
    model.predict(c.input, kBatch, r.output);

    Model trained(c.spec, cpu, 1000 + i, &initial);
    trained.stage_batch(c.input, c.target, kBatch);
    for (int s = 0; s < kSteps; ++s) trained.train_step();
    r.weights_after = trained.weights();

    oracle_cases.push_back({{"spec", model_spec_to_json(c.spec)},
                            {"weights", weights_json(initial)},
                            {"input", rows_json(c.input, kInputs)},
                            {"target", rows_json(c.target, model.target_size())},
                            {"steps", kSteps}});
    cases.push_back(std::move(c));
    native.push_back(std::move(r));
  }
  nlohmann::json oracle = run_oracle(oracle_cases, "dense");

  for (size_t i = 0; i < kCases; ++i) {
    const ModelSpec& spec = cases[i].spec;
    const NativeResult& r = native[i];
    const nlohmann::json& o = oracle[i];
    INFO("case " << i << ": hidden " << activation_name(spec.layers[0].activation) << ", loss "
                 << loss_name(spec.loss) << ", optimizer " << optimizer_name(spec.optimizer.kind));
    CHECK(relative_error(r.output, o["output"].get<std::vector<double>>()) < 1e-4);
    CHECK(relative_error({r.loss}, {o["loss"].get<double>()}) < 1e-4);
    for (const NamedArray& g : r.gradients) {
      INFO("gradient of " << g.name);
      CHECK(relative_error(g.values, o["gradients"][g.name].get<std::vector<double>>()) < 1e-4);
    }
    for (const NamedArray& w : r.weights_after) {
      INFO("weights after " << kSteps << " steps: " << w.name);
      CHECK(relative_error(w.values, o["weights_after"][w.name].get<std::vector<double>>()) < 1e-4);
    }
  }
}

}  // namespace gapscope

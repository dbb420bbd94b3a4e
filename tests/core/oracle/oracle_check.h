// The check both PyTorch oracle tests make (layers, graphs): each case's model
// runs on the engine (CPU, one thread): inference with its initial weights,
// the loss and the gradient of every trainable weight of one batch, and the
// weights after kOracleSteps training steps on it; one oracle run does the
// same in float64; outputs, loss, gradients and weights must agree within
// 1e-4 relative (per tensor, see relative_error).
#pragma once
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "core/base/random.h"
#include "core/nn/model.h"
#include "core/ops/cpu/cpu_backend.h"
#include "core/spec/model_spec.h"
#include "core/train/targets.h"
#include "tests/core/oracle/oracle_support.h"

namespace gapscope::oracle {

constexpr int kOracleSteps = 5;

struct OracleCase {
  std::string what;
  ModelSpec spec;
  int64_t batch = 1;
  // One input value (the case's distribution: away from kinks where it can be).
  std::function<float(Rng&)> draw_input;
};

// The optimizer both sides run: lr 0.05, and (as in pytorch_oracle_test.cpp)
// a negligible epsilon, since PyTorch adds epsilon outside the square root
// and TF.js inside. Validates the spec.
inline void prepare_oracle_spec(ModelSpec& spec, OptimizerKind optimizer) {
  spec.optimizer = default_optimizer_config(optimizer);
  spec.optimizer.learning_rate = 0.05f;
  spec.optimizer.epsilon = 1e-20f;
  validate_model_spec(spec);
}

namespace detail {

struct EngineResult {
  int64_t input_size = 0, target_size = 0;  // per sample
  std::vector<float> input, target, output;
  float loss = 0;
  WeightSet initial, gradients, weights_after;
};

// Inputs by the case's rule, then targets: values in [0, 1) for regression
// and binary losses, else classes (one-hot or sparse).
inline void draw_batch(const OracleCase& c, const Model& model, uint64_t seed, EngineResult& r) {
  Rng rng(seed);
  for (int64_t k = 0; k < c.batch * model.input_size(); ++k) r.input.push_back(c.draw_input(rng));
  const int64_t predictions = c.batch * model.predictions_per_sample();
  const int64_t classes = model.output_size() / model.predictions_per_sample();
  r.target.resize(static_cast<size_t>(c.batch * model.target_size()));
  if (c.spec.loss == Loss::mean_squared_error || c.spec.loss == Loss::binary_crossentropy) {
    for (float& t : r.target) t = rng.uniform();
    return;
  }
  std::vector<int32_t> labels;
  for (int64_t k = 0; k < predictions; ++k)
    labels.push_back(static_cast<int32_t>(rng.below(static_cast<uint64_t>(classes))));
  const int64_t per_prediction = c.spec.loss == Loss::sparse_categorical_crossentropy ? 1 : classes;
  encode_targets(c.spec.loss, labels, per_prediction, r.target);
}

inline EngineResult run_engine(const OracleCase& c, CpuBackend& cpu, uint64_t model_seed, uint64_t data_seed) {
  EngineResult r;
  Model model(c.spec, cpu, model_seed);
  draw_batch(c, model, data_seed, r);
  r.input_size = model.input_size();
  r.target_size = model.target_size();
  r.initial = model.weights();
  // Inference first: with the initial moving statistics, as the oracle's
  // output (a training forward may move them).
  r.output.resize(static_cast<size_t>(c.batch * model.output_size()));
  model.predict(r.input, c.batch, r.output);
  model.stage_batch(r.input, r.target, c.batch);
  r.loss = model.compute_gradients();
  for (Parameter* p : model.parameters()) {
    if (!p->trainable) continue;  // moving statistics: no gradient
    NamedArray g{p->name, p->grad.shape(), std::vector<float>(static_cast<size_t>(p->grad.size()))};
    cpu.download(p->grad, g.values);
    r.gradients.push_back(std::move(g));
  }
  Model trained(c.spec, cpu, model_seed, &r.initial);
  trained.stage_batch(r.input, r.target, c.batch);
  for (int s = 0; s < kOracleSteps; ++s) trained.train_step();
  r.weights_after = trained.weights();
  return r;
}

// Each of `mine` has its oracle array under `key`, within 1e-4; the worst error.
inline double check_named(const WeightSet& mine, const nlohmann::json& theirs, const std::string& what) {
  CHECK(mine.size() == theirs.size());
  double worst = 0;
  for (const NamedArray& a : mine) {
    INFO(what << " " << a.name);
    REQUIRE(theirs.contains(a.name));
    const double e = relative_error(a.values, theirs[a.name].get<std::vector<double>>());
    CHECK(e < 1e-4);
    worst = std::max(worst, e);
  }
  return worst;
}

}  // namespace detail

// Case i's model is drawn from model_seed + i and its batch from data_seed + i.
// `tag` names the oracle's exchange files.
inline void check_engine_against_oracle(const std::vector<OracleCase>& cases, uint64_t model_seed,
                                        uint64_t data_seed, const std::string& tag) {
  CpuBackend cpu(1);
  std::vector<detail::EngineResult> native;
  nlohmann::json oracle_cases = nlohmann::json::array();
  for (size_t i = 0; i < cases.size(); ++i) {
    INFO("case " << i << ": " << cases[i].what);
    detail::EngineResult r = detail::run_engine(cases[i], cpu, model_seed + i, data_seed + i);
    oracle_cases.push_back({{"spec", model_spec_to_json(cases[i].spec)},
                            {"weights", weights_json(r.initial)},
                            {"input", rows_json(r.input, r.input_size)},
                            {"target", rows_json(r.target, r.target_size)},
                            {"steps", kOracleSteps}});
    native.push_back(std::move(r));
  }
  const nlohmann::json oracle = run_oracle(oracle_cases, tag);
  std::ostringstream summary;
  for (size_t i = 0; i < cases.size(); ++i) {
    const OracleCase& c = cases[i];
    const detail::EngineResult& r = native[i];
    const nlohmann::json& o = oracle[i];
    INFO("case " << i << ": " << c.what << "; loss " << loss_name(c.spec.loss) << ", optimizer "
                 << optimizer_name(c.spec.optimizer.kind));
    double worst = relative_error(r.output, o["output"].get<std::vector<double>>());
    CHECK(worst < 1e-4);
    const double loss_error = relative_error({r.loss}, {o["loss"].get<double>()});
    CHECK(loss_error < 1e-4);
    // Every trainable weight has an oracle gradient and vice versa; the same for the weights after.
    worst = std::max({worst, loss_error, detail::check_named(r.gradients, o["gradients"], "gradient of"),
                      detail::check_named(r.weights_after, o["weights_after"],
                                          "weights after " + std::to_string(kOracleSteps) + " steps:")});
    summary << "case " << i << " (" << c.what << "): max relative error " << worst << "\n";
  }
  // The per-case maxima, for the record (shown with -s).
  INFO(summary.str());
  SUCCEED();
}

}  // namespace gapscope::oracle

// CpuBackend optimizer_update: three steps of every TF.js rule against a
// double-precision reference written here, plus one hand-computed number per
// optimizer, slot checks and thread splitting.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "core/base/random.h"
#include "core/ops/cpu/cpu_backend.h"
#include "tests/core/ops/host_tensors.h"

namespace gapscope {
namespace {

using test::to_tensor;
using test::to_vector;

const std::vector<double> kStartWeights = {1.0, -2.0, 0.5, 0.0};
// Gradients of steps 1..3; the last element's gradient is 0 at step 2.
const std::vector<std::vector<double>> kGradients = {
    {0.5, -1.0, 0.25, 0.1}, {0.3, 0.2, -0.4, 0.0}, {-0.2, 0.6, 0.1, 0.05}};

// The TF.js update rules (tfjs-core src/optimizers/*.ts), in double precision,
// for one weight and its state.
struct Reference {
  double w;
  double s[3] = {0, 0, 0};

  void step(const OptimizerConfig& c, int t, double g) {
    const double lr = c.learning_rate, eps = c.epsilon;
    switch (c.kind) {
      case OptimizerKind::sgd: w -= lr * g; break;
      case OptimizerKind::momentum: {
        s[0] = c.momentum * s[0] + g;
        w -= c.nesterov ? lr * (g + c.momentum * s[0]) : lr * s[0];
        break;
      }
      case OptimizerKind::adagrad: {
        if (t == 1) s[0] = c.initial_accumulator;
        s[0] += g * g;
        w -= lr * g / std::sqrt(s[0] + eps);
        break;
      }
      case OptimizerKind::adadelta: {  // the step reads the accumulator from before this gradient
        double update = std::sqrt(s[1] + eps) / std::sqrt(s[0] + eps) * g;
        s[0] = c.rho * s[0] + (1 - c.rho) * g * g;
        s[1] = c.rho * s[1] + (1 - c.rho) * update * update;
        w -= lr * update;
        break;
      }
      case OptimizerKind::adam: {
        s[0] = c.beta1 * s[0] + (1 - c.beta1) * g;
        s[1] = c.beta2 * s[1] + (1 - c.beta2) * g * g;
        double m_hat = s[0] / (1 - std::pow(c.beta1, t));
        double v_hat = s[1] / (1 - std::pow(c.beta2, t));
        w -= lr * m_hat / (std::sqrt(v_hat) + eps);
        break;
      }
      case OptimizerKind::adamax: {
        s[0] = c.beta1 * s[0] + (1 - c.beta1) * g;
        s[1] = std::max(c.beta2 * s[1], std::fabs(g));
        double lr_t = lr / (1 + (t - 1) * static_cast<double>(c.decay));
        w -= lr_t / (1 - std::pow(c.beta1, t)) * s[0] / (s[1] + eps);
        break;
      }
      case OptimizerKind::rmsprop: {
        s[0] = c.rho * s[0] + (1 - c.rho) * g * g;
        double denominator;
        if (c.centered) {
          s[2] = c.rho * s[2] + (1 - c.rho) * g;
          denominator = std::sqrt(s[0] - (s[2] * s[2] + eps));  // TF.js subtracts eps
        } else {
          denominator = std::sqrt(s[0] + eps);
        }
        s[1] = c.momentum * s[1] + lr * g / denominator;
        w -= s[1];
        break;
      }
    }
  }
};

struct Run {
  std::vector<std::vector<float>> weights;  // after each step
};

Run run_backend(const OptimizerConfig& config, int threads = 1) {
  CpuBackend ops(threads);
  const int64_t n = static_cast<int64_t>(kStartWeights.size());
  Tensor w = to_tensor(ops, {n}, std::vector<float>(kStartWeights.begin(), kStartWeights.end()));
  std::vector<Tensor> slots;
  for (int i = 0; i < optimizer_slot_count(config.kind); ++i) slots.push_back(ops.allocate({n}));
  Run run;
  for (int t = 1; t <= 3; ++t) {
    const auto& g = kGradients[static_cast<size_t>(t - 1)];
    Tensor grad = to_tensor(ops, {n}, std::vector<float>(g.begin(), g.end()));
    ops.optimizer_update(config, t, w, grad, slots);
    run.weights.push_back(to_vector(ops, w));
  }
  return run;
}

// Checks three steps against the reference; returns the backend's weights.
Run check_against_reference(const OptimizerConfig& config, const char* what) {
  Run run = run_backend(config);
  for (size_t i = 0; i < kStartWeights.size(); ++i) {
    Reference ref{kStartWeights[i]};
    for (int t = 1; t <= 3; ++t) {
      ref.step(config, t, kGradients[static_cast<size_t>(t - 1)][i]);
      float got = run.weights[static_cast<size_t>(t - 1)][i];
      INFO(what << ": weight " << i << " after step " << t << " = " << got << ", reference "
                << ref.w);
      CHECK(got == Approx(ref.w).margin(2e-6).epsilon(1e-5));
    }
  }
  return run;
}

OptimizerConfig config_of(OptimizerKind kind, float learning_rate) {
  OptimizerConfig c = default_optimizer_config(kind);
  c.learning_rate = learning_rate;
  return c;
}

}  // namespace

TEST_CASE("optimizer_update: sgd", "[cpu][optimizer]") {
  Run run = check_against_reference(config_of(OptimizerKind::sgd, 0.1f), "sgd");
  CHECK(run.weights[0][0] == Approx(0.95f));  // 1 - 0.1 * 0.5
}

TEST_CASE("optimizer_update: momentum, plain and nesterov", "[cpu][optimizer]") {
  OptimizerConfig c = config_of(OptimizerKind::momentum, 0.1f);
  Run run = check_against_reference(c, "momentum");
  CHECK(run.weights[0][0] == Approx(0.95f));   // a = 0.5; 1 - 0.1 * 0.5
  CHECK(run.weights[1][0] == Approx(0.875f));  // a = 0.9 * 0.5 + 0.3 = 0.75; 0.95 - 0.075
  c.nesterov = true;
  run = check_against_reference(c, "nesterov momentum");
  CHECK(run.weights[0][0] == Approx(0.905f));  // 1 - 0.1 * (0.5 + 0.9 * 0.5)
}

TEST_CASE("optimizer_update: adagrad starts its accumulator at 0.1", "[cpu][optimizer]") {
  Run run = check_against_reference(config_of(OptimizerKind::adagrad, 0.1f), "adagrad");
  // a = 0.1 + 0.25 = 0.35; 1 - 0.1 * 0.5 / sqrt(0.35 + 1e-7) = 1 - 0.0845154
  CHECK(run.weights[0][0] == Approx(0.9154846f).epsilon(1e-6));
}

TEST_CASE("optimizer_update: adadelta steps with the previous accumulated gradient, as TF.js",
          "[cpu][optimizer]") {
  Run run = check_against_reference(config_of(OptimizerKind::adadelta, 1.0f), "adadelta");
  // Step 1: both accumulators are 0, so the update is sqrt(eps)/sqrt(eps) * g = g: 1 - 0.5.
  CHECK(run.weights[0][0] == Approx(0.5f));
  // Step 2: acc_grad = 0.05 * 0.25 = 0.0125 = acc_update, so the update is g again: 0.5 - 0.3.
  CHECK(run.weights[1][0] == Approx(0.2f).epsilon(1e-5));
  OptimizerConfig c = config_of(OptimizerKind::adadelta, 0.5f);
  c.rho = 0.9f;
  check_against_reference(c, "adadelta rho 0.9");
}

TEST_CASE("optimizer_update: adam with bias correction", "[cpu][optimizer]") {
  OptimizerConfig c = config_of(OptimizerKind::adam, 0.1f);
  Run run = check_against_reference(c, "adam");
  // m_hat = 0.5, v_hat = 0.25: 1 - 0.1 * 0.5 / (0.5 + 1e-7)
  CHECK(run.weights[0][0] == Approx(0.90000002f).epsilon(1e-7));
  c.beta1 = 0.5f;
  c.beta2 = 0.8f;
  c.epsilon = 1e-3f;
  check_against_reference(c, "adam, other betas");
}

TEST_CASE("optimizer_update: adamax with and without decay", "[cpu][optimizer]") {
  OptimizerConfig c = config_of(OptimizerKind::adamax, 0.1f);
  Run run = check_against_reference(c, "adamax");
  // m = 0.05, u = 0.5: 1 - 0.1 / (1 - 0.9) * 0.05 / (0.5 + 1e-7)
  CHECK(run.weights[0][0] == Approx(0.90000002f).epsilon(1e-7));
  c.decay = 0.5f;
  run = check_against_reference(c, "adamax decay 0.5");
  // Step 1 has iteration 0, so decay does not touch it.
  CHECK(run.weights[0][0] == Approx(0.90000002f).epsilon(1e-7));
}

TEST_CASE("optimizer_update: rmsprop plain, with momentum, centered", "[cpu][optimizer]") {
  OptimizerConfig c = config_of(OptimizerKind::rmsprop, 0.1f);
  Run run = check_against_reference(c, "rmsprop");
  // ms = 0.1 * 0.25 = 0.025; 1 - 0.1 * 0.5 / sqrt(0.025 + 1e-7) = 1 - 0.3162271
  CHECK(run.weights[0][0] == Approx(0.6837729f).epsilon(1e-6));
  c.momentum = 0.8f;
  check_against_reference(c, "rmsprop momentum 0.8");
  c.momentum = 0.0f;
  c.centered = true;
  run = check_against_reference(c, "centered rmsprop");
  // mg = 0.05: 1 - 0.05 / sqrt(0.025 - (0.0025 + 1e-7)) = 1 - 0.05 / 0.1499997
  CHECK(run.weights[0][0] == Approx(0.6666659f).epsilon(1e-6));
}

TEST_CASE("optimizer_update checks step, shapes and slot count", "[cpu][optimizer]") {
  CpuBackend ops(1);
  Tensor w = ops.allocate({3}), g = ops.allocate({3}), wrong = ops.allocate({4});
  std::vector<Tensor> one{ops.allocate({3})};
  std::vector<Tensor> two{ops.allocate({3}), ops.allocate({4})};
  OptimizerConfig adam = default_optimizer_config(OptimizerKind::adam);
  CHECK_THROWS_WITH(ops.optimizer_update(adam, 1, w, g, one),
                    Catch::Contains("adam") && Catch::Contains("2 slots"));
  CHECK_THROWS_WITH(ops.optimizer_update(adam, 1, w, g, two), Catch::Contains("slot"));
  CHECK_THROWS_AS(ops.optimizer_update(adam, 1, w, wrong, one), std::invalid_argument);
  std::vector<Tensor> none;
  CHECK_THROWS_WITH(
      ops.optimizer_update(default_optimizer_config(OptimizerKind::sgd), 0, w, g, none),
      Catch::Contains("step"));
}

TEST_CASE("optimizer_update gives the same bits on 1 and 2 threads", "[cpu][optimizer][threads]") {
  const int64_t n = 100003;  // large and odd: uneven ranges
  Rng rng(9);
  std::vector<float> w0(n), g(n);
  for (float& v : w0) v = rng.uniform(-1, 1);
  for (float& v : g) v = rng.uniform(-1, 1);
  for (OptimizerKind kind : all_optimizers()) {
    INFO(optimizer_name(kind));
    OptimizerConfig c = default_optimizer_config(kind);
    std::vector<float> results[2];
    for (int threads = 1; threads <= 2; ++threads) {
      CpuBackend ops(threads);
      Tensor w = to_tensor(ops, {n}, w0), grad = to_tensor(ops, {n}, g);
      std::vector<Tensor> slots;
      for (int i = 0; i < optimizer_slot_count(kind); ++i) slots.push_back(ops.allocate({n}));
      for (int t = 1; t <= 2; ++t) ops.optimizer_update(c, t, w, grad, slots);
      results[threads - 1] = to_vector(ops, w);
    }
    CHECK(results[0] == results[1]);
  }
}

}  // namespace gapscope

// Optimizer names, tfjs-layers' defaults for a bare name, and slot counts.
#include <catch2/catch.hpp>

#include "core/base/optimizer_config.h"

namespace gapscope {

TEST_CASE("optimizer names round-trip and accept TF.js spellings", "[nn][optimizer]") {
  CHECK(all_optimizers().size() == 7);
  for (OptimizerKind k : all_optimizers()) CHECK(parse_optimizer(optimizer_name(k)) == k);
  CHECK(parse_optimizer("RMSProp") == OptimizerKind::rmsprop);
  CHECK(parse_optimizer("SGD") == OptimizerKind::sgd);
  CHECK(parse_optimizer("Adamax") == OptimizerKind::adamax);
  CHECK(parse_optimizer("nadam") == std::nullopt);
  CHECK(parse_optimizer("") == std::nullopt);
}

TEST_CASE("optimizer defaults are those of tfjs-layers getOptimizer()", "[nn][optimizer]") {
  OptimizerConfig sgd = default_optimizer_config(OptimizerKind::sgd);
  CHECK(sgd.kind == OptimizerKind::sgd);
  CHECK(sgd.learning_rate == 0.01f);

  OptimizerConfig momentum = default_optimizer_config(OptimizerKind::momentum);
  CHECK(momentum.learning_rate == 0.01f);
  CHECK(momentum.momentum == 0.9f);
  CHECK_FALSE(momentum.nesterov);

  OptimizerConfig adagrad = default_optimizer_config(OptimizerKind::adagrad);
  CHECK(adagrad.learning_rate == 0.01f);
  CHECK(adagrad.initial_accumulator == 0.1f);
  CHECK(adagrad.epsilon == 1e-7f);

  OptimizerConfig adadelta = default_optimizer_config(OptimizerKind::adadelta);
  CHECK(adadelta.learning_rate == 1.0f);
  CHECK(adadelta.rho == 0.95f);
  CHECK(adadelta.epsilon == 1e-7f);

  OptimizerConfig adam = default_optimizer_config(OptimizerKind::adam);
  CHECK(adam.learning_rate == 0.001f);
  CHECK(adam.beta1 == 0.9f);
  CHECK(adam.beta2 == 0.999f);
  CHECK(adam.epsilon == 1e-7f);

  OptimizerConfig adamax = default_optimizer_config(OptimizerKind::adamax);
  CHECK(adamax.learning_rate == 0.002f);
  CHECK(adamax.beta1 == 0.9f);
  CHECK(adamax.beta2 == 0.999f);
  CHECK(adamax.epsilon == 1e-7f);
  CHECK(adamax.decay == 0.0f);

  OptimizerConfig rmsprop = default_optimizer_config(OptimizerKind::rmsprop);
  CHECK(rmsprop.learning_rate == 0.001f);
  CHECK(rmsprop.rho == 0.9f);
  CHECK(rmsprop.momentum == 0.0f);
  CHECK(rmsprop.epsilon == 1e-7f);
  CHECK_FALSE(rmsprop.centered);
}

TEST_CASE("optimizer slot counts", "[nn][optimizer]") {
  CHECK(optimizer_slot_count(OptimizerKind::sgd) == 0);
  CHECK(optimizer_slot_count(OptimizerKind::momentum) == 1);
  CHECK(optimizer_slot_count(OptimizerKind::adagrad) == 1);
  CHECK(optimizer_slot_count(OptimizerKind::adadelta) == 2);
  CHECK(optimizer_slot_count(OptimizerKind::adam) == 2);
  CHECK(optimizer_slot_count(OptimizerKind::adamax) == 2);
  CHECK(optimizer_slot_count(OptimizerKind::rmsprop) == 3);  // mean gradient used when centered
}

}  // namespace gapscope

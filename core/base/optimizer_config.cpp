// Optimizer names, the defaults tfjs-layers' getOptimizer() builds for a bare
// name, and how many state tensors each update rule keeps.
#include "core/base/optimizer_config.h"
#include "core/base/enum_names.h"

#include <stdexcept>
#include <string>

namespace gapscope {
namespace {

constexpr EnumName<OptimizerKind> kNames[] = {
    {OptimizerKind::sgd, "sgd"},         {OptimizerKind::momentum, "momentum"},
    {OptimizerKind::adagrad, "adagrad"}, {OptimizerKind::adadelta, "adadelta"},
    {OptimizerKind::adam, "adam"},       {OptimizerKind::adamax, "adamax"},
    {OptimizerKind::rmsprop, "rmsprop"},
};

// TF.js's backend epsilon for float32 backends (cpu, wasm, webgl with float32 textures).
constexpr float kBackendEpsilon = 1e-7f;

}  // namespace

std::string_view optimizer_name(OptimizerKind k) { return name_of<OptimizerKind>(kNames, k, "optimizer"); }

std::optional<OptimizerKind> parse_optimizer(std::string_view name) { return parse_name<OptimizerKind>(kNames, name); }

const std::vector<OptimizerKind>& all_optimizers() {
  static const std::vector<OptimizerKind> all = all_values<OptimizerKind>(kNames);
  return all;
}

// tfjs-layers optimizers.ts getOptimizer(); 'momentum' is not in that map, so
// it takes tf.train.momentum(0.01, 0.9).
OptimizerConfig default_optimizer_config(OptimizerKind k) {
  OptimizerConfig c;
  c.kind = k;
  c.epsilon = kBackendEpsilon;
  switch (k) {
    case OptimizerKind::sgd: c.learning_rate = 0.01f; break;
    case OptimizerKind::momentum:
      c.learning_rate = 0.01f;
      c.momentum = 0.9f;
      c.nesterov = false;
      break;
    case OptimizerKind::adagrad:
      c.learning_rate = 0.01f;
      c.initial_accumulator = 0.1f;
      break;
    case OptimizerKind::adadelta:
      c.learning_rate = 1.0f;
      c.rho = 0.95f;
      break;
    case OptimizerKind::adam:
      c.learning_rate = 0.001f;
      c.beta1 = 0.9f;
      c.beta2 = 0.999f;
      break;
    case OptimizerKind::adamax:
      c.learning_rate = 0.002f;
      c.beta1 = 0.9f;
      c.beta2 = 0.999f;
      c.decay = 0.0f;
      break;
    case OptimizerKind::rmsprop:
      c.learning_rate = 0.001f;
      c.rho = 0.9f;
      c.momentum = 0.0f;
      c.centered = false;
      break;
  }
  return c;
}

// rmsprop always gets 3 (mean square, moment, mean gradient) because the count
// cannot depend on `centered`; the third stays unused when not centered.
int optimizer_slot_count(OptimizerKind k) {
  switch (k) {
    case OptimizerKind::sgd: return 0;
    case OptimizerKind::momentum: return 1;
    case OptimizerKind::adagrad: return 1;
    case OptimizerKind::adadelta: return 2;
    case OptimizerKind::adam: return 2;
    case OptimizerKind::adamax: return 2;
    case OptimizerKind::rmsprop: return 3;
  }
  throw std::invalid_argument("optimizer_slot_count: unknown optimizer " +
                              std::to_string(static_cast<int>(k)));
}

}  // namespace gapscope

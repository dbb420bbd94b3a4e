// Optimizers with TF.js's update rules and the defaults of tfjs-layers'
// string names ('sgd', 'adam', ...). `momentum` is tf.train.momentum.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gapscope {

enum class OptimizerKind { sgd, momentum, adagrad, adadelta, adam, adamax, rmsprop };

struct OptimizerConfig {
  OptimizerKind kind = OptimizerKind::sgd;
  float learning_rate = 0.01f;
  float momentum = 0.9f;       // momentum, rmsprop
  bool nesterov = false;       // momentum
  float beta1 = 0.9f;          // adam, adamax
  float beta2 = 0.999f;        // adam, adamax
  float rho = 0.95f;           // adadelta; rmsprop's decay
  float epsilon = 1e-7f;
  float initial_accumulator = 0.1f;  // adagrad
  float decay = 0.0f;          // adamax learning-rate decay
  bool centered = false;       // rmsprop
};

std::string_view optimizer_name(OptimizerKind k);
std::optional<OptimizerKind> parse_optimizer(std::string_view name);
const std::vector<OptimizerKind>& all_optimizers();
// The config tfjs-layers builds for the bare name (learning rate included).
OptimizerConfig default_optimizer_config(OptimizerKind k);
// Slots (state tensors of the parameter's shape) the optimizer keeps.
int optimizer_slot_count(OptimizerKind k);

}  // namespace gapscope

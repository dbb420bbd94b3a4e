// Optimizer updates on Vulkan: one element-wise kernel per kind
// (optimizer.comp) with TF.js's rules; the per-step scalars are computed here
// exactly as the CPU backend computes them (core/ops/cpu/cpu_backend_optimizer.cpp).
#include <cmath>
#include <string>

#include "core/ops/op_checks.h"
#include "gpu/vulkan/vulkan_backend.h"

namespace gapscope::gpu {
namespace {

struct OptimizerParams {
  uint32_t n;
  float lr, momentum, beta1, beta2, rho, epsilon, initial_accumulator;
  float bias_correction1, bias_correction2, adamax_step;
  uint32_t nesterov, centered, first_step;
};

}  // namespace

void VulkanBackend::optimizer_update(const OptimizerConfig& config, int64_t step, Tensor& param, const Tensor& grad,
                                     std::span<Tensor> slots) {
  check_optimizer_operands(config, step, param, grad, slots);
  if (param.size() == 0) return;
  OptimizerParams k{};
  k.n = static_cast<uint32_t>(param.size());
  k.lr = config.learning_rate;
  k.momentum = config.momentum;
  k.beta1 = config.beta1;
  k.beta2 = config.beta2;
  k.rho = config.rho;
  k.epsilon = config.epsilon;
  k.initial_accumulator = config.initial_accumulator;
  // As the CPU's step_constants: TF.js keeps beta^step as a float32 variable.
  k.bias_correction1 = 1.0f - static_cast<float>(std::pow(static_cast<double>(config.beta1), step));
  k.bias_correction2 = 1.0f - static_cast<float>(std::pow(static_cast<double>(config.beta2), step));
  // TF.js's `iteration` counts from 0 on the first step.
  const float adamax_learning_rate = config.learning_rate / (1.0f + static_cast<float>(step - 1) * config.decay);
  k.adamax_step = -adamax_learning_rate / k.bias_correction1;
  k.nesterov = config.nesterov ? 1u : 0u;
  k.centered = config.centered ? 1u : 0u;
  k.first_step = step == 1 ? 1u : 0u;

  const std::string kernel = "optimizer_" + std::string(optimizer_name(config.kind));
  const std::string shape = shape_to_string(param.shape());
  const Groups groups = linear_groups(param.size());
  switch (slots.size()) {
    case 0: run(kernel, {out(param), in(grad)}, k, groups, shape); break;
    case 1: run(kernel, {out(param), in(grad), out(slots[0])}, k, groups, shape); break;
    case 2: run(kernel, {out(param), in(grad), out(slots[0]), out(slots[1])}, k, groups, shape); break;
    default:
      run(kernel, {out(param), in(grad), out(slots[0]), out(slots[1]), out(slots[2])}, k, groups, shape);
      break;
  }
}

}  // namespace gapscope::gpu

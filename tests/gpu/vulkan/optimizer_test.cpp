// Optimizer updates on Vulkan against the CPU backend: every kind over three
// steps (step 1 initialises adagrad's accumulator; bias corrections change
// every step), nesterov momentum, centered rmsprop, adamax with decay, edge
// sizes and a large parameter; parameters and every slot are compared after
// each step; the argument errors.
//
// Tolerance: each step is a handful of float operations per element (sqrt and
// division within a few ulps on the GPU, which may also fuse multiply-adds),
// repeated three times: relative 1e-5. Slots are sums like m a + g whose terms
// (|g| <= 1, |a| <= 2.71 after three steps) may cancel: their error is a few
// ulps of the terms, absolute 1e-6 (4 ulps of 2.71). Parameters move by lr
// times an update of up to about 1 (adadelta's lr is 1): where the result
// cancels to near 0, a few ulps of 1, absolute 1e-6 as well; a wrong rule
// moves them by about lr (>= 1e-3). Gradients are kept at |g| >= 0.05 so centered rmsprop's
// sqrt(ms - (mg^2 + eps)) stays far from its NaN edge.
#include <catch2/catch.hpp>
#include <functional>
#include <string>
#include <vector>

#include "core/base/random.h"
#include "tests/gpu/vulkan/backend_pair.h"

namespace gapscope::gpu::test {
namespace {

std::vector<float> gradient(int64_t n, uint64_t seed) {
  Rng rng(seed);
  std::vector<float> g(static_cast<size_t>(n));
  for (float& v : g) v = (rng.uniform() < 0.5f ? -1.0f : 1.0f) * rng.uniform(0.05f, 1.0f);
  return g;
}

void check_optimizer(const OptimizerConfig& config, const std::string& label, int64_t n, uint64_t seed) {
  const Shape shape{n};
  Pair param = random_pair(shape, seed);
  const int count = optimizer_slot_count(config.kind);
  std::vector<Tensor> cpu_slots, gpu_slots;
  for (int i = 0; i < count; ++i) {
    cpu_slots.push_back(cpu().allocate(shape));
    gpu_slots.push_back(vulkan().allocate(shape));
  }
  for (int64_t step = 1; step <= 3; ++step) {
    Pair grad = pair_of(shape, gradient(n, seed + 10 * static_cast<uint64_t>(step)));
    cpu().optimizer_update(config, step, param.cpu, grad.cpu, cpu_slots);
    vulkan().optimizer_update(config, step, param.gpu, grad.gpu, gpu_slots);
    const std::string what = label + " n " + std::to_string(n) + " step " + std::to_string(step);
    require_close(param, 1e-5, 1e-6, what + " param");
    for (int i = 0; i < count; ++i)
      require_close(Pair{cpu_slots[static_cast<size_t>(i)], gpu_slots[static_cast<size_t>(i)]}, 1e-5, 1e-6,
                    what + " slot " + std::to_string(i));
  }
}

std::vector<std::pair<std::string, OptimizerConfig>> configs() {
  std::vector<std::pair<std::string, OptimizerConfig>> all;
  for (OptimizerKind k : all_optimizers()) all.emplace_back(std::string(optimizer_name(k)), default_optimizer_config(k));
  OptimizerConfig nesterov = default_optimizer_config(OptimizerKind::momentum);
  nesterov.nesterov = true;
  all.emplace_back("momentum nesterov", nesterov);
  OptimizerConfig centered = default_optimizer_config(OptimizerKind::rmsprop);
  centered.centered = true;
  centered.momentum = 0.5f;
  all.emplace_back("rmsprop centered momentum 0.5", centered);
  OptimizerConfig rms_momentum = default_optimizer_config(OptimizerKind::rmsprop);
  rms_momentum.momentum = 0.9f;
  all.emplace_back("rmsprop momentum 0.9", rms_momentum);
  OptimizerConfig adamax = default_optimizer_config(OptimizerKind::adamax);
  adamax.decay = 0.1f;
  all.emplace_back("adamax decay 0.1", adamax);
  OptimizerConfig adam = default_optimizer_config(OptimizerKind::adam);
  adam.learning_rate = 0.05f;
  adam.beta1 = 0.5f;
  all.emplace_back("adam lr 0.05 beta1 0.5", adam);
  OptimizerConfig adagrad = default_optimizer_config(OptimizerKind::adagrad);
  adagrad.initial_accumulator = 0.5f;
  all.emplace_back("adagrad initial 0.5", adagrad);
  return all;
}

}  // namespace

TEST_CASE("vulkan optimizer updates match the CPU over three steps", "[gpu][ops][optimizer]") {
  uint64_t seed = 600;
  for (const auto& [label, config] : configs())
    for (int64_t n : {1, 3, 65, 257, 70000}) check_optimizer(config, label, n, seed += 100);
}

TEST_CASE("vulkan optimizer updates a view inside a larger allocation", "[gpu][ops][optimizer]") {
  // Parameters of several layers packed in one allocation: the update must stay in its rows.
  const OptimizerConfig config = default_optimizer_config(OptimizerKind::adam);
  Pair all = random_pair({10, 13}, 3);
  Pair slot_all_m{cpu().allocate({10, 13}), vulkan().allocate({10, 13})};
  Pair slot_all_v{cpu().allocate({10, 13}), vulkan().allocate({10, 13})};
  Pair param{all.cpu.rows(3, 4), all.gpu.rows(3, 4)};
  std::vector<Tensor> cpu_slots{slot_all_m.cpu.rows(5, 4), slot_all_v.cpu.rows(1, 4)};
  std::vector<Tensor> gpu_slots{slot_all_m.gpu.rows(5, 4), slot_all_v.gpu.rows(1, 4)};
  for (int64_t step = 1; step <= 3; ++step) {
    Pair grad = pair_of({4, 13}, gradient(52, 70 + static_cast<uint64_t>(step)));
    cpu().optimizer_update(config, step, param.cpu, grad.cpu, cpu_slots);
    vulkan().optimizer_update(config, step, param.gpu, grad.gpu, gpu_slots);
  }
  require_close(all, 1e-5, 1e-6, "adam view: the whole allocation");
  require_close(slot_all_m, 1e-5, 1e-6, "adam view: m allocation");
  require_close(slot_all_v, 1e-5, 1e-6, "adam view: v allocation");
}

TEST_CASE("vulkan optimizer_update rejects bad arguments as the CPU does", "[gpu][ops][optimizer]") {
  require_same_error([](OpsBackend& ops) {
    Tensor w = ops.allocate({4}), g = ops.allocate({4});
    ops.optimizer_update(default_optimizer_config(OptimizerKind::sgd), 0, w, g, {});
  });
  require_same_error([](OpsBackend& ops) {
    Tensor w = ops.allocate({4}), g = ops.allocate({5});
    ops.optimizer_update(default_optimizer_config(OptimizerKind::sgd), 1, w, g, {});
  });
  require_same_error([](OpsBackend& ops) {
    Tensor w = ops.allocate({4}), g = ops.allocate({4});
    std::vector<Tensor> slots{ops.allocate({4})};
    ops.optimizer_update(default_optimizer_config(OptimizerKind::adam), 1, w, g, slots);
  });
  require_same_error([](OpsBackend& ops) {
    Tensor w = ops.allocate({4}), g = ops.allocate({4});
    std::vector<Tensor> slots{ops.allocate({4}), ops.allocate({2, 2})};
    ops.optimizer_update(default_optimizer_config(OptimizerKind::adam), 1, w, g, slots);
  });
}

}  // namespace gapscope::gpu::test

// native-cpu optimizer updates with TF.js's rules (tfjs-core src/optimizers/*.ts),
// including where TF.js differs from the papers and from PyTorch:
//   adagrad   eps inside the sqrt; accumulator starts at initial_accumulator (0.1).
//   adadelta  the step uses the accumulated squared gradient from BEFORE this
//             step's gradient is added (PyTorch and the paper use the new one);
//             so step 1 moves w by exactly lr * g.
//   adamax    lr / (1 + (step - 1) * decay); eps added to u outside the max
//             (PyTorch: max(b2 u, |g| + eps)).
//   rmsprop   eps inside the sqrt; lr folded into the momentum buffer; the
//             centered form takes sqrt(ms - (mg^2 + eps)), subtracting eps
//             (TensorFlow adds it), so it gives NaN where ms - mg^2 < eps.
// Each rule is one pass of Eigen array expressions over the parameter, split
// over the thread pool for large parameters.
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "core/ops/cpu/cpu_backend.h"
#include "core/ops/cpu/parallel_ranges.h"
#include "core/ops/cpu/thread_pool.h"
#include "core/ops/op_checks.h"

namespace gapscope {
namespace {

using Array = Eigen::Map<Eigen::ArrayXf>;
using ConstArray = Eigen::Map<const Eigen::ArrayXf>;

// adadelta's per-step update is staged in a stack buffer of this many floats.
constexpr int64_t kBlock = 1024;


// Scalars of one update, computed once per call.
struct StepConstants {
  float bias_correction1 = 1.0f;  // 1 - beta1^step (adam, adamax)
  float bias_correction2 = 1.0f;  // 1 - beta2^step (adam)
  float adamax_learning_rate = 0.0f;
};

StepConstants step_constants(const OptimizerConfig& c, int64_t step) {
  StepConstants k;
  // TF.js keeps beta^step as a float32 variable; the float rounding matches it to an ulp or two.
  k.bias_correction1 = 1.0f - static_cast<float>(std::pow(static_cast<double>(c.beta1), step));
  k.bias_correction2 = 1.0f - static_cast<float>(std::pow(static_cast<double>(c.beta2), step));
  // TF.js's `iteration` counts from 0 on the first step.
  k.adamax_learning_rate = c.learning_rate / (1.0f + static_cast<float>(step - 1) * c.decay);
  return k;
}

// The parameter, its gradient and slots, restricted to one range.
struct Streams {
  Array w;
  ConstArray g;
  float* slot[3];
  int64_t n;
  Array s(int i) const { return Array(slot[i], n); }
};

void sgd(const OptimizerConfig& c, Streams& x) { x.w += -c.learning_rate * x.g; }

// a = m a + g;  w -= lr a   (nesterov: w -= lr (g + m a))
void momentum(const OptimizerConfig& c, Streams& x) {
  Array a = x.s(0);
  a = c.momentum * a + x.g;
  if (c.nesterov)
    x.w += -c.learning_rate * (x.g + a * c.momentum);
  else
    x.w += -c.learning_rate * a;
}

// a += g^2;  w -= lr g / sqrt(a + eps)
void adagrad(const OptimizerConfig& c, int64_t step, Streams& x) {
  Array a = x.s(0);
  if (step == 1) a.setConstant(c.initial_accumulator);
  a += x.g.square();
  x.w += (x.g / (a + c.epsilon).sqrt()) * -c.learning_rate;
}

// u = sqrt(acc_update + eps) / sqrt(acc_grad_OLD + eps) * g
// acc_grad = rho acc_grad + (1 - rho) g^2;  acc_update = rho acc_update + (1 - rho) u^2
// w -= lr u
void adadelta(const OptimizerConfig& c, Streams& x) {
  const float rho = c.rho, one_minus_rho = 1.0f - c.rho;
  alignas(64) float buffer[kBlock];
  for (int64_t b = 0; b < x.n; b += kBlock) {
    int64_t m = std::min(kBlock, x.n - b);
    Array u(buffer, m), w(x.w.data() + b, m);
    ConstArray g(x.g.data() + b, m);
    Array acc_grad(x.slot[0] + b, m), acc_update(x.slot[1] + b, m);
    u = (acc_update + c.epsilon).sqrt() / (acc_grad + c.epsilon).sqrt() * g;
    acc_grad = acc_grad * rho + g.square() * one_minus_rho;
    acc_update = acc_update * rho + u.square() * one_minus_rho;
    w += u * -c.learning_rate;
  }
}

// m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
// w -= lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
void adam(const OptimizerConfig& c, const StepConstants& k, Streams& x) {
  Array m = x.s(0), v = x.s(1);
  m = m * c.beta1 + x.g * (1.0f - c.beta1);
  v = v * c.beta2 + x.g.square() * (1.0f - c.beta2);
  x.w +=
      ((m / k.bias_correction1) / ((v / k.bias_correction2).sqrt() + c.epsilon)) * -c.learning_rate;
}

// m = b1 m + (1 - b1) g;  u = max(b2 u, |g|)
// w -= lr / (1 + (t - 1) decay) / (1 - b1^t) * m / (u + eps)
void adamax(const OptimizerConfig& c, const StepConstants& k, Streams& x) {
  Array m = x.s(0), u = x.s(1);
  m = m * c.beta1 + x.g * (1.0f - c.beta1);
  u = (u * c.beta2).max(x.g.abs());
  x.w += (-k.adamax_learning_rate / k.bias_correction1) * (m / (u + c.epsilon));
}

// ms = rho ms + (1 - rho) g^2
// plain:    mom = momentum mom + lr g / sqrt(ms + eps)
// centered: mg = rho mg + (1 - rho) g;  mom = momentum mom + lr g / sqrt(ms - (mg^2 + eps))
// w -= mom
void rmsprop(const OptimizerConfig& c, Streams& x) {
  Array ms = x.s(0), mom = x.s(1);
  const float one_minus_rho = 1.0f - c.rho;
  ms = ms * c.rho + x.g.square() * one_minus_rho;
  if (c.centered) {
    Array mg = x.s(2);
    mg = mg * c.rho + x.g * one_minus_rho;
    mom = mom * c.momentum + (x.g * c.learning_rate) / (ms - (mg.square() + c.epsilon)).sqrt();
  } else {
    mom = mom * c.momentum + (x.g * c.learning_rate) / (ms + c.epsilon).sqrt();
  }
  x.w -= mom;
}

}  // namespace

// param [N], grad [N], slots optimizer_slot_count x [N]; step counts from 1.
void CpuBackend::optimizer_update(const OptimizerConfig& config, int64_t step, Tensor& param,
                                  const Tensor& grad, std::span<Tensor> slots) {
  check_optimizer_operands(config, step, param, grad, slots);
  const int wanted = optimizer_slot_count(config.kind);

  const StepConstants constants = step_constants(config, step);
  float* w = param.data();
  const float* g = grad.data();
  float* slot[3] = {nullptr, nullptr, nullptr};
  for (int i = 0; i < wanted; ++i) slot[i] = slots[static_cast<size_t>(i)].data();

  const bool cheap = config.kind == OptimizerKind::sgd || config.kind == OptimizerKind::momentum;
  const int64_t grain = cheap ? kGrainCheap : kGrainCostly;
  for_ranges(pool_.get(), param.size(), grain, [&](int64_t b, int64_t e) {
    const int64_t n = e - b;
    Streams x{Array(w + b, n), ConstArray(g + b, n), {}, n};
    for (int i = 0; i < 3; ++i) x.slot[i] = slot[i] ? slot[i] + b : nullptr;
    switch (config.kind) {
      case OptimizerKind::sgd: sgd(config, x); break;
      case OptimizerKind::momentum: momentum(config, x); break;
      case OptimizerKind::adagrad: adagrad(config, step, x); break;
      case OptimizerKind::adadelta: adadelta(config, x); break;
      case OptimizerKind::adam: adam(config, constants, x); break;
      case OptimizerKind::adamax: adamax(config, constants, x); break;
      case OptimizerKind::rmsprop: rmsprop(config, x); break;
    }
  });
}

}  // namespace gapscope

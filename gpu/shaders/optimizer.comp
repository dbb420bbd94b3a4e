// variants: optimizer_sgd:KIND=0 optimizer_momentum:KIND=1 optimizer_adagrad:KIND=2 optimizer_adadelta:KIND=3 optimizer_adam:KIND=4 optimizer_adamax:KIND=5 optimizer_rmsprop:KIND=6
#version 450
// One optimizer update of w from g with TF.js's rules, element-wise, as
// core/ops/cpu/cpu_backend_optimizer.cpp (see there for where TF.js differs
// from the papers). KIND numbers enum class OptimizerKind; the slots s0..s2
// are bound as the kind has them. Per-step scalars (bias corrections, adamax's
// step size) come from the host, computed as the CPU computes them.
#include "common.glsl"
LINEAR_LAYOUT
PUSH(uint n; float lr; float momentum; float beta1; float beta2; float rho; float epsilon;
     float initial_accumulator; float bias_correction1; float bias_correction2; float adamax_step;
     uint nesterov; uint centered; uint first_step;)
OUT(0, w)
IN(1, g)
#if KIND >= 1
OUT(2, s0)
#endif
#if KIND >= 3
OUT(3, s1)
#endif
#if KIND == 6
OUT(4, s2)
#endif

void main() {
  FOR_EACH(i, p.n) {
    const uint wi = p.off[0] + i;
    const float gi = g[p.off[1] + i];
#if KIND >= 1
    const uint a0 = p.off[2] + i;
#endif
#if KIND >= 3
    const uint a1 = p.off[3] + i;
#endif
#if KIND == 0
    // sgd: w -= lr g
    w[wi] += -p.lr * gi;
#elif KIND == 1
    // momentum: a = m a + g;  w -= lr a  (nesterov: w -= lr (g + m a))
    const float a = p.momentum * s0[a0] + gi;
    s0[a0] = a;
    w[wi] += p.nesterov != 0u ? -p.lr * (gi + a * p.momentum) : -p.lr * a;
#elif KIND == 2
    // adagrad: a = (step 1: initial_accumulator) + g^2;  w -= lr g / sqrt(a + eps)
    const float a = (p.first_step != 0u ? p.initial_accumulator : s0[a0]) + gi * gi;
    s0[a0] = a;
    w[wi] += (gi / sqrt(a + p.epsilon)) * -p.lr;
#elif KIND == 3
    // adadelta: u = sqrt(acc_update + eps) / sqrt(acc_grad_OLD + eps) * g
    const float one_minus_rho = 1.0 - p.rho;
    const float acc_grad = s0[a0], acc_update = s1[a1];
    const float u = sqrt(acc_update + p.epsilon) / sqrt(acc_grad + p.epsilon) * gi;
    s0[a0] = acc_grad * p.rho + gi * gi * one_minus_rho;
    s1[a1] = acc_update * p.rho + u * u * one_minus_rho;
    w[wi] += u * -p.lr;
#elif KIND == 4
    // adam: m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
    //       w -= lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
    const float m = s0[a0] * p.beta1 + gi * (1.0 - p.beta1);
    const float v = s1[a1] * p.beta2 + gi * gi * (1.0 - p.beta2);
    s0[a0] = m;
    s1[a1] = v;
    w[wi] += ((m / p.bias_correction1) / (sqrt(v / p.bias_correction2) + p.epsilon)) * -p.lr;
#elif KIND == 5
    // adamax: m = b1 m + (1 - b1) g;  u = max(b2 u, |g|)
    //         w -= lr / (1 + (t - 1) decay) / (1 - b1^t) * m / (u + eps)   (adamax_step: all but m / (u + eps), negated)
    const float m = s0[a0] * p.beta1 + gi * (1.0 - p.beta1);
    const float u = max(s1[a1] * p.beta2, abs(gi));
    s0[a0] = m;
    s1[a1] = u;
    w[wi] += p.adamax_step * (m / (u + p.epsilon));
#elif KIND == 6
    // rmsprop: ms = rho ms + (1 - rho) g^2
    //   plain:    mom = momentum mom + lr g / sqrt(ms + eps)
    //   centered: mg = rho mg + (1 - rho) g;  mom = momentum mom + lr g / sqrt(ms - (mg^2 + eps))
    //   w -= mom
    const float one_minus_rho = 1.0 - p.rho;
    const float ms = s0[a0] * p.rho + gi * gi * one_minus_rho;
    s0[a0] = ms;
    float denominator;
    if (p.centered != 0u) {
      const uint a2 = p.off[4] + i;
      const float mg = s2[a2] * p.rho + gi * one_minus_rho;
      s2[a2] = mg;
      denominator = sqrt(ms - (mg * mg + p.epsilon));
    } else {
      denominator = sqrt(ms + p.epsilon);
    }
    const float mom = s1[a1] * p.momentum + (gi * p.lr) / denominator;
    s1[a1] = mom;
    w[wi] -= mom;
#endif
  }
}

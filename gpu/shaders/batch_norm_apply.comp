// variants: bn_forward:MODE=0 bn_backward_dx:MODE=1
#version 450
// Element-wise batch normalization over x [R, C] (column c = e % C), with the
// per-column factors of core/ops/cpu/cpu_backend_batch_norm.cpp:
//   MODE 0  y  = x * s + (beta - mean * s),  s = gamma / sqrt(var + eps)
//   MODE 1  dx = gamma * inv * (dy - dbeta / R - (x - mean) * inv * dgamma / R),
//           inv = 1 / sqrt(var + eps)   (dbeta, dgamma: batch_norm_sums)
#include "common.glsl"
LINEAR_LAYOUT
PUSH(uint n; uint C; float rows; float epsilon;)
IN(0, x)
IN(1, mean)
IN(2, variance)
IN(3, gamma)
#if MODE == 0
IN(4, beta)
OUT(5, y)
#else
IN(4, dy)
IN(5, dbeta)
IN(6, dgamma)
OUT(7, dx)
#endif

void main() {
  FOR_EACH(e, p.n) {
    const uint c = e % p.C;
    const float m = mean[p.off[1] + c];
    const float inv_std = 1.0 / sqrt(variance[p.off[2] + c] + p.epsilon);
#if MODE == 0
    const float s = gamma[p.off[3] + c] * inv_std;
    y[p.off[5] + e] = x[p.off[0] + e] * s + (beta[p.off[4] + c] - m * s);
#else
    const float k = gamma[p.off[3] + c] * inv_std;
    const float mean_db = dbeta[p.off[5] + c] / p.rows, mean_dg = dgamma[p.off[6] + c] / p.rows;
    dx[p.off[7] + e] = k * (dy[p.off[4] + e] - mean_db - (x[p.off[0] + e] - m) * inv_std * mean_dg);
#endif
  }
}

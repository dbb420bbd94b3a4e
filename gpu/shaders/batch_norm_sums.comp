// variants: bn_sum:MODE=0 bn_squared_deviation:MODE=1 bn_gradient_sums:MODE=2
#version 450
// Column sums over the rows of x [R, C] for batch normalization, first pass:
//   MODE 0 (moments' mean)      S0 = sum_r x
//   MODE 1 (moments' variance)  S0 = sum_r (x - mean)^2
//   MODE 2 (backward)           S0 = sum_r dy, S1 = sum_r dy * (x - mean) / sqrt(var + eps)
// Workgroup (g, t) covers rows [g*rows_per_group, ...) of the column tile
// [t*W, t*W + W), W = min(C, 256): invocation k reads column k % W of every
// (256 / W)-th row from row k / W, so neighbouring invocations read
// neighbouring floats. The per-invocation sums are added in shared memory in a
// fixed order (deterministic, no atomics). With one row group (`final`) the
// sums divided by `divisor` go straight to out0 (and out1); otherwise they go
// to part [groups, NS, C] for bn_finish.
#include "common.glsl"
LINEAR_LAYOUT
PUSH(uint R; uint C; uint W; uint rows_per_group; uint final; float divisor; float epsilon;)
IN(0, x)
IN(1, dy)        // MODE 2; x otherwise (unused)
IN(2, mean)      // MODE 1, 2
IN(3, variance)  // MODE 2
OUT(4, part)
OUT(5, out0)
OUT(6, out1)

#if MODE == 2
const uint NS = 2;
#else
const uint NS = 1;
#endif

shared float sums[NS][256];

void main() {
  const uint k = gl_LocalInvocationID.x;
  const uint W = p.W, lanes = 256u / W;
  const uint lane = k / W, c = gl_WorkGroupID.y * W + k % W;
  const uint r0 = gl_WorkGroupID.x * p.rows_per_group, r1 = min(p.R, r0 + p.rows_per_group);
  float s0 = 0.0, s1 = 0.0;
  if (lane < lanes && c < p.C) {
#if MODE >= 1
    const float m = mean[p.off[2] + c];
#endif
#if MODE == 2
    const float inv = 1.0 / sqrt(variance[p.off[3] + c] + p.epsilon);
#endif
    for (uint r = r0 + lane; r < r1; r += lanes) {
      const float v = x[p.off[0] + r * p.C + c];
#if MODE == 0
      s0 += v;
#elif MODE == 1
      const float d = v - m;
      s0 += d * d;
#else
      const float g = dy[p.off[1] + r * p.C + c];
      s0 += g;
      s1 += g * (v - m) * inv;
#endif
    }
  }
  sums[0][k] = s0;
#if MODE == 2
  sums[1][k] = s1;
#endif
  barrier();
  if (k >= W || c >= p.C) return;
  for (uint s = 0; s < NS; ++s) {
    float total = 0.0;
    for (uint l = 0; l < lanes; ++l) total += sums[s][l * W + k];
    if (p.final != 0u) {
      if (s == 0u)
        out0[p.off[5] + c] = total / p.divisor;
      else
        out1[p.off[6] + c] = total / p.divisor;
    } else {
      part[p.off[4] + (gl_WorkGroupID.x * NS + s) * p.C + c] = total;
    }
  }
}

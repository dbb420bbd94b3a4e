// variants: row_total_mean:COUNT=0 row_total_count:COUNT=1
#version 450
// Finishes a loss or an accuracy count from the per-row values of row_ops.comp,
// in one workgroup: each invocation sums a strided share, then a fixed
// shared-memory tree (deterministic).
//   COUNT=0  result[0] = mean of the n row losses
//   COUNT=1  result[0] = (sum of the n row counts, whole numbers) / divisor,
//            rounded once to float (the CPU sums count/divisor in double and
//            rounds the total: the same float below 2^24 counts)
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require
#include "common.glsl"
layout(local_size_x = 256) in;
PUSH(uint n; uint divisor;)
IN(0, v)
OUT(1, result)

#if COUNT
shared uint part[256];

// t / d rounded to the nearest float (ties to even), exactly, with integers:
// scale so that the quotient q has 25 bits, then round on its last bit and
// the remainder.
float divide_rounded(uint t, uint d) {
  if (t == 0u) return 0.0;
  uint64_t num = t, den = d;
  int e = 0;  // q = num / den = t / d * 2^e
  while (num < (den << 24)) { num <<= 1; ++e; }
  while (num >= (den << 25)) { den <<= 1; --e; }
  const uint64_t q = num / den, r = num - q * den;
  uint mantissa = uint(q >> 1);
  if ((q & 1ul) != 0ul && (r != 0ul || (mantissa & 1u) != 0u)) ++mantissa;
  return ldexp(float(mantissa), 1 - e);
}
#else
shared float part[256];
#endif

void main() {
  const uint tid = gl_LocalInvocationID.x;
#if COUNT
  uint s = 0u;
  for (uint i = tid; i < p.n; i += 256u) s += uint(v[p.off[0] + i]);
#else
  float s = 0.0;
  for (uint i = tid; i < p.n; i += 256u) s += v[p.off[0] + i];
#endif
  part[tid] = s;
  barrier();
  [[unroll]] for (uint stride = 128; stride > 0; stride >>= 1) {
    if (tid < stride) part[tid] += part[tid + stride];
    barrier();
  }
  if (tid == 0) {
#if COUNT
    result[p.off[1]] = divide_rounded(part[0], p.divisor);
#else
    result[p.off[1]] = part[0] / float(p.n);
#endif
  }
}

#version 450
// Dropout with the CPU's mask bit for bit: u = hash_uniform(seed, i) from
// core/nn/random.h, i.e. output i+1 of a splitmix64 stream whose state starts
// at splitmix64_mix(seed) (the host passes that start, `base`), top 24 bits:
//   z = mix(base + (i + 1) * 0x9E3779B97F4A7C15);  u = (z >> 40) * 2^-24
//   mask = u >= rate ? keep_scale : 0;  y = x * mask
// keep_scale = 1 / (1 - rate) is rounded to float on the host, as the CPU does.
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require
#include "common.glsl"
LINEAR_LAYOUT
PUSH(uint n; uint base_lo; uint base_hi; float rate; float keep_scale;)
IN(0, x)
OUT(1, mask)
OUT(2, y)

uint64_t splitmix64_mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ul;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBul;
  return z ^ (z >> 31);
}

void main() {
  const uint64_t base = (uint64_t(p.base_hi) << 32) | uint64_t(p.base_lo);
  FOR_EACH(i, p.n) {
    const uint64_t state = base + (uint64_t(i) + 1ul) * 0x9E3779B97F4A7C15ul;
    // uint -> float is exact here (24 bits); 2^-24 scales exactly.
    const float u = float(uint(splitmix64_mix(state) >> 40)) * 5.9604644775390625e-8;
    const float m = u >= p.rate ? p.keep_scale : 0.0;
    mask[p.off[1] + i] = m;
    y[p.off[2] + i] = x[p.off[0] + i] * m;
  }
}

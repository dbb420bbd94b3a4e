// Deterministic, seeded random numbers (xoshiro256**, seeded by splitmix64):
// the same seed gives the same weights, shuffles and dropout masks everywhere.
#pragma once
#include <cstdint>

namespace gapscope {

class Rng {
 public:
  explicit Rng(uint64_t seed);
  uint64_t next_u64();
  float uniform();                        // [0, 1)
  float uniform(float low, float high);   // [low, high)
  double normal();                        // mean 0, stddev 1
  float truncated_normal(float stddev);   // redrawn beyond 2 stddev
  uint64_t below(uint64_t bound);         // [0, bound), unbiased

 private:
  uint64_t s_[4];
};

// splitmix64's output function (Steele, Lea, Flood 2014): a bijective 64-bit mix.
inline uint64_t splitmix64_mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// A counter-based hash giving a uniform [0,1) float per (seed, index): dropout
// masks are then the same on every backend and independent of thread layout.
// It is output number index+1 of a splitmix64 stream whose state starts at
// splitmix64_mix(seed), keeping its top 24 bits:
//   z = splitmix64_mix(splitmix64_mix(seed) + (index + 1) * 0x9E3779B97F4A7C15)
//   u = (z >> 40) * 2^-24
// (all arithmetic mod 2^64). Inline because dropout calls it per element.
inline float hash_uniform(uint64_t seed, uint64_t index) {
  uint64_t state = splitmix64_mix(seed) + (index + 1) * 0x9E3779B97F4A7C15ull;
  // Through uint32_t: the same value, but a conversion AVX2 can vectorise.
  return static_cast<float>(static_cast<uint32_t>(splitmix64_mix(state) >> 40)) * 0x1.0p-24f;
}

}  // namespace gapscope

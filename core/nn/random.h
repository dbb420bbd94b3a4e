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

// A counter-based hash giving a uniform [0,1) float per (seed, index): dropout
// masks are then the same on every backend and independent of thread layout.
float hash_uniform(uint64_t seed, uint64_t index);

}  // namespace gapscope

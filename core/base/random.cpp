// xoshiro256** 1.0 (Blackman and Vigna, 2018), seeded by splitmix64 as its
// authors recommend. Floats take the top bits, which are the best ones.
#include "core/base/random.h"

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace gapscope {
namespace {

constexpr uint64_t kGoldenGamma = 0x9E3779B97F4A7C15ull;

uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

// 53 random bits as a double in [0, 1).
double unit_double(uint64_t bits) { return static_cast<double>(bits >> 11) * 0x1.0p-53; }

}  // namespace

Rng::Rng(uint64_t seed) {
  uint64_t state = seed;
  for (uint64_t& s : s_) {
    state += kGoldenGamma;
    s = splitmix64_mix(state);
  }
}

uint64_t Rng::next_u64() {
  const uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

// 24 bits: every value is exactly representable and the largest is 1 - 2^-24.
float Rng::uniform() { return static_cast<float>(next_u64() >> 40) * 0x1.0p-24f; }

float Rng::uniform(float low, float high) {
  float r = low + (high - low) * uniform();
  return r < high ? r : low;  // rounding can land on high; keep the interval half-open
}

// Box-Muller without caching the second value: one normal costs two draws, and
// the stream position depends only on how many normals were asked for.
double Rng::normal() {
  double u1 = 1.0 - unit_double(next_u64());  // (0, 1]: log stays finite
  double u2 = unit_double(next_u64());
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

// TF.js truncatedNormal: values more than 2 stddev from the mean are redrawn.
float Rng::truncated_normal(float stddev) {
  for (;;) {
    double z = normal();
    if (std::fabs(z) <= 2.0) return static_cast<float>(z * stddev);
  }
}

// Lemire's multiply-shift with rejection (2019): unbiased, rarely divides.
uint64_t Rng::below(uint64_t bound) {
  if (bound == 0) throw std::invalid_argument("Rng::below: bound must be > 0");
  unsigned __int128 m = static_cast<unsigned __int128>(next_u64()) * bound;
  uint64_t low = static_cast<uint64_t>(m);
  if (low < bound) {
    const uint64_t threshold = (0 - bound) % bound;
    while (low < threshold) {
      m = static_cast<unsigned __int128>(next_u64()) * bound;
      low = static_cast<uint64_t>(m);
    }
  }
  return static_cast<uint64_t>(m >> 64);
}

}  // namespace gapscope

// Rng: determinism per seed, ranges and moments; hash_uniform against its
// documented formula (other backends reimplement it from that comment).
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "core/base/random.h"

namespace gapscope {
namespace {

struct Moments {
  double mean = 0, variance = 0;
};

template <typename Draw>
Moments moments(int n, Draw draw) {
  double sum = 0, sum2 = 0;
  for (int i = 0; i < n; ++i) {
    double v = draw();
    sum += v;
    sum2 += v * v;
  }
  Moments m;
  m.mean = sum / n;
  m.variance = sum2 / n - m.mean * m.mean;
  return m;
}

}  // namespace

TEST_CASE("the same seed gives the same stream, another seed another", "[nn][random]") {
  Rng a(42), b(42), c(43);
  bool all_equal_c = true;
  for (int i = 0; i < 100; ++i) {
    uint64_t va = a.next_u64();
    CHECK(va == b.next_u64());
    all_equal_c = all_equal_c && va == c.next_u64();
  }
  CHECK_FALSE(all_equal_c);
  Rng zero(0);  // splitmix seeding: seed 0 is as good as any
  CHECK(zero.next_u64() != zero.next_u64());
}

TEST_CASE("uniform floats lie in 0 to 1 with the right moments", "[nn][random]") {
  Rng rng(1);
  float lowest = 1, highest = 0;
  Moments m = moments(200000, [&] {
    float u = rng.uniform();
    lowest = std::min(lowest, u);
    highest = std::max(highest, u);
    return u;
  });
  CHECK(lowest >= 0.0f);
  CHECK(highest < 1.0f);
  CHECK(m.mean == Approx(0.5).margin(0.003));
  CHECK(m.variance == Approx(1.0 / 12).margin(0.002));

  for (int i = 0; i < 10000; ++i) {
    float v = rng.uniform(-0.25f, 0.75f);
    REQUIRE(v >= -0.25f);
    REQUIRE(v < 0.75f);
  }
}

TEST_CASE("normal and truncated normal", "[nn][random]") {
  Rng rng(2);
  Moments m = moments(200000, [&] { return rng.normal(); });
  CHECK(m.mean == Approx(0).margin(0.01));
  CHECK(m.variance == Approx(1).margin(0.015));

  // Truncated at 2 stddev: variance of N(0,1) cut to [-2, 2] is 0.7737.
  float largest = 0;
  Moments t = moments(200000, [&] {
    float v = rng.truncated_normal(3.0f);
    largest = std::max(largest, std::fabs(v));
    return v / 3.0;
  });
  CHECK(largest <= 6.0f);
  CHECK(largest > 5.9f);
  CHECK(t.mean == Approx(0).margin(0.01));
  CHECK(t.variance == Approx(0.7737).margin(0.01));
}

TEST_CASE("below() is in range and unbiased", "[nn][random]") {
  Rng rng(3);
  std::vector<int> counts(7, 0);
  for (int i = 0; i < 70000; ++i) {
    uint64_t v = rng.below(7);
    REQUIRE(v < 7);
    ++counts[v];
  }
  for (int c : counts) CHECK(c == Approx(10000).margin(400));  // ~4 sigma
  CHECK(rng.below(1) == 0);
  const uint64_t huge = (uint64_t{1} << 63) + 1;  // rejection matters here
  for (int i = 0; i < 1000; ++i) REQUIRE(rng.below(huge) < huge);
  CHECK_THROWS_AS(rng.below(0), std::invalid_argument);
}

TEST_CASE("hash_uniform follows its documented formula", "[nn][random]") {
  auto mix = [](uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  };
  for (uint64_t seed : {uint64_t{0}, uint64_t{1}, uint64_t{0xDEADBEEF}, ~uint64_t{0}}) {
    for (uint64_t index : {uint64_t{0}, uint64_t{1}, uint64_t{12345}, uint64_t{1} << 40}) {
      uint64_t z = mix(mix(seed) + (index + 1) * 0x9E3779B97F4A7C15ull);
      float expected = static_cast<float>(z >> 40) / 16777216.0f;
      CHECK(hash_uniform(seed, index) == expected);
    }
  }
}

TEST_CASE("hash_uniform is uniform in 0 to 1 and differs by seed and index", "[nn][random]") {
  Moments m = moments(200000, [i = uint64_t{0}]() mutable {
    float u = hash_uniform(7, i++);
    REQUIRE(u >= 0.0f);
    REQUIRE(u < 1.0f);
    return u;
  });
  CHECK(m.mean == Approx(0.5).margin(0.003));
  CHECK(m.variance == Approx(1.0 / 12).margin(0.002));
  CHECK(hash_uniform(7, 0) == hash_uniform(7, 0));
  CHECK(hash_uniform(7, 0) != hash_uniform(8, 0));
  CHECK(hash_uniform(7, 0) != hash_uniform(7, 1));
  // Neighbouring seeds must not give shifted copies of one stream.
  int same = 0;
  for (uint64_t i = 0; i < 1000; ++i) same += hash_uniform(100, i + 1) == hash_uniform(101, i);
  CHECK(same < 5);
}

}  // namespace gapscope

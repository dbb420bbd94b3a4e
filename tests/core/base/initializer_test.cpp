// Initializers: TF.js's limits and standard deviations, truncation of the
// normal family at 2 stddev, orthonormal orthogonal matrices, determinism per seed.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/base/initializer.h"
#include "core/base/random.h"

namespace gapscope {
namespace {

constexpr int64_t kFanIn = 300, kFanOut = 200;
constexpr size_t kCount = 60000;
// A normal truncated at +-2 stddev keeps 0.8796 of the stddev.
constexpr double kTruncatedStddevRatio = 0.87962566;

// kCount values: a [300, 200] weight, unless another shape is given.
std::vector<float> draw(const Initializer& init, uint64_t seed = 5, std::vector<int64_t> shape = {kFanIn, kFanOut}) {
  Rng rng(seed);
  int64_t count = 1;
  for (int64_t d : shape) count *= d;
  std::vector<float> v(static_cast<size_t>(count), -123.0f);
  initialize(init, shape, rng, v);
  return v;
}

struct Stats {
  double mean = 0, stddev = 0, max_abs = 0;
};

Stats stats(const std::vector<float>& v) {
  double sum = 0, sum2 = 0;
  Stats s;
  for (float x : v) {
    sum += x;
    sum2 += static_cast<double>(x) * x;
    s.max_abs = std::max(s.max_abs, static_cast<double>(std::fabs(x)));
  }
  s.mean = sum / v.size();
  s.stddev = std::sqrt(sum2 / v.size() - s.mean * s.mean);
  return s;
}

void check_uniform(const Initializer& init, double limit, std::vector<int64_t> shape = {kFanIn, kFanOut}) {
  INFO(initializer_name(init) << " limit " << limit);
  Stats s = stats(draw(init, 5, shape));
  CHECK(s.max_abs < limit);
  CHECK(s.max_abs > 0.999 * limit);
  CHECK(s.mean == Approx(0).margin(4 * limit / std::sqrt(3.0 * kCount)));
  CHECK(s.stddev == Approx(limit / std::sqrt(3.0)).epsilon(0.01));
}

void check_truncated(const Initializer& init, double stddev) {
  INFO(initializer_name(init) << " stddev " << stddev);
  Stats s = stats(draw(init));
  CHECK(s.max_abs <= 2 * stddev * (1 + 1e-6));
  CHECK(s.max_abs > 1.98 * stddev);
  CHECK(s.mean == Approx(0).margin(4 * stddev / std::sqrt(kCount)));
  CHECK(s.stddev == Approx(stddev * kTruncatedStddevRatio).epsilon(0.01));
}

}  // namespace

TEST_CASE("initializer names accept Keras, TF.js and class spellings", "[nn][initializer]") {
  CHECK(all_initializers().size() == 13);
  for (const Initializer& i : all_initializers()) CHECK(parse_initializer(initializer_name(i)) == i);
  CHECK(parse_initializer("glorotUniform") == Initializer::glorot_uniform);
  CHECK(parse_initializer("GlorotUniform") == Initializer::glorot_uniform);
  CHECK(parse_initializer("heNormal") == Initializer::he_normal);
  CHECK(parse_initializer("RandomNormal") == Initializer::random_normal);
  CHECK(parse_initializer("Zeros") == Initializer::zeros);
  CHECK(parse_initializer("randomUniform") == Initializer::random_uniform);
  CHECK(parse_initializer("RandomUniform") == Initializer::random_uniform);
  CHECK(parse_initializer("Orthogonal") == Initializer::orthogonal);
  CHECK(parse_initializer("leCunUniform") == Initializer::lecun_uniform);
  CHECK(parse_initializer("identity") == Initializer::identity);
  CHECK(parse_initializer("varianceScaling") == std::nullopt);  // has settings: an object, not a name
}

TEST_CASE("random_uniform draws from TF.js's default range, -0.05 to 0.05", "[nn][initializer]") {
  check_uniform(Initializer::random_uniform, 0.05);
}

// An LSTM's recurrent kernel [u, 4u]: its u rows are orthonormal (W W^T = I);
// the transposed shape [4u, u] has orthonormal columns (W^T W = I).
TEST_CASE("orthogonal gives orthonormal rows or columns", "[nn][initializer]") {
  constexpr int64_t u = 16;
  for (bool wide : {true, false}) {
    int64_t rows = wide ? u : 4 * u, cols = wide ? 4 * u : u;
    std::vector<float> w = draw(Initializer::orthogonal, 3, {rows, cols});
    INFO((wide ? "[u, 4u]" : "[4u, u]"));
    double worst = 0;
    for (int64_t a = 0; a < u; ++a)
      for (int64_t b = 0; b < u; ++b) {
        double dot = 0;  // rows a and b (wide) or columns a and b (tall)
        for (int64_t k = 0; k < 4 * u; ++k)
          dot += wide ? static_cast<double>(w[a * cols + k]) * w[b * cols + k]
                      : static_cast<double>(w[k * cols + a]) * w[k * cols + b];
        worst = std::max(worst, std::fabs(dot - (a == b ? 1.0 : 0.0)));
      }
    CHECK(worst < 1e-5);
  }
  Rng rng(1);
  std::vector<float> too_few(5);
  CHECK_THROWS_AS(initialize(Initializer::orthogonal, std::vector<int64_t>{2, 3}, rng, too_few), std::invalid_argument);
  std::vector<float> vector(6);
  CHECK_THROWS_WITH(initialize(Initializer::orthogonal, std::vector<int64_t>{6}, rng, vector),
                    "Orthogonal needs a weight of at least 2 dimensions, got [6]");
}

TEST_CASE("uniform initializers use TF.js's limits", "[nn][initializer]") {
  check_uniform(Initializer::glorot_uniform, std::sqrt(6.0 / (kFanIn + kFanOut)));
  check_uniform(Initializer::he_uniform, std::sqrt(6.0 / kFanIn));
}

TEST_CASE("normal initializers are truncated at 2 stddev, without Keras's widening",
          "[nn][initializer]") {
  check_truncated(Initializer::glorot_normal, std::sqrt(2.0 / (kFanIn + kFanOut)));
  check_truncated(Initializer::he_normal, std::sqrt(2.0 / kFanIn));
  check_truncated(Initializer::lecun_normal, std::sqrt(1.0 / kFanIn));
}

TEST_CASE("random_normal is a plain normal with stddev 0.05", "[nn][initializer]") {
  std::vector<float> v = draw(Initializer::random_normal);
  Stats s = stats(v);
  CHECK(s.mean == Approx(0).margin(4 * 0.05 / std::sqrt(kCount)));
  CHECK(s.stddev == Approx(0.05).epsilon(0.01));
  size_t beyond = 0;  // 4.6% of a normal lies beyond 2 stddev
  for (float x : v) beyond += std::fabs(x) > 0.1f;
  CHECK(beyond == Approx(0.0455 * kCount).epsilon(0.1));
}

TEST_CASE("zeros and ones", "[nn][initializer]") {
  for (float x : draw(Initializer::zeros)) REQUIRE(x == 0.0f);
  for (float x : draw(Initializer::ones)) REQUIRE(x == 1.0f);
}

TEST_CASE("initializers are deterministic per seed", "[nn][initializer]") {
  for (const Initializer& init : all_initializers()) {
    INFO(initializer_name(init));
    CHECK(draw(init, 9, {20, 20}) == draw(init, 9, {20, 20}));
    if (init != Initializer::zeros && init != Initializer::ones && init != Initializer::identity)
      CHECK(draw(init, 9, {20, 20}) != draw(init, 10, {20, 20}));
  }
}

TEST_CASE("an empty weight draws nothing; negative sizes are errors", "[nn][initializer]") {
  CHECK(draw(Initializer::he_uniform, 1, {1000, 0, 0}).empty());
  CHECK(draw(Initializer::orthogonal, 1, {0, 4}).empty());
  Rng rng(1);
  std::vector<float> v(4);
  CHECK_THROWS_AS(initialize(Initializer::glorot_uniform, std::vector<int64_t>{-1, -4}, rng, v), std::invalid_argument);
}

// The settings TF.js files carry (issue 18): every parameter is used.
TEST_CASE("VarianceScaling uses its scale, mode and distribution", "[nn][initializer]") {
  Initializer fan_out_uniform{.kind = Initializer::Kind::variance_scaling, .scale = 3, .mode = Initializer::Mode::fan_out,
                              .distribution = Initializer::Distribution::uniform};
  check_uniform(fan_out_uniform, std::sqrt(3 * 3.0 / kFanOut));
  Initializer keras_truncated = fan_out_uniform;
  keras_truncated.distribution = Initializer::Distribution::truncated_normal;  // Keras widens by 1/0.8796
  keras_truncated.scale = 1;
  check_truncated(keras_truncated, std::sqrt(1.0 / kFanOut) / kTruncatedStddevRatio);
  Initializer plain = keras_truncated;
  plain.distribution = Initializer::Distribution::untruncated_normal;
  Stats s = stats(draw(plain));
  CHECK(s.stddev == Approx(std::sqrt(1.0 / kFanOut)).epsilon(0.01));
  CHECK(s.max_abs > 3 * std::sqrt(1.0 / kFanOut));  // not truncated
  CHECK(initializer_name(plain) == "VarianceScaling(scale 1, fan_out, untruncated_normal)");
}

TEST_CASE("fans follow TF.js's computeFans: kernels by receptive field, vectors by sqrt of the size",
          "[nn][initializer]") {
  check_uniform(Initializer::he_uniform, std::sqrt(6.0 / (3 * 3 * 16)), {3, 3, 16, 32});
  check_uniform(Initializer::glorot_uniform, std::sqrt(6.0 / (3 * 3 * (16 + 32))), {3, 3, 16, 32});
  check_uniform(Initializer::lecun_uniform, std::sqrt(3.0 / std::sqrt(60000.0)), {60000});
}

TEST_CASE("Constant, RandomUniform, RandomNormal, TruncatedNormal, Orthogonal and Identity take their settings",
          "[nn][initializer]") {
  Initializer constant{.kind = Initializer::Kind::constant, .value = 0.25};
  for (float x : draw(constant)) REQUIRE(x == 0.25f);
  Initializer uniform = Initializer::random_uniform;
  uniform.minval = 0;
  uniform.maxval = 1;
  Stats s = stats(draw(uniform));
  CHECK(s.mean == Approx(0.5).epsilon(0.01));
  CHECK(s.max_abs < 1);
  Initializer normal = Initializer::random_normal;
  normal.mean = 1;
  normal.stddev = 0.02;
  s = stats(draw(normal));
  CHECK(s.mean == Approx(1).epsilon(0.001));
  CHECK(s.stddev == Approx(0.02).epsilon(0.02));
  Initializer truncated = Initializer::truncated_normal;
  truncated.mean = -2;
  truncated.stddev = 0.5;
  std::vector<float> t = draw(truncated);
  CHECK(*std::min_element(t.begin(), t.end()) >= -3.0f);
  CHECK(*std::max_element(t.begin(), t.end()) <= -1.0f);
  Initializer orthogonal = Initializer::orthogonal;
  orthogonal.gain = 2;
  std::vector<float> o = draw(orthogonal, 3, {8, 8});
  double row_norm = 0;
  for (int k = 0; k < 8; ++k) row_norm += o[k] * o[k];
  CHECK(row_norm == Approx(4));
  Initializer identity = Initializer::identity;
  identity.gain = 3;
  std::vector<float> i = draw(identity, 1, {3, 3});
  CHECK(i == std::vector<float>{3, 0, 0, 0, 3, 0, 0, 0, 3});
  Rng rng(1);
  std::vector<float> v(6);
  CHECK_THROWS_WITH(initialize(identity, std::vector<int64_t>{2, 3}, rng, v),
                    "Identity initializes square 2-D weights only, got [2, 3]");
}

}  // namespace gapscope

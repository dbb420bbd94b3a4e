// The scalar activations against double-precision formulas written here from
// their definitions, including far tails (+-100) and the kinks, whose
// derivative conventions follow TF.js's gradients.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "core/base/activation.h"

namespace gapscope {
namespace {

double sigmoid_ref(double x) {
  return x >= 0 ? 1 / (1 + std::exp(-x)) : std::exp(x) / (1 + std::exp(x));
}
double softplus_ref(double x) { return std::max(x, 0.0) + std::log1p(std::exp(-std::fabs(x))); }

constexpr double kSeluAlpha = 1.6732632423543772848170429916717;
constexpr double kSeluScale = 1.0507009873554804934193349852946;

double value_ref(Activation a, double x) {
  switch (a) {
    case Activation::linear: return x;
    case Activation::elu: return x > 0 ? x : std::expm1(x);
    case Activation::hard_sigmoid: return std::clamp(0.2 * x + 0.5, 0.0, 1.0);
    case Activation::relu: return std::max(x, 0.0);
    case Activation::relu6: return std::min(std::max(x, 0.0), 6.0);
    case Activation::selu: return kSeluScale * (x > 0 ? x : kSeluAlpha * std::expm1(x));
    case Activation::sigmoid: return sigmoid_ref(x);
    case Activation::softplus: return softplus_ref(x);
    case Activation::softsign: return x / (1 + std::fabs(x));
    case Activation::tanh: return std::tanh(x);
    case Activation::swish: return x * sigmoid_ref(x);
    case Activation::mish: return x * std::tanh(softplus_ref(x));
    case Activation::gelu: return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0)));
    case Activation::softmax: break;
  }
  return NAN;
}

// Derivatives away from kinks, differentiated by hand.
double derivative_ref(Activation a, double x) {
  const double s = sigmoid_ref(x);
  switch (a) {
    case Activation::linear: return 1;
    case Activation::elu: return x > 0 ? 1 : std::exp(x);
    case Activation::hard_sigmoid: return std::fabs(x) < 2.5 ? 0.2 : 0;
    case Activation::relu: return x > 0 ? 1 : 0;
    case Activation::relu6: return x > 0 && x < 6 ? 1 : 0;
    case Activation::selu: return kSeluScale * (x > 0 ? 1 : kSeluAlpha * std::exp(x));
    case Activation::sigmoid: return s * (1 - s);
    case Activation::softplus: return s;
    case Activation::softsign: return 1 / ((1 + std::fabs(x)) * (1 + std::fabs(x)));
    case Activation::tanh: return 1 - std::tanh(x) * std::tanh(x);
    case Activation::swish: return s + x * s * (1 - s);
    case Activation::mish: {
      double t = std::tanh(softplus_ref(x));
      return t + x * (1 - t * t) * s;
    }
    case Activation::gelu:
      return 0.5 * (1 + std::erf(x / std::sqrt(2.0))) +
             x * std::exp(-x * x / 2) / std::sqrt(2 * std::numbers::pi);
    case Activation::softmax: break;
  }
  return NAN;
}

std::vector<float> probe_points() {
  std::vector<float> xs = {-100, -50,   -20,    -14,    -13.9f, -10,   -6,    -5,   -3, -2.5f, -2,
                           -1,   -0.5f, -1e-3f, -1e-6f, 0,      1e-6f, 1e-3f, 0.5f, 1,  2,     2.5f,
                           3,    5,     6,      7,      10,     13.9f, 14,    20,   50, 100};
  for (int i = 0; i <= 400; ++i) xs.push_back(-8.0f + 0.04f * static_cast<float>(i));
  return xs;
}

}  // namespace

TEST_CASE("activation names round-trip and accept TF.js camelCase", "[nn][activation]") {
  CHECK(all_activations().size() == 14);
  for (Activation a : all_activations()) CHECK(parse_activation(activation_name(a)) == a);
  CHECK(activation_name(Activation::hard_sigmoid) == "hard_sigmoid");
  CHECK(parse_activation("hardSigmoid") == Activation::hard_sigmoid);
  CHECK(parse_activation("Relu6") == Activation::relu6);
  CHECK(parse_activation("gelu_new") == std::nullopt);  // tanh approximation: not supported
  CHECK(parse_activation("leaky_relu") == std::nullopt);
  CHECK(parse_activation("") == std::nullopt);
}

TEST_CASE("activation values match double-precision formulas, tails included", "[nn][activation]") {
  for (Activation a : all_activations()) {
    if (a == Activation::softmax) continue;
    for (float x : probe_points()) {
      double expected = value_ref(a, x);
      float got = activation_value(a, x);
      INFO(activation_name(a) << "(" << x << ") = " << got << ", expected " << expected);
      REQUIRE(std::isfinite(got));
      CHECK(std::fabs(got - expected) <= 1e-6 + 2e-6 * std::fabs(expected));
    }
  }
  CHECK_THROWS_AS(activation_value(Activation::softmax, 1.0f), std::invalid_argument);
}

TEST_CASE("activation derivatives match hand-derived formulas away from kinks",
          "[nn][activation]") {
  for (Activation a : all_activations()) {
    if (a == Activation::softmax) continue;
    for (float x : probe_points()) {
      if (x == 0 || x == 6 || std::fabs(x) == 2.5f) continue;  // kinks: next test
      double expected = derivative_ref(a, x);
      float got = activation_derivative(a, x, activation_value(a, x));
      INFO(activation_name(a) << "'(" << x << ") = " << got << ", expected " << expected);
      REQUIRE(std::isfinite(got));
      CHECK(std::fabs(got - expected) <= 2e-6 + 1e-5 * std::fabs(expected));
    }
  }
}

TEST_CASE("derivatives at kinks follow TF.js's gradient definitions", "[nn][activation]") {
  auto d = [](Activation a, float x) {
    return activation_derivative(a, x, activation_value(a, x));
  };
  CHECK(d(Activation::relu, 0.0f) == 0.0f);   // step(x): x > 0
  CHECK(d(Activation::relu6, 0.0f) == 0.0f);  // minimum(6, relu(x)): 0 < x < 6
  CHECK(d(Activation::relu6, 6.0f) == 0.0f);
  CHECK(d(Activation::relu6, 5.999f) == 1.0f);
  CHECK(d(Activation::hard_sigmoid, 2.5f) == 0.2f);  // clipByValue: closed interval
  CHECK(d(Activation::hard_sigmoid, -2.5f) == 0.2f);
  CHECK(d(Activation::hard_sigmoid, 2.51f) == 0.0f);
  CHECK(d(Activation::elu, 0.0f) == 1.0f);  // EluGrad: y >= 0 -> 1
  CHECK(d(Activation::selu, 0.0f) ==
        Approx(kSeluScale * kSeluAlpha));  // x > 0 -> scale, else scale*alpha*exp(x)
  CHECK(d(Activation::softsign, 0.0f) == 1.0f);
  CHECK_THROWS_AS(activation_derivative(Activation::softmax, 0.0f, 0.0f), std::invalid_argument);
}

}  // namespace gapscope

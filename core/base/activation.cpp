// Scalar forms of the activations, written as TF.js computes them (tfjs-layers
// activations.ts and the tfjs-core kernels and gradients they call). The CPU
// backend has vectorised versions of the same formulas; these are the
// reference, used by tests and by code that needs one value.
#include "core/base/activation.h"
#include "core/base/enum_names.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace gapscope {
namespace {

// TF.js selu_util.ts: SELU_SCALEALPHA = alpha * scale.
constexpr float kSeluScale = 1.0507009873554804934193349852946f;
constexpr float kSeluScaleAlpha = 1.7580993408473768599402175208123f;

constexpr EnumName<Activation> kNames[] = {
    {Activation::linear, "linear"},
    {Activation::elu, "elu"},
    {Activation::hard_sigmoid, "hard_sigmoid"},
    {Activation::relu, "relu"},
    {Activation::relu6, "relu6"},
    {Activation::selu, "selu"},
    {Activation::sigmoid, "sigmoid"},
    {Activation::softmax, "softmax"},
    {Activation::softplus, "softplus"},
    {Activation::softsign, "softsign"},
    {Activation::tanh, "tanh"},
    {Activation::swish, "swish"},
    {Activation::mish, "mish"},
    {Activation::gelu, "gelu"},
};

float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

// tfjs-backend-cpu Softplus: x beyond the float epsilon thresholds is returned
// as x (or exp(x)) so that exp never overflows.
float softplus(float x) {
  const float threshold = std::log(1.1920928955078125e-7f) + 2.0f;  // about -13.94
  if (x < threshold) return std::exp(x);
  if (x > -threshold) return x;
  return std::log1p(std::exp(x));
}

}  // namespace

std::string_view activation_name(Activation a) { return name_of<Activation>(kNames, a, "activation"); }

std::optional<Activation> parse_activation(std::string_view name) { return parse_name<Activation>(kNames, name); }

const std::vector<Activation>& all_activations() {
  static const std::vector<Activation> all = all_values<Activation>(kNames);
  return all;
}

float activation_value(Activation a, float x) {
  switch (a) {
    case Activation::linear: return x;
    case Activation::elu: return x >= 0.0f ? x : std::exp(x) - 1.0f;
    case Activation::hard_sigmoid: {
      float u = 0.2f * x + 0.5f;
      return u < 0.0f ? 0.0f : (u > 1.0f ? 1.0f : u);
    }
    case Activation::relu: return x < 0.0f ? 0.0f : x;
    case Activation::relu6: return x < 0.0f ? 0.0f : (x > 6.0f ? 6.0f : x);
    case Activation::selu:
      return x >= 0.0f ? kSeluScale * x : kSeluScaleAlpha * (std::exp(x) - 1.0f);
    case Activation::sigmoid: return sigmoid(x);
    case Activation::softplus: return softplus(x);
    case Activation::softsign: return x / (1.0f + std::fabs(x));
    case Activation::tanh: return std::tanh(x);
    case Activation::swish: return x * sigmoid(x);
    case Activation::mish: return x * std::tanh(softplus(x));
    case Activation::gelu: return 0.5f * x * (1.0f + std::erf(x * 0.70710678118654752f));
    case Activation::softmax: break;
  }
  throw std::invalid_argument("activation_value: softmax spans a row, not one value");
}

// Conventions at kinks follow TF.js's gradients:
//   relu          step(x): 0 at x = 0.
//   relu6         layers' relu6 is minimum(6, relu(x)): 1 only for 0 < x < 6.
//   hard_sigmoid  clipByValue passes the gradient where 0.2x + 0.5 is in [0, 1],
//                 inclusive: slope 0.2 on [-2.5, 2.5]. Tested on x, because a
//                 fused multiply-add can round 0.2x + 0.5 at x = -2.5 below 0.
//   elu           EluGrad reads y: 1 where y >= 0, else y + 1.
//   selu          scale for x > 0, scale * alpha * exp(x) for x <= 0.
float activation_derivative(Activation a, float x, float y) {
  switch (a) {
    case Activation::linear: return 1.0f;
    case Activation::elu: return y >= 0.0f ? 1.0f : y + 1.0f;
    case Activation::hard_sigmoid: return (x >= -2.5f && x <= 2.5f) ? 0.2f : 0.0f;
    case Activation::relu: return x > 0.0f ? 1.0f : 0.0f;
    case Activation::relu6: return (x > 0.0f && x < 6.0f) ? 1.0f : 0.0f;
    case Activation::selu: return x > 0.0f ? kSeluScale : kSeluScaleAlpha * std::exp(x);
    case Activation::sigmoid: return y * (1.0f - y);
    case Activation::softplus: return sigmoid(x);
    case Activation::softsign: {
      float d = 1.0f + std::fabs(x);
      return 1.0f / (d * d);
    }
    case Activation::tanh: return 1.0f - y * y;
    case Activation::swish: {
      float s = sigmoid(x);
      return s * (1.0f + x * (1.0f - s));
    }
    case Activation::mish: {
      float t = std::tanh(softplus(x));
      return t + x * (1.0f - t * t) * sigmoid(x);
    }
    case Activation::gelu: {
      float cdf = 0.5f * (1.0f + std::erf(x * 0.70710678118654752f));
      float pdf = 0.39894228040143268f * std::exp(-0.5f * x * x);  // 1/sqrt(2 pi)
      return cdf + x * pdf;
    }
    case Activation::softmax: break;
  }
  throw std::invalid_argument("activation_derivative: softmax spans a row, not one value");
}

}  // namespace gapscope

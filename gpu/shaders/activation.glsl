// Element-wise activations, numbered as enum class Activation (core/nn/
// activation.h), with the formulas and kink conventions of core/nn/
// activation.cpp (TF.js's). GLSL has no erf, log1p or overflow-safe tanh:
// they are written out here to float accuracy.
const int ACT_LINEAR = 0, ACT_ELU = 1, ACT_HARD_SIGMOID = 2, ACT_RELU = 3, ACT_RELU6 = 4, ACT_SELU = 5,
          ACT_SIGMOID = 6, ACT_SOFTMAX = 7, ACT_SOFTPLUS = 8, ACT_SOFTSIGN = 9, ACT_TANH = 10, ACT_SWISH = 11,
          ACT_MISH = 12, ACT_GELU = 13;

const float SELU_SCALE = 1.0507009873554804934193349852946;
const float SELU_SCALE_ALPHA = 1.7580993408473768599402175208123;

float sigmoid_of(float x) { return 1.0 / (1.0 + exp(-x)); }

// tanh without exp overflow at large |x|.
float safe_tanh(float x) {
  const float e = exp(-2.0 * abs(x));
  return sign(x) * (1.0 - e) / (1.0 + e);
}

// log(1 + x) accurate for small x (Goldberg's trick: the rounding of 1 + x cancels).
float log1p_of(float x) {
  const float u = 1.0 + x;
  const float d = u - 1.0;
  return d == 0.0 ? x : log(u) * (x / d);
}

// erf with |error| < 1.5e-7 (Abramowitz and Stegun 7.1.26).
float erf_of(float x) {
  const float t = 1.0 / (1.0 + 0.3275911 * abs(x));
  const float poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign(x) * (1.0 - poly * exp(-x * x));
}

// tfjs-backend-cpu Softplus: beyond +-13.94 return x (or exp(x)).
float softplus_of(float x) {
  const float threshold = -13.942385152878742;  // log(2^-23) + 2
  if (x < threshold) return exp(x);
  if (x > -threshold) return x;
  return log1p_of(exp(x));
}

float activation_value(int a, float x) {
  switch (a) {
    case ACT_LINEAR: return x;
    case ACT_ELU: return x >= 0.0 ? x : exp(x) - 1.0;
    case ACT_HARD_SIGMOID: return clamp(0.2 * x + 0.5, 0.0, 1.0);
    case ACT_RELU: return x < 0.0 ? 0.0 : x;
    case ACT_RELU6: return x < 0.0 ? 0.0 : (x > 6.0 ? 6.0 : x);
    case ACT_SELU: return x >= 0.0 ? SELU_SCALE * x : SELU_SCALE_ALPHA * (exp(x) - 1.0);
    case ACT_SIGMOID: return sigmoid_of(x);
    case ACT_SOFTPLUS: return softplus_of(x);
    case ACT_SOFTSIGN: return x / (1.0 + abs(x));
    case ACT_TANH: return safe_tanh(x);
    case ACT_SWISH: return x * sigmoid_of(x);
    case ACT_MISH: return x * safe_tanh(softplus_of(x));
    case ACT_GELU: return 0.5 * x * (1.0 + erf_of(x * 0.70710678118654752));
  }
  return x;  // softmax spans a row: not element-wise
}

// f'(x), given y = f(x) where that is cheaper (kinks as TF.js's gradients).
float activation_derivative(int a, float x, float y) {
  switch (a) {
    case ACT_LINEAR: return 1.0;
    case ACT_ELU: return y >= 0.0 ? 1.0 : y + 1.0;
    case ACT_HARD_SIGMOID: return (x >= -2.5 && x <= 2.5) ? 0.2 : 0.0;
    case ACT_RELU: return x > 0.0 ? 1.0 : 0.0;
    case ACT_RELU6: return (x > 0.0 && x < 6.0) ? 1.0 : 0.0;
    case ACT_SELU: return x > 0.0 ? SELU_SCALE : SELU_SCALE_ALPHA * exp(x);
    case ACT_SIGMOID: return y * (1.0 - y);
    case ACT_SOFTPLUS: return sigmoid_of(x);
    case ACT_SOFTSIGN: {
      const float d = 1.0 + abs(x);
      return 1.0 / (d * d);
    }
    case ACT_TANH: return 1.0 - y * y;
    case ACT_SWISH: {
      const float s = sigmoid_of(x);
      return s * (1.0 + x * (1.0 - s));
    }
    case ACT_MISH: {
      const float t = safe_tanh(softplus_of(x));
      return t + x * (1.0 - t * t) * sigmoid_of(x);
    }
    case ACT_GELU: {
      const float cdf = 0.5 * (1.0 + erf_of(x * 0.70710678118654752));
      const float pdf = 0.39894228040143268 * exp(-0.5 * x * x);
      return cdf + x * pdf;
    }
  }
  return 1.0;
}

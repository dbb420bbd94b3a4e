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

// tanh as Eigen computes it for float arrays (the CPU backend's tanh; its
// generic_fast_tanh_float, FMA clamp): a 13/6 rational function on x clamped
// to +-7.9988, x itself below 4e-4. Accurate to a few ulps relative everywhere
// (1 - exp(-2|x|) would lose all relative precision near 0) and never overflows.
float safe_tanh(float x) {
  if (abs(x) < 0.0004) return x;
  const float c = clamp(x, -7.99881172180175781, 7.99881172180175781);
  const float x2 = c * c;
  float num = x2 * -2.76076847742355e-16 + 2.00018790482477e-13;
  num = x2 * num + -8.60467152213735e-11;
  num = x2 * num + 5.12229709037114e-08;
  num = x2 * num + 1.48572235717979e-05;
  num = x2 * num + 6.37261928875436e-04;
  num = x2 * num + 4.89352455891786e-03;
  num = c * num;
  float den = x2 * 1.19825839466702e-06 + 1.18534705686654e-04;
  den = x2 * den + 2.26843463243900e-03;
  den = x2 * den + 4.89352518554385e-03;
  return num / den;
}

// log(1 + x) to a few ulps relative. Vulkan bounds log's error on [0.5, 2]
// only absolutely (2^-21, and NVIDIA's is that coarse), so near 1 + x = 1 it
// is not used: there log(1 + x) = 2 atanh(s), s = x / (2 + x), |s| <= 1/3, as
// the odd series 2 s (1 + s^2/3 + s^4/5 + ...), cut after s^13 (the rest is
// below 1.4e-8 relative). Elsewhere log is good to 3 ulps and 1 + x loses
// nothing that matters.
float log1p_of(float x) {
  if (x < -0.5 || x > 1.0) return log(1.0 + x);
  const float s = x / (2.0 + x), s2 = s * s;
  float series = s2 * (1.0 / 13.0) + 1.0 / 11.0;
  series = s2 * series + 1.0 / 9.0;
  series = s2 * series + 1.0 / 7.0;
  series = s2 * series + 1.0 / 5.0;
  series = s2 * series + 1.0 / 3.0;
  series = s2 * series + 1.0;
  return 2.0 * s * series;
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

// native-cpu element-wise ops: activations, dropout, multiply/axpy, losses and
// accuracy. Formulas are TF.js's (see core/base/activation.cpp for the scalar
// reference and the conventions at kinks).
//
// Speed: transcendental parts use Eigen array functions (vectorised exp, tanh,
// log1p, erf); piecewise parts use plain loops that GCC vectorises. Those loops
// carry `#pragma GCC ivdep` because outputs may alias inputs element for
// element (in-place use), which is safe but would otherwise make GCC fall back
// to scalar code. Large tensors are split over the thread pool.
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <unsupported/Eigen/SpecialFunctions>

#include "core/base/random.h"
#include "core/ops/cpu/activation_ranges.h"
#include "core/ops/cpu/cpu_backend.h"
#include "core/ops/cpu/parallel_ranges.h"
#include "core/ops/cpu/thread_pool.h"
#include "core/ops/op_checks.h"

namespace gapscope {
namespace {

using Array = Eigen::Map<Eigen::ArrayXf>;
using ConstArray = Eigen::Map<const Eigen::ArrayXf>;

constexpr float kSeluScale = 1.0507009873554804934193349852946f;
constexpr float kSeluScaleAlpha = 1.7580993408473768599402175208123f;
constexpr float kInvSqrt2 = 0.70710678118654752f;
constexpr float kInvSqrt2Pi = 0.39894228040143268f;

// Derivatives are computed a block at a time into a stack buffer that stays in L1.
constexpr int64_t kBlock = 1024;

int64_t grain_for(Activation a) {
  switch (a) {
    case Activation::linear:
    case Activation::relu:
    case Activation::relu6:
    case Activation::hard_sigmoid:
    case Activation::softsign: return kGrainCheap;
    default: return kGrainCostly;
  }
}

// Softmax splits by rows: enough rows per thread to make kGrainCostly floats.
int64_t row_grain(int64_t cols) {
  return std::max<int64_t>(1, kGrainCostly / std::max<int64_t>(cols, 1));
}

// The last axis is the row (softmax normalises over it; losses treat rows as samples).
int64_t row_length(const Tensor& t) { return t.rank() == 0 ? 1 : t.dim(-1); }

// ---- activations -------------------------------------------------------------

}  // namespace

// y[n] = f(x[n]) for every activation but softmax.
void forward_range(Activation act, const float* x, float* y, int64_t n) {
  ConstArray X(x, n);
  Array Y(y, n);
  switch (act) {
    case Activation::linear:
      if (x != y) std::copy_n(x, n, y);
      return;
    case Activation::relu:
#pragma GCC ivdep
      for (int64_t i = 0; i < n; ++i) y[i] = x[i] < 0.0f ? 0.0f : x[i];
      return;
    case Activation::relu6:
#pragma GCC ivdep
      for (int64_t i = 0; i < n; ++i) y[i] = x[i] < 0.0f ? 0.0f : (x[i] > 6.0f ? 6.0f : x[i]);
      return;
    case Activation::hard_sigmoid:
#pragma GCC ivdep
      for (int64_t i = 0; i < n; ++i) {
        float u = 0.2f * x[i] + 0.5f;
        y[i] = u < 0.0f ? 0.0f : (u > 1.0f ? 1.0f : u);
      }
      return;
    case Activation::softsign:
#pragma GCC ivdep
      for (int64_t i = 0; i < n; ++i) y[i] = x[i] / (1.0f + std::fabs(x[i]));
      return;
    // x >= 0: max(x,0) + (exp(0) - 1) = x exactly; x < 0: exp(x) - 1. No branch.
    // (exp - 1 as TF.js writes it: Eigen's expm1 costs five exps here.)
    case Activation::elu: Y = X.max(0.0f) + (X.min(0.0f).exp() - 1.0f); return;
    case Activation::selu:
      Y = kSeluScale * X.max(0.0f) + kSeluScaleAlpha * (X.min(0.0f).exp() - 1.0f);
      return;
    case Activation::sigmoid: Y = (1.0f + (-X).exp()).inverse(); return;
    case Activation::tanh: Y = X.tanh(); return;
    // softplus = max(x,0) + log1p(exp(-|x|)): never overflows.
    case Activation::softplus: Y = X.max(0.0f) + (-X.abs()).exp().log1p(); return;
    case Activation::swish: Y = X * (1.0f + (-X).exp()).inverse(); return;
    case Activation::mish: Y = X * (X.max(0.0f) + (-X.abs()).exp().log1p()).tanh(); return;
    case Activation::gelu: Y = 0.5f * X * (1.0f + (X * kInvSqrt2).erf()); return;
    case Activation::softmax: break;
  }
  throw std::logic_error("forward_range: softmax is row-wise");
}

// d[n] = f'(x) from x and y (see activation_derivative for the conventions).
void derivative_block(Activation act, const float* x, const float* y, float* d, int64_t n) {
  ConstArray X(x, n), Y(y, n);
  Array D(d, n);
  switch (act) {
    case Activation::linear: D = 1.0f; return;
    case Activation::relu:
      for (int64_t i = 0; i < n; ++i) d[i] = x[i] > 0.0f ? 1.0f : 0.0f;
      return;
    case Activation::relu6:
      for (int64_t i = 0; i < n; ++i) d[i] = (x[i] > 0.0f && x[i] < 6.0f) ? 1.0f : 0.0f;
      return;
    case Activation::hard_sigmoid:
      for (int64_t i = 0; i < n; ++i) d[i] = (x[i] >= -2.5f && x[i] <= 2.5f) ? 0.2f : 0.0f;
      return;
    case Activation::softsign: D = (1.0f + X.abs()).square().inverse(); return;
    case Activation::elu: D = Y.min(0.0f) + 1.0f; return;  // TF.js EluGrad: y >= 0 ? 1 : y + 1
    case Activation::selu:
      D = kSeluScaleAlpha * X.min(0.0f).exp();
      for (int64_t i = 0; i < n; ++i) d[i] = x[i] > 0.0f ? kSeluScale : d[i];
      return;
    case Activation::sigmoid: D = Y * (1.0f - Y); return;
    case Activation::tanh: D = 1.0f - Y.square(); return;
    case Activation::softplus: D = (1.0f + (-X).exp()).inverse(); return;
    case Activation::swish:  // s (1 + x (1 - s)), s = sigmoid(x)
      D = (1.0f + (-X).exp()).inverse();
      D = D * (1.0f + X * (1.0f - D));
      return;
    case Activation::mish:  // t + x (1 - t^2) sigmoid(x), t = tanh(softplus(x))
      D = (X.max(0.0f) + (-X.abs()).exp().log1p()).tanh();
      D = D + X * (1.0f - D.square()) * (1.0f + (-X).exp()).inverse();
      return;
    case Activation::gelu:  // Phi(x) + x phi(x)
      D = 0.5f * (1.0f + (X * kInvSqrt2).erf()) + kInvSqrt2Pi * X * (-0.5f * X.square()).exp();
      return;
    case Activation::softmax: break;
  }
  throw std::logic_error("derivative_block: softmax is row-wise");
}

namespace {

// dx[n] = dy * f'(x)
void backward_range(Activation act, const float* x, const float* y, const float* dy, float* dx,
                    int64_t n) {
  if (act == Activation::linear) {
    if (dx != dy) std::copy_n(dy, n, dx);
    return;
  }
  alignas(64) float d[kBlock];
  for (int64_t b = 0; b < n; b += kBlock) {
    int64_t m = std::min(kBlock, n - b);
    derivative_block(act, x + b, y + b, d, m);
    const float* g = dy + b;
    float* out = dx + b;
#pragma GCC ivdep
    for (int64_t i = 0; i < m; ++i) out[i] = g[i] * d[i];
  }
}

// y[rows, C] = exp(x - max) / sum(exp(x - max)) per row, as tfjs-core softmax.
void softmax_rows(const float* x, float* y, int64_t rows, int64_t cols) {
  for (int64_t r = 0; r < rows; ++r) {
    ConstArray xr(x + r * cols, cols);
    Array yr(y + r * cols, cols);
    float max = xr.maxCoeff();
    yr = (xr - max).exp();
    yr /= yr.sum();
  }
}

// dx = y * (dy - sum(dy * y)) per row.
void softmax_backward_rows(const float* y, const float* dy, float* dx, int64_t rows, int64_t cols) {
  for (int64_t r = 0; r < rows; ++r) {
    ConstArray yr(y + r * cols, cols), dyr(dy + r * cols, cols);
    Array dxr(dx + r * cols, cols);
    float dot = (dyr * yr).sum();
    dxr = yr * (dyr - dot);
  }
}

// ---- losses --------------------------------------------------------------------

constexpr float kClipLow = kLossEpsilon;
constexpr float kClipHigh = 1.0f - kLossEpsilon;

float clip_probability(float p) {
  return p < kClipLow ? kClipLow : (p > kClipHigh ? kClipHigh : p);
}
// clipByValue passes the gradient on the closed interval.
bool inside_clip(float p) { return p >= kClipLow && p <= kClipHigh; }

// TF.js floors the stored index (tf.floor then int32); anything outside [0, C) is an error here.
int64_t class_index(const char* op, float value, int64_t row, int64_t classes) {
  float index = std::floor(value);
  if (!(index >= 0.0f && index < static_cast<float>(classes))) {
    char text[160];
    std::snprintf(text, sizeof text, "%s: target row %lld holds %g, not a class index in [0, %lld)",
                  op, static_cast<long long>(row), static_cast<double>(value),
                  static_cast<long long>(classes));
    throw std::invalid_argument(text);
  }
  return static_cast<int64_t>(index);
}

// One row of TF.js categoricalCrossentropy:
//   c = o (categorical) or clip(o) (sparse: TF.js clips before it normalises)
//   q = c / sum(c);  p = clip(q);  loss = -sum(t log p)
// t is one_hot(cls) when t == nullptr. With grad, writes scale * d loss / d o,
// differentiating through every step as TF.js's autodiff does:
//   g = -t / p where q is inside the clip, else 0
//   d loss / d c = (g - sum(g q)) / sum(c);  then times [o inside clip] if sparse.
double crossentropy_row(const float* o, const float* t, int64_t cls, int64_t classes, float* grad,
                        float scale) {
  const bool sparse = t == nullptr;
  auto c = [&](int64_t j) { return sparse ? clip_probability(o[j]) : o[j]; };
  auto target = [&](int64_t j) { return sparse ? (j == cls ? 1.0f : 0.0f) : t[j]; };
  double total = 0.0;
  for (int64_t j = 0; j < classes; ++j) total += c(j);
  const float sum = static_cast<float>(total);
  double loss = 0.0, g_dot_q = 0.0;
  for (int64_t j = 0; j < classes; ++j) {
    float tj = target(j);
    if (tj == 0.0f) continue;  // 0 * log p adds nothing (and p > 0 after the clip)
    float q = c(j) / sum, p = clip_probability(q);
    loss -= static_cast<double>(tj) * std::log(static_cast<double>(p));
    if (inside_clip(q)) g_dot_q += -static_cast<double>(tj) / p * q;
  }
  if (grad) {
    for (int64_t j = 0; j < classes; ++j) {
      float tj = target(j), q = c(j) / sum;
      double g =
          (tj != 0.0f && inside_clip(q)) ? -static_cast<double>(tj) / clip_probability(q) : 0.0;
      double dc = (g - g_dot_q) / sum;
      bool passes = !sparse || inside_clip(o[j]);
      grad[j] = passes ? static_cast<float>(dc * scale) : 0.0f;
    }
  }
  return loss;
}

// TF.js binaryCrossentropy: p = clip(o); mean over the row of
// -(t log p + (1 - t) log(1 - p)) (TF.js goes through logits log(p / (1 - p)),
// which is the same function); d/do = (p - t) / (p (1 - p)) inside the clip.
double binary_crossentropy_row(const float* o, const float* t, int64_t n, float* grad,
                               float scale) {
  double loss = 0.0;
  for (int64_t j = 0; j < n; ++j) {
    double p = clip_probability(o[j]), tj = t[j];
    loss -= tj * std::log(p) + (1.0 - tj) * std::log1p(-p);
    if (grad)
      grad[j] =
          inside_clip(o[j]) ? static_cast<float>((p - tj) / (p * (1.0 - p)) * scale / n) : 0.0f;
  }
  return loss / static_cast<double>(n);
}

// TF.js meanSquaredError: mean over the row of (o - t)^2; d/do = 2 (o - t) / n.
double mean_squared_error_row(const float* o, const float* t, int64_t n, float* grad, float scale) {
  double loss = 0.0;
  for (int64_t j = 0; j < n; ++j) {
    double diff = static_cast<double>(o[j]) - t[j];
    loss += diff * diff;
    if (grad) grad[j] = static_cast<float>(2.0 * diff * scale / n);
  }
  return loss / static_cast<double>(n);
}

int64_t argmax(const float* v, int64_t n) {
  int64_t best = 0;
  for (int64_t j = 1; j < n; ++j)
    if (v[j] > v[best]) best = j;  // first maximum wins, as tf.argMax
  return best;
}

}  // namespace

// ---- activations -----------------------------------------------------------------

// x [..., C] -> y [..., C]
void CpuBackend::activation_forward(Activation act, const Tensor& x, Tensor& y) {
  require_shape(y, x.shape(), "activation_forward: y");
  const float* xp = x.data();
  float* yp = y.data();
  if (act == Activation::softmax) {
    int64_t cols = row_length(x), rows = cols ? x.size() / cols : 0;
    for_ranges(pool_.get(), rows, row_grain(cols), [&](int64_t r0, int64_t r1) {
      softmax_rows(xp + r0 * cols, yp + r0 * cols, r1 - r0, cols);
    });
    return;
  }
  for_ranges(pool_.get(), x.size(), grain_for(act),
             [&](int64_t b, int64_t e) { forward_range(act, xp + b, yp + b, e - b); });
}

// x, y, dy [..., C] -> dx [..., C]
void CpuBackend::activation_backward(Activation act, const Tensor& x, const Tensor& y,
                                     const Tensor& dy, Tensor& dx) {
  require_shape(y, x.shape(), "activation_backward: y");
  require_shape(dy, x.shape(), "activation_backward: dy");
  require_shape(dx, x.shape(), "activation_backward: dx");
  const float *xp = x.data(), *yp = y.data(), *dyp = dy.data();
  float* dxp = dx.data();
  if (act == Activation::softmax) {
    int64_t cols = row_length(x), rows = cols ? x.size() / cols : 0;
    for_ranges(pool_.get(), rows, row_grain(cols), [&](int64_t r0, int64_t r1) {
      int64_t at = r0 * cols;
      softmax_backward_rows(yp + at, dyp + at, dxp + at, r1 - r0, cols);
    });
    return;
  }
  for_ranges(pool_.get(), x.size(), grain_for(act), [&](int64_t b, int64_t e) {
    backward_range(act, xp + b, yp + b, dyp + b, dxp + b, e - b);
  });
}

// ---- dropout and arithmetic ---------------------------------------------------------

// x [N] -> mask [N], y [N]; mask = (u >= rate) / (1 - rate), u = hash_uniform(seed, i).
void CpuBackend::dropout_forward(const Tensor& x, float rate, uint64_t seed, Tensor& mask,
                                 Tensor& y) {
  require_shape(mask, x.shape(), "dropout_forward: mask");
  require_shape(y, x.shape(), "dropout_forward: y");
  check_dropout_rate(rate);
  const float keep_scale = 1.0f / (1.0f - rate);
  const float* xp = x.data();
  float *mp = mask.data(), *yp = y.data();
  // Captured by value: loads through references would keep GCC from vectorising.
  for_ranges(pool_.get(), x.size(), kGrainCostly, [=](int64_t b, int64_t e) {
#pragma GCC ivdep
    for (int64_t i = b; i < e; ++i) {
      float m = hash_uniform(seed, static_cast<uint64_t>(i)) >= rate ? keep_scale : 0.0f;
      mp[i] = m;
      yp[i] = xp[i] * m;
    }
  });
}

// a, b [N] -> y [N] = a * b
void CpuBackend::multiply(const Tensor& a, const Tensor& b, Tensor& y) {
  require_shape(b, a.shape(), "multiply: b");
  require_shape(y, a.shape(), "multiply: y");
  const float *ap = a.data(), *bp = b.data();
  float* yp = y.data();
  for_ranges(pool_.get(), a.size(), kGrainCheap, [&](int64_t s, int64_t e) {
    Array(yp + s, e - s) = ConstArray(ap + s, e - s) * ConstArray(bp + s, e - s);
  });
}

namespace {

// The loops take their constants as parameters: read through the closure
// they are reloaded after every store, which might alias them. With them, and
// with -fno-trapping-math (core/CMakeLists.txt), GCC makes the conditionals
// vector blends; before, these loops were scalar with a branch per element
// (34% of MobileNetV2's batch-1 time).
void piecewise_linear_span(const float* __restrict x, float* __restrict y, int64_t n, float slope,
                           float threshold, float cap) {
  for (int64_t i = 0; i < n; ++i) {
    const float v = x[i];
    const float below = slope * (v - threshold), kept = v > threshold ? v : below;
    y[i] = v >= cap ? cap : kept;
  }
}

void piecewise_linear_backward_span(const float* __restrict x, const float* __restrict dy, float* __restrict dx,
                                    int64_t n, float slope, float threshold, float cap) {
  for (int64_t i = 0; i < n; ++i) {
    const float v = x[i], g = dy[i];
    const float kept = v > threshold ? g : slope * g;
    dx[i] = v > cap ? 0.0f : kept;
  }
}

}  // namespace

void CpuBackend::piecewise_linear_forward(const PiecewiseLinear& f, const Tensor& x, Tensor& y) {
  require_shape(y, x.shape(), "piecewise_linear_forward: y");
  const float* xp = x.data();
  float* yp = y.data();
  for_ranges(pool_.get(), x.size(), kGrainCheap, [&](int64_t s, int64_t e) {
    piecewise_linear_span(xp + s, yp + s, e - s, f.negative_slope, f.threshold, f.max_value);
  });
}

void CpuBackend::piecewise_linear_backward(const PiecewiseLinear& f, const Tensor& x, const Tensor& dy, Tensor& dx) {
  require_shape(dy, x.shape(), "piecewise_linear_backward: dy");
  require_shape(dx, x.shape(), "piecewise_linear_backward: dx");
  const float *xp = x.data(), *dyp = dy.data();
  float* dxp = dx.data();
  for_ranges(pool_.get(), x.size(), kGrainCheap, [&](int64_t s, int64_t e) {
    piecewise_linear_backward_span(xp + s, dyp + s, dxp + s, e - s, f.negative_slope, f.threshold, f.max_value);
  });
}

void CpuBackend::maximum(const Tensor& x, Tensor& y) {
  require_shape(y, x.shape(), "maximum: y");
  const float* xp = x.data();
  float* yp = y.data();
  for_ranges(pool_.get(), x.size(), kGrainCheap, [&](int64_t s, int64_t e) {
    Array(yp + s, e - s) = Array(yp + s, e - s).max(ConstArray(xp + s, e - s));
  });
}

void CpuBackend::maximum_backward(const Tensor& x, const Tensor& y, Tensor& remaining, Tensor& dx) {
  require_shape(y, x.shape(), "maximum_backward: y");
  require_shape(remaining, x.shape(), "maximum_backward: remaining");
  require_shape(dx, x.shape(), "maximum_backward: dx");
  const float *xp = x.data(), *yp = y.data();
  float *rp = remaining.data(), *dxp = dx.data();
  for_ranges(pool_.get(), x.size(), kGrainCheap, [&](int64_t s, int64_t e) {
#pragma GCC ivdep
    for (int64_t i = s; i < e; ++i) {
      const bool wins = xp[i] == yp[i];
      dxp[i] = wins ? rp[i] : 0.0f;
      rp[i] = wins ? 0.0f : rp[i];
    }
  });
}

// y [N] += alpha * x [N]
void CpuBackend::axpy(float alpha, const Tensor& x, Tensor& y) {
  require_shape(y, x.shape(), "axpy: y");
  const float* xp = x.data();
  float* yp = y.data();
  for_ranges(pool_.get(), x.size(), kGrainCheap, [&](int64_t s, int64_t e) {
    Array(yp + s, e - s) += alpha * ConstArray(xp + s, e - s);
  });
}

void CpuBackend::axpby(float alpha, const Tensor& x, float beta, Tensor& y) {
  require_shape(y, x.shape(), "axpby: y");
  const float* xp = x.data();
  float* yp = y.data();
  for_ranges(pool_.get(), x.size(), kGrainCheap, [&](int64_t s, int64_t e) {
    Array(yp + s, e - s) = alpha * ConstArray(xp + s, e - s) + beta * Array(yp + s, e - s);
  });
}

// src [R, Sc] columns [sc, sc + n) -> dst [R, Dc] columns [dc, dc + n)
void CpuBackend::copy_columns(const Tensor& src, int64_t src_column, Tensor& dst, int64_t dst_column,
                              int64_t columns) {
  check_copy_columns(src, src_column, dst, dst_column, columns);
  const int64_t sc = src.dim(1), dc = dst.dim(1);
  const float* sp = src.data() + src_column;
  float* dp = dst.data() + dst_column;
  for_ranges(pool_.get(), src.dim(0), std::max<int64_t>(1, kGrainCheap / std::max<int64_t>(columns, 1)),
             [&](int64_t r0, int64_t r1) {
               for (int64_t r = r0; r < r1; ++r) std::copy_n(sp + r * sc, columns, dp + r * dc);
             });
}

// ---- losses and accuracy ------------------------------------------------------------

// output [B, C], target [B, C] (sparse: [B, 1]) -> loss_out [1] = mean over rows;
// grad [B, C] = d loss / d output.
void CpuBackend::loss_forward_backward(Loss loss, const Tensor& output, const Tensor& target,
                                       Tensor& loss_out, Tensor* grad) {
  const char* op = "loss_forward_backward";
  LossRows rows = check_loss_operands(op, loss, output, target, loss_out);
  if (grad) require_shape(*grad, output.shape(), "loss_forward_backward: grad");
  const float *o = output.data(), *t = target.data();
  float* g = grad ? grad->data() : nullptr;
  const float scale = 1.0f / static_cast<float>(rows.count);
  const int64_t n = rows.length;
  double total = 0.0;
  for (int64_t r = 0; r < rows.count; ++r) {
    const float* orow = o + r * n;
    float* grow = g ? g + r * n : nullptr;
    switch (loss) {
      case Loss::categorical_crossentropy:
        total += crossentropy_row(orow, t + r * n, 0, n, grow, scale);
        break;
      case Loss::sparse_categorical_crossentropy:
        total += crossentropy_row(orow, nullptr, class_index(op, t[r], r, n), n, grow, scale);
        break;
      case Loss::binary_crossentropy:
        total += binary_crossentropy_row(orow, t + r * n, n, grow, scale);
        break;
      case Loss::mean_squared_error:
        total += mean_squared_error_row(orow, t + r * n, n, grow, scale);
        break;
    }
  }
  loss_out.data()[0] = static_cast<float>(total / static_cast<double>(rows.count));
}

// probabilities [B, C] (softmax output), target [B, C] (sparse: [B, 1]) ->
// loss_out [1], grad_logits [B, C] = (p * sum(t) - t) / B, which is (p - onehot) / B
// for one-hot targets: softmax backward composed with the loss gradient.
void CpuBackend::softmax_crossentropy_backward(Loss loss, const Tensor& probabilities,
                                               const Tensor& target, Tensor& loss_out,
                                               Tensor& grad_logits) {
  const char* op = "softmax_crossentropy_backward";
  require_crossentropy(op, loss);
  LossRows rows = check_loss_operands(op, loss, probabilities, target, loss_out);
  require_shape(grad_logits, probabilities.shape(), "softmax_crossentropy_backward: grad_logits");
  const float *p = probabilities.data(), *t = target.data();
  float* g = grad_logits.data();
  const float scale = 1.0f / static_cast<float>(rows.count);
  const int64_t n = rows.length;
  double total = 0.0;
  for (int64_t r = 0; r < rows.count; ++r) {
    const float* prow = p + r * n;
    float* grow = g + r * n;
    if (loss == Loss::sparse_categorical_crossentropy) {
      int64_t cls = class_index(op, t[r], r, n);
      total += crossentropy_row(prow, nullptr, cls, n, nullptr, scale);
      for (int64_t j = 0; j < n; ++j) grow[j] = (prow[j] - (j == cls ? 1.0f : 0.0f)) * scale;
    } else {
      const float* trow = t + r * n;
      total += crossentropy_row(prow, trow, 0, n, nullptr, scale);
      float target_sum = 0.0f;
      for (int64_t j = 0; j < n; ++j) target_sum += trow[j];
      for (int64_t j = 0; j < n; ++j) grow[j] = (prow[j] * target_sum - trow[j]) * scale;
    }
  }
  loss_out.data()[0] = static_cast<float>(total / static_cast<double>(rows.count));
}

// As tfjs-layers picks its 'accuracy' metric: one output column or binary
// cross-entropy -> binaryAccuracy (output > 0.5 equals target; a row counts the
// fraction of its columns that match); sparse -> argmax equals the index;
// otherwise argmax equals the target's argmax.
void CpuBackend::count_correct(const Tensor& output, const Tensor& target, Loss loss,
                               Tensor& correct_out) {
  const char* op = "count_correct";
  LossRows rows = check_loss_operands(op, loss, output, target, correct_out);
  const float *o = output.data(), *t = target.data();
  const int64_t n = rows.length;
  double correct = 0.0;
  for (int64_t r = 0; r < rows.count; ++r) {
    const float* orow = o + r * n;
    if (n == 1 || loss == Loss::binary_crossentropy) {
      int64_t matches = 0;
      for (int64_t j = 0; j < n; ++j) matches += (orow[j] > 0.5f ? 1.0f : 0.0f) == t[r * n + j];
      correct += static_cast<double>(matches) / static_cast<double>(n);
    } else if (loss == Loss::sparse_categorical_crossentropy) {
      correct += argmax(orow, n) == class_index(op, t[r], r, n) ? 1.0 : 0.0;
    } else {
      correct += argmax(orow, n) == argmax(t + r * n, n) ? 1.0 : 0.0;
    }
  }
  correct_out.data()[0] = static_cast<float>(correct);
}

}  // namespace gapscope

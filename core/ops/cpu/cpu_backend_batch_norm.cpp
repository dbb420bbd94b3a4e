// native-cpu batch normalization over rows: x [R, C], statistics per column.
// The column sums over many rows (a conv layer's B*H*W pixels) are
// column_sums.h's: split over the pool, exact enough for 10^5 rows.
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/ops/cpu/column_sums.h"
#include "core/ops/cpu/cpu_backend.h"
#include "core/ops/cpu/parallel_ranges.h"
#include "core/ops/cpu/thread_pool.h"
#include "core/ops/op_checks_layers.h"

namespace gapscope {
namespace {

// scale = gamma / sqrt(variance + epsilon) per column.
std::vector<float> inverse_std_times(const float* gamma, const float* variance, float epsilon,
                                     int64_t cols) {
  std::vector<float> scale(static_cast<size_t>(cols));
  for (int64_t c = 0; c < cols; ++c) scale[c] = gamma[c] / std::sqrt(variance[c] + epsilon);
  return scale;
}

}  // namespace

// x [R, C] -> mean [C], variance [C] (biased, two passes: no cancellation)
void CpuBackend::moments(const Tensor& x, Tensor& mean, Tensor& variance) {
  const auto [rows, cols] = check_moments(x, mean, variance);
  const float* xp = x.data();
  float *mp = mean.data(), *vp = variance.data();
  std::vector<double> sum = column_sums(pool_.get(), rows, cols, [&](int64_t r0, int64_t r1, float* acc) {
    for (int64_t r = r0; r < r1; ++r) {
      const float* row = xp + r * cols;
#pragma GCC ivdep
      for (int64_t c = 0; c < cols; ++c) acc[c] += row[c];
    }
  });
  for (int64_t c = 0; c < cols; ++c) mp[c] = static_cast<float>(sum[c] / rows);
  std::vector<double> squares =
      column_sums(pool_.get(), rows, cols, [&](int64_t r0, int64_t r1, float* acc) {
        for (int64_t r = r0; r < r1; ++r) {
          const float* row = xp + r * cols;
#pragma GCC ivdep
          for (int64_t c = 0; c < cols; ++c) {
            float d = row[c] - mp[c];
            acc[c] += d * d;
          }
        }
      });
  for (int64_t c = 0; c < cols; ++c) vp[c] = static_cast<float>(squares[c] / rows);
}

// x [R, C] -> y [R, C] = x * scale + shift, scale = gamma / sqrt(var + eps),
// shift = beta - mean * scale (the same function as TF.js's batchNorm).
void CpuBackend::batch_norm_forward(const Tensor& x, const Tensor& mean, const Tensor& variance,
                                    const Tensor& gamma, const Tensor& beta, float epsilon,
                                    Tensor& y) {
  const auto [rows, cols] = check_batch_norm_forward(x, mean, variance, gamma, beta, y);
  std::vector<float> scale = inverse_std_times(gamma.data(), variance.data(), epsilon, cols);
  std::vector<float> shift(static_cast<size_t>(cols));
  for (int64_t c = 0; c < cols; ++c) shift[c] = beta.data()[c] - mean.data()[c] * scale[c];
  const float *xp = x.data(), *sp = scale.data(), *hp = shift.data();
  float* yp = y.data();
  for_ranges(pool_.get(), rows, std::max<int64_t>(1, kGrainCheap / cols), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const float* in = xp + r * cols;
      float* out = yp + r * cols;
#pragma GCC ivdep
      for (int64_t c = 0; c < cols; ++c) out[c] = in[c] * sp[c] + hp[c];
    }
  });
}

// With xhat = (x - mean) / sqrt(var + eps), y = gamma xhat + beta and the
// moments taken from x itself:
//   dbeta = sum_r dy,  dgamma = sum_r dy * xhat
//   dx = gamma / sqrt(var + eps) * (dy - dbeta / R - xhat * dgamma / R)
void CpuBackend::batch_norm_backward(const Tensor& x, const Tensor& mean, const Tensor& variance,
                                     const Tensor& gamma, float epsilon, const Tensor& dy,
                                     Tensor& dx, Tensor& dgamma, Tensor& dbeta) {
  const auto [rows, cols] =
      check_batch_norm_backward(x, mean, variance, gamma, dy, dx, dgamma, dbeta);
  std::vector<float> inv_std(static_cast<size_t>(cols));
  for (int64_t c = 0; c < cols; ++c) inv_std[c] = 1.0f / std::sqrt(variance.data()[c] + epsilon);
  const float *xp = x.data(), *mp = mean.data(), *dyp = dy.data(), *ip = inv_std.data();
  // [dbeta | dgamma] in one pass over x and dy.
  std::vector<double> sums =
      column_sums(pool_.get(), rows, 2 * cols, [&](int64_t r0, int64_t r1, float* acc) {
        float* acc_g = acc + cols;
        for (int64_t r = r0; r < r1; ++r) {
          const float *in = xp + r * cols, *g = dyp + r * cols;
#pragma GCC ivdep
          for (int64_t c = 0; c < cols; ++c) {
            acc[c] += g[c];
            acc_g[c] += g[c] * (in[c] - mp[c]) * ip[c];
          }
        }
      });
  float *dbp = dbeta.data(), *dgp = dgamma.data();
  std::vector<float> k(static_cast<size_t>(cols)), mean_db(static_cast<size_t>(cols)),
      mean_dg(static_cast<size_t>(cols));
  for (int64_t c = 0; c < cols; ++c) {
    dbp[c] = static_cast<float>(sums[c]);
    dgp[c] = static_cast<float>(sums[cols + c]);
    k[c] = gamma.data()[c] * ip[c];
    mean_db[c] = static_cast<float>(sums[c] / rows);
    mean_dg[c] = static_cast<float>(sums[cols + c] / rows);
  }
  const float *kp = k.data(), *mbp = mean_db.data(), *mgp = mean_dg.data();
  float* dxp = dx.data();
  for_ranges(pool_.get(), rows, std::max<int64_t>(1, kGrainCheap / cols), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const float *in = xp + r * cols, *g = dyp + r * cols;
      float* out = dxp + r * cols;
#pragma GCC ivdep
      for (int64_t c = 0; c < cols; ++c)
        out[c] = kp[c] * (g[c] - mbp[c] - (in[c] - mp[c]) * ip[c] * mgp[c]);
    }
  });
}

}  // namespace gapscope

// native-cpu layer normalization: x [R, C], statistics per row (one sample
// position's features). Rows are independent, so they split over the pool;
// each row's sums are Eigen's vectorised float sums, as softmax's are (and
// tfjs-core's moments, in float32). Only the gamma and beta gradients add
// over rows: column_sums.h.
#include <cmath>
#include <vector>

#include <Eigen/Core>

#include "core/ops/cpu/column_sums.h"
#include "core/ops/cpu/cpu_backend.h"
#include "core/ops/cpu/parallel_ranges.h"
#include "core/ops/op_checks_layers.h"

namespace gapscope {
namespace {

using ConstRow = Eigen::Map<const Eigen::ArrayXf>;
using Row = Eigen::Map<Eigen::ArrayXf>;

}  // namespace

// Per row: mean, biased variance (two passes: no cancellation), then
// y = (x - mean) * inv_std * gamma + beta, as TF.js's batchNorm of the moments.
void CpuBackend::layer_norm_forward(const Tensor& x, const Tensor& gamma, const Tensor& beta, float epsilon,
                                    Tensor& y, Tensor& mean, Tensor& inv_std) {
  // Plain locals, not a structured binding: clang 14 cannot capture one in a lambda.
  const MatrixDims dims = check_layer_norm_forward(x, gamma, beta, y, mean, inv_std);
  const int64_t rows = dims.rows, cols = dims.cols;
  const float* xp = x.data();
  float *yp = y.data(), *mp = mean.data(), *ip = inv_std.data();
  const ConstRow g(gamma.data(), cols), b(beta.data(), cols);
  const float n = static_cast<float>(cols);
  for_rows(pool_.get(), rows, cols, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const ConstRow in(xp + r * cols, cols);
      const float m = in.sum() / n;
      const float inv = 1.0f / std::sqrt((in - m).square().sum() / n + epsilon);
      mp[r] = m;
      ip[r] = inv;
      Row(yp + r * cols, cols) = (in - m) * inv * g + b;
    }
  });
}

// With xhat = (x - mean) * inv_std per row and y = gamma xhat + beta:
//   dbeta = sum_r dy,  dgamma = sum_r dy * xhat
//   dx = inv_std * (g - mean_c(g) - xhat * mean_c(g * xhat)),  g = dy * gamma
// (the means over the row's C features, whose statistics x itself set).
void CpuBackend::layer_norm_backward(const Tensor& x, const Tensor& mean, const Tensor& inv_std, const Tensor& gamma,
                                     const Tensor& dy, Tensor& dx, Tensor& dgamma, Tensor& dbeta) {
  const MatrixDims dims = check_layer_norm_backward(x, mean, inv_std, gamma, dy, dx, dgamma, dbeta);
  const int64_t rows = dims.rows, cols = dims.cols;
  const float *xp = x.data(), *mp = mean.data(), *ip = inv_std.data(), *dyp = dy.data();
  // [dbeta | dgamma] in one pass over x and dy.
  const std::vector<double> sums =
      column_sums(pool_.get(), rows, 2 * cols, [&](int64_t r0, int64_t r1, float* acc) {
        Row acc_b(acc, cols), acc_g(acc + cols, cols);
        for (int64_t r = r0; r < r1; ++r) {
          const ConstRow in(xp + r * cols, cols), d(dyp + r * cols, cols);
          acc_b += d;
          acc_g += d * ((in - mp[r]) * ip[r]);
        }
      });
  float *dbp = dbeta.data(), *dgp = dgamma.data();
  for (int64_t c = 0; c < cols; ++c) {
    dbp[c] = static_cast<float>(sums[c]);
    dgp[c] = static_cast<float>(sums[cols + c]);
  }
  const ConstRow gam(gamma.data(), cols);
  const float n = static_cast<float>(cols);
  float* dxp = dx.data();
  for_rows(pool_.get(), rows, 2 * cols, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const ConstRow in(xp + r * cols, cols), d(dyp + r * cols, cols);
      const float inv = ip[r];
      const auto xhat = (in - mp[r]) * inv;
      const auto g = d * gam;
      const float mean_g = g.sum() / n, mean_g_xhat = (g * xhat).sum() / n;
      Row(dxp + r * cols, cols) = inv * (g - mean_g - xhat * mean_g_xhat);
    }
  });
}

}  // namespace gapscope

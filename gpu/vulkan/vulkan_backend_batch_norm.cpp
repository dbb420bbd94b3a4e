// Batch normalization over the rows of x [R, C] on Vulkan. Column sums
// (batch_norm_sums.comp) are parallel over row groups and column tiles: with
// many rows (a conv layer's B*H*W pixels, e.g. 36,864 rows of 16 columns) each
// group writes its partial sums to scratch and batch_norm_finish.comp adds
// them in a fixed tree; with few rows one group per column tile writes the
// result directly. No float atomics: results are deterministic. The
// element-wise parts are batch_norm_apply.comp.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

#include "core/ops/op_checks_layers.h"
#include "gpu/vulkan/vulkan_backend.h"

namespace gapscope::gpu {
namespace {

// Push constants of batch_norm_sums.comp, batch_norm_finish.comp and
// batch_norm_apply.comp.
struct SumsParams {
  uint32_t rows, cols, width, rows_per_group, final;
  float divisor, epsilon;
};
struct FinishParams {
  uint32_t cols, sums, groups;
  float divisor;
};
struct ApplyParams {
  uint32_t n, cols;
  float rows, epsilon;
};

// Each invocation of a sums workgroup adds at least this many rows; at most
// kMaxGroups row groups (their partials stay small, the finish pass short).
constexpr int64_t kRowsPerInvocation = 8;
constexpr int64_t kMaxGroups = 1024;

struct SumsPlan {
  uint32_t width, column_tiles, rows_per_group, groups;
};

SumsPlan plan_sums(int64_t rows, int64_t cols) {
  const int64_t width = std::min<int64_t>(cols, 256), lanes = 256 / width;
  const int64_t tiles = (cols + width - 1) / width;
  int64_t per_group = lanes * kRowsPerInvocation;
  int64_t groups = (rows + per_group - 1) / per_group;
  if (groups > kMaxGroups) {
    per_group = (rows + kMaxGroups - 1) / kMaxGroups;
    groups = (rows + per_group - 1) / per_group;
  }
  return {static_cast<uint32_t>(width), static_cast<uint32_t>(tiles), static_cast<uint32_t>(per_group),
          static_cast<uint32_t>(groups)};
}

void require_indexable(const Tensor& x, const char* op) {
  // Column tiles are one grid dimension (at most 65535 tiles of 256 columns).
  if (x.size() > std::numeric_limits<int32_t>::max() || x.dim(1) > int64_t{65535} * 256)
    throw std::invalid_argument(std::string("native-vulkan ") + op + ": " + shape_to_string(x.shape()) +
                                " is too large for 32-bit indexing");
}

std::string label(int64_t rows, int64_t cols) { return std::to_string(rows) + "x" + std::to_string(cols); }

}  // namespace

void VulkanBackend::moments(const Tensor& x, Tensor& mean, Tensor& variance) {
  const auto [rows, cols] = check_moments(x, mean, variance);
  require_indexable(x, "moments");
  const SumsPlan plan = plan_sums(rows, cols);
  const Groups grid{plan.groups, plan.column_tiles, 1};
  const std::string shape = label(rows, cols);
  SumsParams params{static_cast<uint32_t>(rows), static_cast<uint32_t>(cols), plan.width, plan.rows_per_group, 1,
                    static_cast<float>(rows), 0.0f};
  if (plan.groups == 1) {
    // Unused bindings get tensors already bound, so every binding is valid.
    run("bn_sum", {in(x), in(x), in(x), in(x), out(mean), out(mean), out(mean)}, params, grid, shape);
    run("bn_squared_deviation", {in(x), in(x), in(mean), in(x), out(variance), out(variance), out(variance)},
        params, grid, shape);
    return;
  }
  params.final = 0;
  Tensor part = scratch(3, int64_t{plan.groups} * cols);
  const FinishParams finish{static_cast<uint32_t>(cols), 1, plan.groups, static_cast<float>(rows)};
  const Groups finish_grid = {static_cast<uint32_t>(std::min<int64_t>(cols, 65535)), 1, 1};
  run("bn_sum", {in(x), in(x), in(x), in(x), out(part), out(mean), out(mean)}, params, grid, shape);
  run("batch_norm_finish", {in(part), out(mean), out(mean)}, finish, finish_grid, shape);
  run("bn_squared_deviation", {in(x), in(x), in(mean), in(x), out(part), out(variance), out(variance)}, params,
      grid, shape);
  run("batch_norm_finish", {in(part), out(variance), out(variance)}, finish, finish_grid, shape);
}

void VulkanBackend::batch_norm_forward(const Tensor& x, const Tensor& mean, const Tensor& variance,
                                       const Tensor& gamma, const Tensor& beta, float epsilon, Tensor& y) {
  const auto [rows, cols] = check_batch_norm_forward(x, mean, variance, gamma, beta, y);
  require_indexable(x, "batch_norm_forward");
  run("bn_forward", {in(x), in(mean), in(variance), in(gamma), in(beta), out(y)},
      ApplyParams{static_cast<uint32_t>(x.size()), static_cast<uint32_t>(cols), static_cast<float>(rows), epsilon},
      linear_groups(x.size()), label(rows, cols));
}

void VulkanBackend::batch_norm_backward(const Tensor& x, const Tensor& mean, const Tensor& variance,
                                        const Tensor& gamma, float epsilon, const Tensor& dy, Tensor& dx,
                                        Tensor& dgamma, Tensor& dbeta) {
  const auto [rows, cols] = check_batch_norm_backward(x, mean, variance, gamma, dy, dx, dgamma, dbeta);
  require_indexable(x, "batch_norm_backward");
  const SumsPlan plan = plan_sums(rows, cols);
  const Groups grid{plan.groups, plan.column_tiles, 1};
  const std::string shape = label(rows, cols);
  SumsParams params{static_cast<uint32_t>(rows), static_cast<uint32_t>(cols), plan.width, plan.rows_per_group, 1,
                    1.0f, epsilon};
  // [dbeta | dgamma] = column sums of dy and dy * xhat.
  if (plan.groups == 1) {
    run("bn_gradient_sums", {in(x), in(dy), in(mean), in(variance), out(dbeta), out(dbeta), out(dgamma)}, params,
        grid, shape);
  } else {
    params.final = 0;
    Tensor part = scratch(3, int64_t{plan.groups} * 2 * cols);
    run("bn_gradient_sums", {in(x), in(dy), in(mean), in(variance), out(part), out(dbeta), out(dgamma)}, params,
        grid, shape);
    run("batch_norm_finish", {in(part), out(dbeta), out(dgamma)},
        FinishParams{static_cast<uint32_t>(cols), 2, plan.groups, 1.0f},
        Groups{static_cast<uint32_t>(std::min<int64_t>(2 * cols, 65535)), 1, 1}, shape);
  }
  run("bn_backward_dx", {in(x), in(mean), in(variance), in(gamma), in(dy), in(dbeta), in(dgamma), out(dx)},
      ApplyParams{static_cast<uint32_t>(x.size()), static_cast<uint32_t>(cols), static_cast<float>(rows), epsilon},
      linear_groups(x.size()), shape);
}

}  // namespace gapscope::gpu

// Element-wise ops on Vulkan: activations (softmax row-wise, in row_ops.comp),
// relu's piecewise-linear forms, dropout with the CPU's hash for its mask,
// multiply, the maximum merge, axpy/axpby, copy_columns. Argument
// checks and their messages are the CPU backend's.
#include "core/base/random.h"
#include "core/ops/op_checks.h"
#include "gpu/vulkan/row_kernels.h"
#include "gpu/vulkan/vulkan_backend.h"

namespace gapscope::gpu {
namespace {

// Kernels whose only scalar is the element count.
struct CountParams {
  uint32_t n;
};

struct DropoutParams {
  uint32_t n, base_lo, base_hi;
  float rate, keep_scale;
};

struct CopyColumnsParams {
  uint32_t n, columns, src_width, src_column, dst_width, dst_column;
};

struct PiecewiseLinearParams {
  uint32_t n;
  float slope, threshold, cap;
};

struct AxpbyParams {
  uint32_t n;
  float alpha, beta;
};

int64_t row_length(const Tensor& t) { return t.rank() == 0 ? 1 : t.dim(-1); }

uint32_t u32(int64_t v) { return static_cast<uint32_t>(v); }

}  // namespace

void VulkanBackend::activation_forward(Activation act, const Tensor& x, Tensor& y) {
  require_shape(y, x.shape(), "activation_forward: y");
  if (x.size() == 0) return;
  if (act == Activation::softmax) {
    const int64_t cols = row_length(x), rows = x.size() / cols, threads = row_threads(cols);
    run("softmax_forward_t" + std::to_string(threads), {in(x), out(y)}, RowParams{u32(rows), u32(cols), 0, 0.0f},
        linear_groups(rows, static_cast<uint32_t>(256 / threads)));
    return;
  }
  run("activation_forward_" + std::string(activation_name(act)), {in(x), out(y)}, CountParams{u32(x.size())},
      linear_groups(x.size()));
}

void VulkanBackend::activation_backward(Activation act, const Tensor& x, const Tensor& y, const Tensor& dy,
                                        Tensor& dx) {
  require_shape(y, x.shape(), "activation_backward: y");
  require_shape(dy, x.shape(), "activation_backward: dy");
  require_shape(dx, x.shape(), "activation_backward: dx");
  if (x.size() == 0) return;
  if (act == Activation::softmax) {
    const int64_t cols = row_length(x), rows = x.size() / cols, threads = row_threads(cols);
    run("softmax_backward_t" + std::to_string(threads), {in(y), in(dy), out(dx)},
        RowParams{u32(rows), u32(cols), 0, 0.0f}, linear_groups(rows, static_cast<uint32_t>(256 / threads)));
    return;
  }
  run("activation_backward_" + std::string(activation_name(act)), {in(x), in(y), in(dy), out(dx)},
      CountParams{u32(x.size())}, linear_groups(x.size()));
}

void VulkanBackend::dropout_forward(const Tensor& x, float rate, uint64_t seed, Tensor& mask, Tensor& y) {
  require_shape(mask, x.shape(), "dropout_forward: mask");
  require_shape(y, x.shape(), "dropout_forward: y");
  check_dropout_rate(rate);
  if (x.size() == 0) return;
  // hash_uniform's stream start, once on the host (core/base/random.h).
  const uint64_t base = splitmix64_mix(seed);
  const float keep_scale = 1.0f / (1.0f - rate);
  run("dropout", {in(x), out(mask), out(y)},
      DropoutParams{u32(x.size()), static_cast<uint32_t>(base), static_cast<uint32_t>(base >> 32), rate, keep_scale},
      linear_groups(x.size()));
}

void VulkanBackend::multiply(const Tensor& a, const Tensor& b, Tensor& y) {
  require_shape(b, a.shape(), "multiply: b");
  require_shape(y, a.shape(), "multiply: y");
  if (a.size() == 0) return;
  run("multiply", {in(a), in(b), out(y)}, CountParams{u32(a.size())}, linear_groups(a.size()));
}

void VulkanBackend::piecewise_linear_forward(const PiecewiseLinear& f, const Tensor& x, Tensor& y) {
  require_shape(y, x.shape(), "piecewise_linear_forward: y");
  if (x.size() == 0) return;
  run("piecewise_linear_forward", {in(x), out(y)},
      PiecewiseLinearParams{u32(x.size()), f.negative_slope, f.threshold, f.max_value}, linear_groups(x.size()));
}

void VulkanBackend::piecewise_linear_backward(const PiecewiseLinear& f, const Tensor& x, const Tensor& dy,
                                              Tensor& dx) {
  require_shape(dy, x.shape(), "piecewise_linear_backward: dy");
  require_shape(dx, x.shape(), "piecewise_linear_backward: dx");
  if (x.size() == 0) return;
  run("piecewise_linear_backward", {in(x), in(dy), out(dx)},
      PiecewiseLinearParams{u32(x.size()), f.negative_slope, f.threshold, f.max_value}, linear_groups(x.size()));
}

void VulkanBackend::maximum(const Tensor& x, Tensor& y) {
  require_shape(y, x.shape(), "maximum: y");
  if (x.size() == 0) return;
  run("maximum", {in(x), out(y)}, CountParams{u32(x.size())}, linear_groups(x.size()));
}

void VulkanBackend::maximum_backward(const Tensor& x, const Tensor& y, Tensor& remaining, Tensor& dx) {
  require_shape(y, x.shape(), "maximum_backward: y");
  require_shape(remaining, x.shape(), "maximum_backward: remaining");
  require_shape(dx, x.shape(), "maximum_backward: dx");
  if (x.size() == 0) return;
  run("maximum_backward", {in(x), in(y), out(remaining), out(dx)}, CountParams{u32(x.size())},
      linear_groups(x.size()));
}

void VulkanBackend::axpy(float alpha, const Tensor& x, Tensor& y) {
  require_shape(y, x.shape(), "axpy: y");
  axpby(alpha, x, 1.0f, y);
}

void VulkanBackend::copy_columns(const Tensor& src, int64_t src_column, Tensor& dst, int64_t dst_column,
                                 int64_t columns) {
  check_copy_columns(src, src_column, dst, dst_column, columns);
  const int64_t n = src.dim(0) * columns;
  if (n == 0) return;
  run("copy_columns", {in(src), out(dst)},
      CopyColumnsParams{u32(n), u32(columns), u32(src.dim(1)), u32(src_column), u32(dst.dim(1)), u32(dst_column)},
      linear_groups(n));
}

void VulkanBackend::axpby(float alpha, const Tensor& x, float beta, Tensor& y) {
  require_shape(y, x.shape(), "axpby: y");
  if (x.size() == 0) return;
  run("axpby", {in(x), out(y)}, AxpbyParams{u32(x.size()), alpha, beta}, linear_groups(x.size()));
}

}  // namespace gapscope::gpu

// Layer normalization over the rows of x [R, C] on Vulkan (layer_norm.comp):
// rows are independent, so T invocations share one row as the row ops do
// (row_kernels.h). Backward writes dy * xhat to scratch with dx; dgamma and
// dbeta are then column sums over the rows, taken by sum_rows (deterministic,
// no float atomics).
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

#include "core/ops/op_checks_layers.h"
#include "gpu/vulkan/row_kernels.h"
#include "gpu/vulkan/vulkan_backend.h"

namespace gapscope::gpu {
namespace {

// Mirrors the push constants of layer_norm.comp.
struct LayerNormParams {
  uint32_t rows, cols;
  float epsilon;
};

// A scratch slot no op that layer_norm_backward calls uses (sum_rows has 1).
constexpr int kDyXhatSlot = 5;

void require_indexable(const Tensor& x, const char* op) {
  if (x.size() > std::numeric_limits<int32_t>::max())
    throw std::invalid_argument(std::string("native-vulkan ") + op + ": " + shape_to_string(x.shape()) +
                                " has too many elements for 32-bit indexing");
}

std::string kernel_for(const char* op, int64_t threads) { return std::string(op) + "_t" + std::to_string(threads); }

}  // namespace

void VulkanBackend::layer_norm_forward(const Tensor& x, const Tensor& gamma, const Tensor& beta, float epsilon,
                                       Tensor& y, Tensor& mean, Tensor& inv_std) {
  const auto [rows, cols] = check_layer_norm_forward(x, gamma, beta, y, mean, inv_std);
  require_indexable(x, "layer_norm_forward");
  const int64_t threads = row_threads(cols);
  run(kernel_for("layer_norm_forward", threads), {in(x), in(gamma), in(beta), out(y), out(mean), out(inv_std)},
      LayerNormParams{static_cast<uint32_t>(rows), static_cast<uint32_t>(cols), epsilon},
      linear_groups(rows, static_cast<uint32_t>(256 / threads)), shape_to_string(x.shape()));
}

void VulkanBackend::layer_norm_backward(const Tensor& x, const Tensor& mean, const Tensor& inv_std,
                                        const Tensor& gamma, const Tensor& dy, Tensor& dx, Tensor& dgamma,
                                        Tensor& dbeta) {
  const auto [rows, cols] = check_layer_norm_backward(x, mean, inv_std, gamma, dy, dx, dgamma, dbeta);
  require_indexable(x, "layer_norm_backward");
  const int64_t threads = row_threads(cols);
  Tensor dy_xhat = scratch(kDyXhatSlot, rows * cols).reshaped({rows, cols});
  run(kernel_for("layer_norm_backward", threads),
      {in(x), in(mean), in(inv_std), in(gamma), in(dy), out(dx), out(dy_xhat)},
      LayerNormParams{static_cast<uint32_t>(rows), static_cast<uint32_t>(cols), 0.0f},
      linear_groups(rows, static_cast<uint32_t>(256 / threads)), shape_to_string(x.shape()));
  sum_rows(dy_xhat, 0.0f, dgamma);
  sum_rows(dy, 0.0f, dbeta);
}

}  // namespace gapscope::gpu

// GEMM on Vulkan: picks the kernel variant (transposes; vec4 loads where every
// contiguous dimension and offset allows; 128x128 tiles for big outputs, 64x64
// otherwise) and splits K over workgroups when the output has too few tiles to
// fill the GPU (batch-64 layers: M = 64).
#include <algorithm>

#include "core/base/checked_math.h"
#include "core/ops/op_checks.h"
#include "gpu/vulkan/vulkan_backend.h"

namespace gapscope::gpu {
namespace {

// Workgroups that keep a large GPU busy (an H100 has 132 SMs); fewer tiles
// than this and a long K get split.
constexpr int64_t kBusyGroups = 256;
constexpr int64_t kMinSplitDepth = 256;

struct GemmParams {
  uint32_t m, n, k;
  float alpha, beta;
  uint32_t kchunk, splits;
  uint32_t c_vec4;  // whole-vec4 stores of C (and of the partial sums)
};

struct ReduceParams {
  uint32_t n, splits;
  float alpha, beta;
};

}  // namespace

void VulkanBackend::gemm(bool transpose_a, bool transpose_b, float alpha, const Tensor& a, const Tensor& b,
                         float beta, Tensor& c) {
  const auto [m, n, k] = gemm_dims(transpose_a, transpose_b, a, b, c);
  if (m == 0 || n == 0) return;
  // Stored rows: A is [M,K] or [K,M], B is [K,N] or [N,K]; vec4 loads need
  // each stored row length and view offset to be multiples of 4.
  const bool vec4 = a.dim(1) % 4 == 0 && b.dim(1) % 4 == 0 && a.offset() % 4 == 0 && b.offset() % 4 == 0;
  const bool large = m >= 128 && n >= 128 && ceil_div(m, 128) * ceil_div(n, 128) >= 64;
  const int64_t tile = large ? 128 : 64;
  const int64_t groups = ceil_div(m, tile) * ceil_div(n, tile);
  int64_t splits = 1;
  if (groups < kBusyGroups && k >= 2 * kMinSplitDepth)
    splits = std::min(ceil_div(kBusyGroups, groups), k / kMinSplitDepth);
  // Each split's depth is a whole number of 16-deep tiles.
  int64_t kchunk = ceil_div(ceil_div(std::max<int64_t>(k, 1), splits), 16) * 16;
  splits = ceil_div(std::max<int64_t>(k, 1), kchunk);

  const std::string kernel = std::string("gemm_") + (transpose_a ? 't' : 'n') + (transpose_b ? 't' : 'n') +
                             (vec4 ? "_v4" : "_s1") + (large ? "_l" : "_s");
  const std::string shape = std::to_string(m) + "x" + std::to_string(n) + "x" + std::to_string(k) +
                            (splits > 1 ? " split " + std::to_string(splits) : "");
  const Groups grid{static_cast<uint32_t>(ceil_div(n, tile)), static_cast<uint32_t>(ceil_div(m, tile)),
                    static_cast<uint32_t>(splits)};
  const GemmParams params{static_cast<uint32_t>(m), static_cast<uint32_t>(n), static_cast<uint32_t>(k), alpha,
                          beta, static_cast<uint32_t>(kchunk), static_cast<uint32_t>(splits),
                          n % 4 == 0 && c.offset() % 4 == 0};
  if (splits == 1) {
    // Binding 3 (the partial sums) is unused; C stands in so it is valid.
    run(kernel, {in(a), in(b), out(c), out(c)}, params, grid, shape);
    return;
  }
  Tensor part = scratch(0, splits * m * n);
  run(kernel, {in(a), in(b), in(c), out(part)}, params, grid, shape);
  run("gemm_reduce", {in(part), out(c)},
      ReduceParams{static_cast<uint32_t>(m * n), static_cast<uint32_t>(splits), alpha, beta},
      linear_groups(m * n), shape);
}

}  // namespace gapscope::gpu

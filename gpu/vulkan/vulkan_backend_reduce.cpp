// Row broadcasts and column sums on Vulkan: add_row_bias and sum_rows (a
// dense layer's bias gradient: 64 x 4096 for an MLP, 36,864 x 16 for a conv's
// im2col rows). sum_rows is two-pass when rows are many: chunks of rows are
// summed in parallel into scratch, then added in chunk order, so the result
// is deterministic without float atomics.
#include <algorithm>
#include <bit>

#include "core/base/checked_math.h"
#include "core/ops/op_checks.h"
#include "gpu/vulkan/vulkan_backend.h"

namespace gapscope::gpu {
namespace {

// Workgroups that keep a large GPU busy (an H100 has 132 SMs).
constexpr int64_t kBusyGroups = 512;
// Rows each lane sums at least before a chunk is split off.
constexpr int64_t kMinRowsPerLane = 16;

struct BiasParams {
  uint32_t n, cols;
};

struct PartialParams {
  uint32_t rows, cols, cols_per_group, rows_per_chunk, chunks;
  float beta;
};


}  // namespace

void VulkanBackend::add_row_bias(Tensor& y, const Tensor& bias) {
  require_matrix(y, "add_row_bias", "y");
  require_shape(bias, {y.dim(1)}, "add_row_bias: bias");
  if (y.size() == 0) return;
  // About 4 elements per invocation: add_row_bias.comp pays one modulo each.
  run("add_row_bias", {out(y), in(bias)}, BiasParams{static_cast<uint32_t>(y.size()), static_cast<uint32_t>(y.dim(1))},
      linear_groups(ceil_div(y.size(), 4)));
}

void VulkanBackend::sum_rows(const Tensor& x, float beta, Tensor& out_sum) {
  require_matrix(x, "sum_rows", "x");
  require_shape(out_sum, {x.dim(1)}, "sum_rows: out");
  const int64_t rows = x.dim(0), cols = x.dim(1);
  if (cols == 0) return;
  // Consecutive invocations take consecutive columns (up to 64, a power of
  // two), the rest of the workgroup's 256 are row lanes.
  const int64_t cols_per_group = std::min<int64_t>(64, std::bit_ceil(static_cast<uint64_t>(cols)));
  const int64_t lanes = 256 / cols_per_group;
  const int64_t col_groups = ceil_div(cols, cols_per_group);
  const uint32_t grid_x = static_cast<uint32_t>(std::min<int64_t>(col_groups, 65535));
  // Enough chunks of rows to fill the GPU, each lane summing a good run of rows.
  const int64_t chunks_wanted = std::max<int64_t>(1, ceil_div(kBusyGroups, col_groups));
  const int64_t rows_per_chunk = std::max(lanes * kMinRowsPerLane, ceil_div(rows, chunks_wanted));
  const int64_t chunks = std::max<int64_t>(1, ceil_div(rows, rows_per_chunk));
  const std::string shape = shape_to_string(x.shape()) + (chunks > 1 ? " chunks " + std::to_string(chunks) : "");
  auto params = [&](int64_t r, int64_t per_chunk, int64_t n_chunks, float b) {
    return PartialParams{static_cast<uint32_t>(r),         static_cast<uint32_t>(cols),
                         static_cast<uint32_t>(cols_per_group), static_cast<uint32_t>(per_chunk),
                         static_cast<uint32_t>(n_chunks),  b};
  };
  if (chunks == 1) {
    run("sum_rows_partial", {in(x), out(out_sum)}, params(rows, rows_per_chunk, 1, beta), Groups{grid_x, 1, 1}, shape);
    return;
  }
  // Pass 1: part[k, :] = the sum of chunk k's rows; pass 2: the column sums
  // of part (its rows in chunk order), into out with beta.
  Tensor part = scratch(1, chunks * cols).reshaped({chunks, cols});
  run("sum_rows_partial", {in(x), out(part)}, params(rows, rows_per_chunk, chunks, 0.0f),
      Groups{grid_x, static_cast<uint32_t>(chunks), 1}, shape);
  run("sum_rows_partial", {in(part), out(out_sum)}, params(chunks, chunks, 1, beta), Groups{grid_x, 1, 1}, shape);
}

}  // namespace gapscope::gpu

// Embedding (gather/scatter of table rows, gpu/shaders/embedding.comp), the
// time-major axis swap (swap_leading_axes.comp) and the LSTM/GRU cells
// (recurrent_cells.comp) on Vulkan. Embedding ids outside the table are found
// by the kernels and reported through the device's status buffer: the error
// (std::out_of_range) comes on the next synchronize or download.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

#include "core/ops/op_checks_layers.h"
#include "gpu/vulkan/vulkan_backend.h"

namespace gapscope::gpu {
namespace {

struct EmbeddingParams {
  uint32_t n, depth, rows, width = 0, row_tiles = 0, ids_per_split = 0, splits = 1;
};

// scatter_add_rows: ids a workgroup compacts at once; workgroups that keep a
// large GPU busy (an H100 has 132 SMs); the most floats of split partial sums.
constexpr int64_t kScatterChunk = 1024;
constexpr int64_t kBusyGroups = 264;
constexpr int64_t kMaxSplitFloats = int64_t{1} << 24;
struct SwapParams {
  uint32_t n, a, b, f;
};
struct CellParams {
  uint32_t n, units;
  int32_t recurrent, act;
};

// Every kernel here indexes with 32-bit unsigned integers.
void require_indexable(const Tensor& t, const char* op) {
  if (t.size() > std::numeric_limits<int32_t>::max())
    throw std::invalid_argument(std::string("native-vulkan ") + op + ": " + shape_to_string(t.shape()) +
                                " has too many elements for 32-bit indexing");
}

// The cells' gates are element-wise activations (the layers reject softmax);
// the CPU's cells throw the same.
void require_elementwise(Activation a) {
  if (a == Activation::softmax) throw std::logic_error("recurrent cell: softmax is not an element-wise activation");
}

CellParams cell_params(int64_t batch, int64_t units, Activation recurrent, Activation act) {
  return {static_cast<uint32_t>(batch * units), static_cast<uint32_t>(units), static_cast<int32_t>(recurrent),
          static_cast<int32_t>(act)};
}

std::string cell_label(int64_t batch, int64_t units) {
  return std::to_string(batch) + "x" + std::to_string(units);
}

}  // namespace

// ---- embedding -------------------------------------------------------------------

void VulkanBackend::gather_rows(const Tensor& table, const Tensor& ids, Tensor& out) {
  check_embedding_operands("gather_rows", table, ids, out);
  require_indexable(table, "gather_rows");
  require_indexable(out, "gather_rows");
  const int64_t n = ids.size(), rows = table.dim(0), depth = table.dim(1);
  if (n == 0) return;
  EmbeddingParams params{static_cast<uint32_t>(n * depth), static_cast<uint32_t>(depth),
                         static_cast<uint32_t>(rows)};
  if (out.size() == 0) {  // no columns: only the ids' check
    params.n = static_cast<uint32_t>(n);
    run("embedding_check_ids", {in(ids)}, params, linear_groups(n), shape_to_string(ids.shape()), true);
    return;
  }
  // An empty table (no rows) is never read: every id is out of range.
  run("gather_rows", {in(table.size() ? table : ids), in(ids), VulkanBackend::out(out)}, params, linear_groups(n * depth),
      shape_to_string(out.shape()), true);
}

void VulkanBackend::scatter_add_rows(const Tensor& dout, const Tensor& ids, Tensor& dtable) {
  check_embedding_operands("scatter_add_rows", dtable, ids, dout);
  require_indexable(dtable, "scatter_add_rows");
  require_indexable(dout, "scatter_add_rows");
  const int64_t n = ids.size(), rows = dtable.dim(0), depth = dtable.dim(1);
  EmbeddingParams params{static_cast<uint32_t>(n), static_cast<uint32_t>(depth), static_cast<uint32_t>(rows)};
  if (dtable.size() == 0) {
    if (n > 0) run("embedding_check_ids", {in(ids)}, params, linear_groups(n), shape_to_string(ids.shape()), true);
    return;
  }
  if (n == 0) {
    fill(dtable, 0.0f);
    return;
  }
  // Workgroups own tiles of (256 / width) table rows x width columns; where
  // those are few, the ids are split over workgroups too (z), each split
  // summing into its own copy of the table, added up in order afterwards.
  const int64_t width = std::min<int64_t>(depth, 256), tile_rows = 256 / width;
  const int64_t row_tiles = (rows + tile_rows - 1) / tile_rows, column_tiles = (depth + width - 1) / width;
  if (column_tiles > 65535)
    throw std::invalid_argument("native-vulkan scatter_add_rows: " + shape_to_string(dtable.shape()) +
                                " has too many columns");
  const int64_t tiles = std::min<int64_t>(row_tiles, 65535) * column_tiles;
  const int64_t chunks = (n + kScatterChunk - 1) / kScatterChunk;
  int64_t splits = 1;
  if (tiles < kBusyGroups)
    splits = std::max<int64_t>(1, std::min({(kBusyGroups + tiles - 1) / tiles, chunks, kMaxSplitFloats / dtable.size(),
                                            int64_t{65535}}));
  const int64_t ids_per_split = (chunks + splits - 1) / splits * kScatterChunk;
  splits = (n + ids_per_split - 1) / ids_per_split;
  params.width = static_cast<uint32_t>(width);
  params.row_tiles = static_cast<uint32_t>(row_tiles);
  params.ids_per_split = static_cast<uint32_t>(ids_per_split);
  params.splits = static_cast<uint32_t>(splits);
  const Groups grid{static_cast<uint32_t>(std::min<int64_t>(row_tiles, 65535)), static_cast<uint32_t>(column_tiles),
                    static_cast<uint32_t>(splits)};
  const std::string shape = shape_to_string(dtable.shape()) + " from " + std::to_string(n);
  if (splits == 1) {
    run("scatter_add_rows", {in(dout), in(ids), out(dtable)}, params, grid, shape, true);
    return;
  }
  Tensor part = scratch(4, splits * dtable.size());
  run("scatter_add_rows", {in(dout), in(ids), out(part)}, params, grid, shape, true);
  EmbeddingParams finish = params;
  finish.n = static_cast<uint32_t>(dtable.size());
  run("scatter_add_rows_finish", {in(part), out(dtable)}, finish, linear_groups(dtable.size()), shape);
}

// ---- recurrent layers ------------------------------------------------------------

void VulkanBackend::swap_leading_axes(const Tensor& x, Tensor& y) {
  check_swap_leading_axes(x, y);
  require_indexable(x, "swap_leading_axes");
  const int64_t a = x.dim(0), b = x.dim(1);
  if (x.size() == 0) return;
  const int64_t f = x.size() / (a * b);
  const SwapParams params{static_cast<uint32_t>(x.size()), static_cast<uint32_t>(a), static_cast<uint32_t>(b),
                          static_cast<uint32_t>(f)};
  if (f == 1 && a > 1 && b > 1) {  // a matrix transpose: 32 x 32 tiles
    const Groups grid{static_cast<uint32_t>(std::min<int64_t>((b + 31) / 32, 65535)),
                      static_cast<uint32_t>(std::min<int64_t>((a + 31) / 32, 65535)), 1};
    run("swap_leading_axes_tiled", {in(x), out(y)}, params, grid);
    return;
  }
  run("swap_leading_axes", {in(x), out(y)}, params, linear_groups(x.size()));
}

void VulkanBackend::lstm_cell_forward(Activation recurrent, Activation act, const Tensor& pre,
                                      const Tensor& c_prev, Tensor& gates, Tensor& c, Tensor& h) {
  const int64_t u = check_lstm_cell_forward(pre, c_prev, gates, c, h), batch = pre.dim(0);
  require_elementwise(recurrent);
  require_elementwise(act);
  require_indexable(pre, "lstm_cell_forward");
  if (batch == 0) return;
  run("lstm_cell_forward", {in(pre), in(c_prev), out(gates), out(c), out(h)}, cell_params(batch, u, recurrent, act),
      linear_groups(batch * u), cell_label(batch, u));
}

void VulkanBackend::lstm_cell_backward(Activation recurrent, Activation act, const Tensor& pre,
                                       const Tensor& gates, const Tensor& c_prev, const Tensor& c,
                                       const Tensor& dh, const Tensor& dc, Tensor& dpre, Tensor& dc_prev) {
  const int64_t u = check_lstm_cell_backward(pre, gates, c_prev, c, dh, dc, dpre, dc_prev), batch = pre.dim(0);
  require_elementwise(recurrent);
  require_elementwise(act);
  require_indexable(pre, "lstm_cell_backward");
  if (batch == 0) return;
  run("lstm_cell_backward", {in(pre), in(gates), in(c_prev), in(c), in(dh), in(dc), out(dpre), out(dc_prev)},
      cell_params(batch, u, recurrent, act), linear_groups(batch * u), cell_label(batch, u));
}

void VulkanBackend::gru_gates_forward(Activation recurrent, const Tensor& h_rec, const Tensor& h_prev, Tensor& pre,
                                      Tensor& gates, Tensor& rh) {
  const int64_t u = check_gru_gates_forward(h_rec, h_prev, pre, gates, rh), batch = pre.dim(0);
  require_elementwise(recurrent);
  require_indexable(pre, "gru_gates_forward");
  if (batch == 0) return;
  run("gru_gates_forward", {in(h_rec), in(h_prev), out(pre), out(gates), out(rh)},
      cell_params(batch, u, recurrent, Activation::linear), linear_groups(batch * u), cell_label(batch, u));
}

void VulkanBackend::gru_output_forward(Activation act, const Tensor& rh_rec, const Tensor& h_prev, Tensor& pre,
                                       Tensor& gates, Tensor& h) {
  const int64_t u = check_gru_output_forward(rh_rec, h_prev, pre, gates, h), batch = pre.dim(0);
  require_elementwise(act);
  require_indexable(pre, "gru_output_forward");
  if (batch == 0) return;
  run("gru_output_forward", {in(rh_rec), in(h_prev), out(pre), out(gates), out(h)},
      cell_params(batch, u, Activation::linear, act), linear_groups(batch * u), cell_label(batch, u));
}

void VulkanBackend::gru_output_backward(Activation recurrent, Activation act, const Tensor& pre,
                                        const Tensor& gates, const Tensor& h_prev, const Tensor& dh,
                                        Tensor& dpre_zr, Tensor& dpre_h, Tensor& dh_prev) {
  const int64_t u = check_gru_output_backward(pre, gates, h_prev, dh, dpre_zr, dpre_h, dh_prev),
                batch = pre.dim(0);
  require_elementwise(recurrent);
  require_elementwise(act);
  require_indexable(pre, "gru_output_backward");
  if (batch == 0) return;
  run("gru_output_backward", {in(pre), in(gates), in(h_prev), in(dh), out(dpre_zr), out(dpre_h), out(dh_prev)},
      cell_params(batch, u, recurrent, act), linear_groups(batch * u), cell_label(batch, u));
}

void VulkanBackend::gru_gates_backward(Activation recurrent, const Tensor& pre, const Tensor& gates,
                                       const Tensor& h_prev, const Tensor& drh, Tensor& dpre_zr, Tensor& dh_prev) {
  const int64_t u = check_gru_gates_backward(pre, gates, h_prev, drh, dpre_zr, dh_prev), batch = pre.dim(0);
  require_elementwise(recurrent);
  require_indexable(pre, "gru_gates_backward");
  if (batch == 0) return;
  run("gru_gates_backward", {in(pre), in(gates), in(h_prev), in(drh), out(dpre_zr), out(dh_prev)},
      cell_params(batch, u, recurrent, Activation::linear), linear_groups(batch * u), cell_label(batch, u));
}

}  // namespace gapscope::gpu

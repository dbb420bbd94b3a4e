#include "core/ops/op_checks.h"

#include <stdexcept>
#include <string>

namespace gapscope {

void require_same_size(const Tensor& a, const Tensor& b, const char* op) {
  if (a.size() != b.size())
    throw std::invalid_argument(std::string(op) + ": sizes differ, " + shape_to_string(a.shape()) + " vs " +
                                shape_to_string(b.shape()));
}

void require_matrix(const Tensor& t, const char* op, const char* name) {
  if (t.rank() != 2)
    throw std::invalid_argument(std::string(op) + ": " + name + " must be a matrix, got " + shape_to_string(t.shape()));
}

GemmDims gemm_dims(bool transpose_a, bool transpose_b, const Tensor& a, const Tensor& b, const Tensor& c) {
  require_matrix(a, "gemm", "A");
  require_matrix(b, "gemm", "B");
  require_matrix(c, "gemm", "C");
  const int64_t m = transpose_a ? a.dim(1) : a.dim(0);
  const int64_t k = transpose_a ? a.dim(0) : a.dim(1);
  const int64_t kb = transpose_b ? b.dim(1) : b.dim(0);
  const int64_t n = transpose_b ? b.dim(0) : b.dim(1);
  if (k != kb || c.dim(0) != m || c.dim(1) != n)
    throw std::invalid_argument("gemm: op(A) " + shape_to_string({m, k}) + " x op(B) " + shape_to_string({kb, n}) +
                                " -> C " + shape_to_string(c.shape()));
  return {m, n, k};
}

void check_copy_columns(const Tensor& src, int64_t src_column, const Tensor& dst, int64_t dst_column,
                        int64_t columns) {
  require_matrix(src, "copy_columns", "src");
  require_matrix(dst, "copy_columns", "dst");
  if (src.dim(0) != dst.dim(0))
    throw std::invalid_argument("copy_columns: src " + shape_to_string(src.shape()) + " and dst " +
                                shape_to_string(dst.shape()) + " have different rows");
  const auto inside = [&](int64_t first, int64_t width) { return first >= 0 && columns >= 0 && first + columns <= width; };
  if (!inside(src_column, src.dim(1)) || !inside(dst_column, dst.dim(1)))
    throw std::invalid_argument("copy_columns: columns [" + std::to_string(src_column) + ", +" + std::to_string(columns) +
                                ") of src " + shape_to_string(src.shape()) + " to [" + std::to_string(dst_column) +
                                ", +" + std::to_string(columns) + ") of dst " + shape_to_string(dst.shape()) +
                                " do not fit");
}

void check_dropout_rate(float rate) {
  if (!(rate >= 0.0f && rate < 1.0f))
    throw std::invalid_argument("dropout_forward: rate must be in [0, 1), got " + std::to_string(rate));
}

namespace {
int64_t row_length(const Tensor& t) { return t.rank() == 0 ? 1 : t.dim(-1); }
}  // namespace

LossRows check_loss_operands(const char* op, Loss loss, const Tensor& output, const Tensor& target,
                             const Tensor& result) {
  int64_t length = row_length(output);
  if (output.size() == 0 || length == 0)
    throw std::invalid_argument(std::string(op) + ": empty output " + shape_to_string(output.shape()));
  LossRows rows{output.size() / length, length};
  if (result.size() != 1)
    throw std::invalid_argument(std::string(op) + ": result must hold 1 value, got shape " +
                                shape_to_string(result.shape()));
  if (loss == Loss::sparse_categorical_crossentropy) {
    // [..., C] output takes a [..., 1] target of class indices.
    bool ok = target.rank() == output.rank() && row_length(target) == 1;
    for (int i = 0; ok && i + 1 < output.rank(); ++i) ok = target.dim(i) == output.dim(i);
    if (!ok)
      throw std::invalid_argument(std::string(op) + ": sparse target must be [..., 1] for output " +
                                  shape_to_string(output.shape()) + ", got " + shape_to_string(target.shape()));
  } else {
    require_shape(target, output.shape(), op);
  }
  return rows;
}

void require_crossentropy(const char* op, Loss loss) {
  if (loss != Loss::categorical_crossentropy && loss != Loss::sparse_categorical_crossentropy)
    throw std::invalid_argument(std::string(op) + ": needs a categorical cross-entropy loss, got " +
                                std::string(loss_name(loss)));
}

void check_optimizer_operands(const OptimizerConfig& config, int64_t step, const Tensor& param,
                              const Tensor& grad, std::span<const Tensor> slots) {
  if (step < 1) throw std::invalid_argument("optimizer_update: step counts from 1, got " + std::to_string(step));
  require_shape(grad, param.shape(), "optimizer_update: grad");
  const int wanted = optimizer_slot_count(config.kind);
  if (static_cast<int>(slots.size()) != wanted)
    throw std::invalid_argument("optimizer_update(" + std::string(optimizer_name(config.kind)) + "): needs " +
                                std::to_string(wanted) + " slots, got " + std::to_string(slots.size()));
  for (const Tensor& slot : slots) require_shape(slot, param.shape(), "optimizer_update: slot");
}

}  // namespace gapscope

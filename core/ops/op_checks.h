// Argument checks shared by every ops backend, so that a bad call fails with
// the same message on native-cpu and native-vulkan.
#pragma once
#include <cstdint>
#include <span>

#include "core/base/loss.h"
#include "core/base/optimizer_config.h"
#include "core/tensor/tensor.h"

namespace gapscope {

void require_same_size(const Tensor& a, const Tensor& b, const char* op);
void require_matrix(const Tensor& t, const char* op, const char* name);

struct GemmDims {
  int64_t m, n, k;
};
// The sizes of C[M,N] = op(A)[M,K] op(B)[K,N]; throws std::invalid_argument
// when the shapes do not chain.
GemmDims gemm_dims(bool transpose_a, bool transpose_b, const Tensor& a, const Tensor& b, const Tensor& c);

// copy_columns: two matrices with the same rows, both column ranges inside.
void check_copy_columns(const Tensor& src, int64_t src_column, const Tensor& dst, int64_t dst_column,
                        int64_t columns);

// dropout_forward's rate must be in [0, 1).
void check_dropout_rate(float rate);

// The rows a loss sees: the last axis is one sample's values.
struct LossRows {
  int64_t count;   // samples
  int64_t length;  // values per sample (last axis)
};
// Checks a loss op's output, target ([..., 1] class indices for the sparse
// loss, else output's shape) and 1-element result; returns the row layout.
LossRows check_loss_operands(const char* op, Loss loss, const Tensor& output, const Tensor& target,
                             const Tensor& result);
// softmax_crossentropy_backward takes only the two categorical cross-entropies.
void require_crossentropy(const char* op, Loss loss);

// optimizer_update: step >= 1, grad and every slot shaped like param, and
// exactly optimizer_slot_count(config.kind) slots.
void check_optimizer_operands(const OptimizerConfig& config, int64_t step, const Tensor& param,
                              const Tensor& grad, std::span<const Tensor> slots);

}  // namespace gapscope

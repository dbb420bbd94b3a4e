// Argument checks shared by every ops backend, so that a bad call fails with
// the same message on native-cpu and native-vulkan.
#pragma once
#include <cstdint>

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

}  // namespace gapscope

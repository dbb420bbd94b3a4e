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

}  // namespace gapscope

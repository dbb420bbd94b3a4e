// Single-precision GEMM for the CPU backend (row-major):
//   C[M,N] = alpha * op(A) * op(B) + beta * C
// op(A) is A[M,K] (lda >= K) or, transposed, A stored as [K,M] (lda >= M);
// likewise op(B) is B[K,N] or B stored as [N,K]. beta == 0 ignores C's contents.
#pragma once
#include <cstdint>

namespace gapscope {

class ThreadPool;

void sgemm(bool transpose_a, bool transpose_b, int64_t m, int64_t n, int64_t k, float alpha,
           const float* a, int64_t lda, const float* b, int64_t ldb, float beta, float* c,
           int64_t ldc, ThreadPool* pool);

// The SIMD level the kernel was compiled for ("avx2+fma", "sse2", ...).
const char* sgemm_simd_level();

}  // namespace gapscope

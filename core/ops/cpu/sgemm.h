// Single-precision GEMM for the CPU backend (row-major):
//   C[M,N] = alpha * op(A) * op(B) + beta * C
// op(A) is A[M,K] (lda >= K) or, transposed, A stored as [K,M] (lda >= M);
// likewise op(B) is B[K,N] or B stored as [N,K]. beta == 0 ignores C's contents.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace gapscope {

class ThreadPool;

void sgemm(bool transpose_a, bool transpose_b, int64_t m, int64_t n, int64_t k, float alpha,
           const float* a, int64_t lda, const float* b, int64_t ldb, float beta, float* c,
           int64_t ldc, ThreadPool* pool);

// The SIMD level of the kernels sgemm() runs, chosen once at run time:
//   "avx512"    AVX-512 F/BW/DQ/VL, where the CPU has it (x86-64 builds)
//   "avx2+fma"  the baseline of an x86-64-v3 build
//   "generic"   portable loops, for builds without AVX2
// The small-M path (M <= 4, memory-bound) uses the baseline ISA at every level.
// Environment: GAPSCOPE_SIMD=avx2 (or avx2+fma, avx512, generic) asks for a
// level instead of the best one, e.g. to compare both on one machine; a level
// this CPU or build lacks falls back to the best, with a warning on stderr.
const char* sgemm_simd_level();

// The levels this build can run on this CPU, best first.
std::vector<std::string> sgemm_available_simd_levels();

// For tests and benchmarks: makes sgemm() run `level` (a name from
// sgemm_available_simd_levels(), or "avx2") from now on, in this process;
// nullptr returns to the automatic choice. False, changing nothing, if the
// level is not available. Each sgemm() call uses one level throughout.
bool sgemm_force_simd_level(const char* level);

}  // namespace gapscope

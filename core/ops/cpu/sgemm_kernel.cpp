// Packing and the 6x16 micro-kernel of sgemm(). AVX2+FMA when compiled for it
// (-march=x86-64-v3), plain loops otherwise.
#include "core/ops/cpu/sgemm_kernel.h"

#include <algorithm>

#if defined(__AVX2__) && defined(__FMA__)
#define GAPSCOPE_SGEMM_AVX2 1
#include <immintrin.h>
#endif

namespace gapscope::sgemm_detail {
namespace {

// Any-shape packing, one element at a time: edge slivers and the generic build.
// Sliver layout as in pack_a / pack_b: width values per k-step, zero padded.
void pack_sliver_scalar(MatrixView x, bool rows_of_sliver, int64_t count, int width,
                        int64_t depth, float* dst) {
  for (int64_t k = 0; k < depth; ++k) {
    for (int i = 0; i < width; ++i) {
      dst[k * width + i] =
          i < count ? (rows_of_sliver ? *x.at(i, k) : *x.at(k, i)) : 0.0f;
    }
  }
}

#ifdef GAPSCOPE_SGEMM_AVX2

// In-register transpose of an 8x8 block: r[i][j] -> r[j][i].
inline void transpose8x8(__m256 r[8]) {
  const __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
  const __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
  const __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
  const __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
  const __m256 s0 = _mm256_shuffle_ps(t0, t2, 0x44), s1 = _mm256_shuffle_ps(t0, t2, 0xEE);
  const __m256 s2 = _mm256_shuffle_ps(t1, t3, 0x44), s3 = _mm256_shuffle_ps(t1, t3, 0xEE);
  const __m256 s4 = _mm256_shuffle_ps(t4, t6, 0x44), s5 = _mm256_shuffle_ps(t4, t6, 0xEE);
  const __m256 s6 = _mm256_shuffle_ps(t5, t7, 0x44), s7 = _mm256_shuffle_ps(t5, t7, 0xEE);
  r[0] = _mm256_permute2f128_ps(s0, s4, 0x20);
  r[1] = _mm256_permute2f128_ps(s1, s5, 0x20);
  r[2] = _mm256_permute2f128_ps(s2, s6, 0x20);
  r[3] = _mm256_permute2f128_ps(s3, s7, 0x20);
  r[4] = _mm256_permute2f128_ps(s0, s4, 0x31);
  r[5] = _mm256_permute2f128_ps(s1, s5, 0x31);
  r[6] = _mm256_permute2f128_ps(s2, s6, 0x31);
  r[7] = _mm256_permute2f128_ps(s3, s7, 0x31);
}

// Full 6-row sliver of a row-major A (k contiguous per row): 8x8 transposes.
// Each k-step stores 8 floats where 6 belong: the 2 extra (zeros of the
// padding rows) land on the next k-step, which overwrites them, or in the slack.
void pack_a_rows_sliver(const float* a, int64_t lda, int64_t depth, float* dst) {
  int64_t k = 0;
  for (; k + 8 <= depth; k += 8) {
    __m256 r[8];
    for (int i = 0; i < kMr; ++i) r[i] = _mm256_loadu_ps(a + i * lda + k);
    r[6] = r[7] = _mm256_setzero_ps();
    transpose8x8(r);
    for (int t = 0; t < 8; ++t) _mm256_storeu_ps(dst + (k + t) * kMr, r[t]);
  }
  for (; k < depth; ++k) {
    for (int i = 0; i < kMr; ++i) dst[k * kMr + i] = a[i * lda + k];
  }
}

// Full 16-column sliver of a B stored transposed ([N,K], k contiguous per
// column): two 8x8 transposes per 8 k-steps.
void pack_b_cols_sliver(const float* b, int64_t ldb, int64_t depth, float* dst) {
  int64_t k = 0;
  for (; k + 8 <= depth; k += 8) {
    for (int half = 0; half < 2; ++half) {
      __m256 r[8];
      for (int j = 0; j < 8; ++j) r[j] = _mm256_loadu_ps(b + (half * 8 + j) * ldb + k);
      transpose8x8(r);
      for (int t = 0; t < 8; ++t) _mm256_store_ps(dst + (k + t) * kNr + half * 8, r[t]);
    }
  }
  for (; k < depth; ++k) {
    for (int j = 0; j < kNr; ++j) dst[k * kNr + j] = b[j * ldb + k];
  }
}

// Full 16-column sliver of a row-major B: two vector copies per k-step.
void pack_b_rows_sliver(const float* b, int64_t ldb, int64_t depth, float* dst) {
  for (int64_t k = 0; k < depth; ++k) {
    _mm256_store_ps(dst + k * kNr, _mm256_loadu_ps(b + k * ldb));
    _mm256_store_ps(dst + k * kNr + 8, _mm256_loadu_ps(b + k * ldb + 8));
  }
}

#else

void pack_a_rows_sliver(const float* a, int64_t lda, int64_t depth, float* dst) {
  pack_sliver_scalar({a, lda, false}, true, kMr, kMr, depth, dst);
}
void pack_b_cols_sliver(const float* b, int64_t ldb, int64_t depth, float* dst) {
  pack_sliver_scalar({b, ldb, true}, false, kNr, kNr, depth, dst);
}
void pack_b_rows_sliver(const float* b, int64_t ldb, int64_t depth, float* dst) {
  pack_sliver_scalar({b, ldb, false}, false, kNr, kNr, depth, dst);
}

#endif

// Full 6-row sliver of an A stored transposed ([K,M]): 6 contiguous floats per k.
void pack_a_cols_sliver(const float* a, int64_t lda, int64_t depth, float* dst) {
  for (int64_t k = 0; k < depth; ++k) {
    for (int i = 0; i < kMr; ++i) dst[k * kMr + i] = a[k * lda + i];
  }
}

}  // namespace

void pack_a(MatrixView a, int64_t rows, int64_t depth, float* dst) {
  for (int64_t r0 = 0; r0 < rows; r0 += kMr, dst += kMr * depth) {
    const int64_t count = std::min<int64_t>(kMr, rows - r0);
    const float* src = a.at(r0, 0);
    if (count < kMr) {
      pack_sliver_scalar({src, a.ld, a.transposed}, true, count, kMr, depth, dst);
    } else if (a.transposed) {
      pack_a_cols_sliver(src, a.ld, depth, dst);
    } else {
      pack_a_rows_sliver(src, a.ld, depth, dst);
    }
  }
}

void pack_b(MatrixView b, int64_t depth, int64_t cols, float* dst) {
  for (int64_t c0 = 0; c0 < cols; c0 += kNr, dst += kNr * depth) {
    const int64_t count = std::min<int64_t>(kNr, cols - c0);
    const float* src = b.at(0, c0);
    if (count < kNr) {
      pack_sliver_scalar({src, b.ld, b.transposed}, false, count, kNr, depth, dst);
    } else if (b.transposed) {
      pack_b_cols_sliver(src, b.ld, depth, dst);
    } else {
      pack_b_rows_sliver(src, b.ld, depth, dst);
    }
  }
}

#ifdef GAPSCOPE_SGEMM_AVX2

// 6x16 tile: 12 ymm accumulators; per k-step 2 loads of B, 6 broadcasts of A,
// 12 FMAs (2 FMA ports busy with 3 spare registers for operands).
void micro_kernel(int64_t depth, const float* ap, const float* bp, float* c, int64_t ldc,
                  float alpha, float beta) {
  __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
  __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
  __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
  __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
  __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps();
  __m256 c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
  // C rows are needed only at the end; start their fetch now.
  for (int i = 0; i < kMr; ++i) {
    _mm_prefetch(reinterpret_cast<const char*>(c + i * ldc), _MM_HINT_T0);
    _mm_prefetch(reinterpret_cast<const char*>(c + i * ldc + kNr - 1), _MM_HINT_T0);
  }
#pragma GCC unroll 4
  for (int64_t k = 0; k < depth; ++k) {
    const __m256 b0 = _mm256_load_ps(bp);
    const __m256 b1 = _mm256_load_ps(bp + 8);
    __m256 a = _mm256_broadcast_ss(ap + 0);
    c00 = _mm256_fmadd_ps(a, b0, c00);
    c01 = _mm256_fmadd_ps(a, b1, c01);
    a = _mm256_broadcast_ss(ap + 1);
    c10 = _mm256_fmadd_ps(a, b0, c10);
    c11 = _mm256_fmadd_ps(a, b1, c11);
    a = _mm256_broadcast_ss(ap + 2);
    c20 = _mm256_fmadd_ps(a, b0, c20);
    c21 = _mm256_fmadd_ps(a, b1, c21);
    a = _mm256_broadcast_ss(ap + 3);
    c30 = _mm256_fmadd_ps(a, b0, c30);
    c31 = _mm256_fmadd_ps(a, b1, c31);
    a = _mm256_broadcast_ss(ap + 4);
    c40 = _mm256_fmadd_ps(a, b0, c40);
    c41 = _mm256_fmadd_ps(a, b1, c41);
    a = _mm256_broadcast_ss(ap + 5);
    c50 = _mm256_fmadd_ps(a, b0, c50);
    c51 = _mm256_fmadd_ps(a, b1, c51);
    ap += kMr;
    bp += kNr;
  }
  const __m256 va = _mm256_set1_ps(alpha);
  const __m256 acc[kMr][2] = {{c00, c01}, {c10, c11}, {c20, c21},
                              {c30, c31}, {c40, c41}, {c50, c51}};
  if (beta == 0.0f) {
    for (int i = 0; i < kMr; ++i) {
      _mm256_storeu_ps(c + i * ldc, _mm256_mul_ps(va, acc[i][0]));
      _mm256_storeu_ps(c + i * ldc + 8, _mm256_mul_ps(va, acc[i][1]));
    }
  } else {
    const __m256 vb = _mm256_set1_ps(beta);
    for (int i = 0; i < kMr; ++i) {
      float* row = c + i * ldc;
      _mm256_storeu_ps(row, _mm256_fmadd_ps(vb, _mm256_loadu_ps(row), _mm256_mul_ps(va, acc[i][0])));
      _mm256_storeu_ps(row + 8,
                       _mm256_fmadd_ps(vb, _mm256_loadu_ps(row + 8), _mm256_mul_ps(va, acc[i][1])));
    }
  }
}

#else

// 6x16 tile, portable: the compiler vectorizes the 16-wide inner loop.
void micro_kernel(int64_t depth, const float* ap, const float* bp, float* c, int64_t ldc,
                  float alpha, float beta) {
  float acc[kMr][kNr] = {};
  for (int64_t k = 0; k < depth; ++k, ap += kMr, bp += kNr) {
    for (int i = 0; i < kMr; ++i) {
      for (int j = 0; j < kNr; ++j) acc[i][j] += ap[i] * bp[j];
    }
  }
  for (int i = 0; i < kMr; ++i) {
    for (int j = 0; j < kNr; ++j) {
      float& out = c[i * ldc + j];
      out = beta == 0.0f ? alpha * acc[i][j] : alpha * acc[i][j] + beta * out;
    }
  }
}

#endif

// Partial tile: the full kernel into a scratch tile, then the valid part to C.
void micro_kernel_edge(int64_t depth, const float* ap, const float* bp, float* c, int64_t ldc,
                       int rows, int cols, float alpha, float beta) {
  alignas(64) float tile[kMr * kNr];
  micro_kernel(depth, ap, bp, tile, kNr, alpha, 0.0f);
  for (int i = 0; i < rows; ++i) {
    for (int j = 0; j < cols; ++j) {
      float& out = c[i * ldc + j];
      out = beta == 0.0f ? tile[i * kNr + j] : tile[i * kNr + j] + beta * out;
    }
  }
}

}  // namespace gapscope::sgemm_detail

// Packing and the 6x16 micro-kernel of sgemm() for the ISA the build targets:
// AVX2+FMA when compiled for it (-march=x86-64-v3), plain loops otherwise.
#include "core/ops/cpu/sgemm_kernel.h"

#include <algorithm>

#if defined(__AVX2__) && defined(__FMA__)
#define GAPSCOPE_SGEMM_AVX2 1
#include <immintrin.h>

#include "core/ops/cpu/sgemm_transpose8x8.h"
#endif

namespace gapscope::sgemm_detail {
namespace {

// Micro-tile: kMr rows of C by kNr columns, held in registers (6x16 = 12 ymm).
constexpr int kMr = 6;
constexpr int kNr = 16;

// Any-shape packing, one element at a time: edge slivers and the generic build.
// Sliver layout as in pack_a / pack_b: width values per k-step, zero padded.
void pack_sliver_scalar(MatrixView x, bool rows_of_sliver, int64_t count, int width, int64_t depth,
                        float* dst) {
  for (int64_t k = 0; k < depth; ++k) {
    for (int i = 0; i < width; ++i) {
      dst[k * width + i] = i < count ? (rows_of_sliver ? *x.at(i, k) : *x.at(k, i)) : 0.0f;
    }
  }
}

#ifdef GAPSCOPE_SGEMM_AVX2

// Full 6-row sliver of a row-major A (k contiguous per row): 8x8 transposes.
// Each k-step stores 8 floats where 6 belong: the 2 extra (zeros of the
// padding rows) land on the next k-step, which overwrites them, or in the slack.
void pack_a_rows_sliver(const float* a, int64_t lda, int64_t depth, float* dst) {
  int64_t k = 0;
  for (; k + 8 <= depth; k += 8) {
    __m256 r[8];
    load_transposed8x8<kMr>(a + k, lda, r);
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
      load_transposed8x8<8>(b + half * 8 * ldb + k, ldb, r);
      for (int t = 0; t < 8; ++t) _mm256_store_ps(dst + (k + t) * kNr + half * 8, r[t]);
    }
  }
  for (; k < depth; ++k) {
    for (int j = 0; j < kNr; ++j) dst[k * kNr + j] = b[j * ldb + k];
  }
}

// `slivers` full 16-column slivers of a row-major B. Eight rows at a time
// across all slivers: B is read nearly front to back (a sliver at a time
// would walk down a 64-byte column, which prefetches poorly; ~30% slower).
void pack_b_rows_slivers(const float* b, int64_t ldb, int64_t depth, int64_t slivers, float* dst) {
  for (int64_t k0 = 0; k0 < depth; k0 += 8) {
    const int64_t k_end = std::min<int64_t>(depth, k0 + 8);
    for (int64_t s = 0; s < slivers; ++s) {
      float* d = dst + s * depth * kNr;
      const float* src = b + s * kNr;
      for (int64_t k = k0; k < k_end; ++k) {
        _mm256_store_ps(d + k * kNr, _mm256_loadu_ps(src + k * ldb));
        _mm256_store_ps(d + k * kNr + 8, _mm256_loadu_ps(src + k * ldb + 8));
      }
    }
  }
}

#else

void pack_a_rows_sliver(const float* a, int64_t lda, int64_t depth, float* dst) {
  pack_sliver_scalar({a, lda, false}, true, kMr, kMr, depth, dst);
}
void pack_b_cols_sliver(const float* b, int64_t ldb, int64_t depth, float* dst) {
  pack_sliver_scalar({b, ldb, true}, false, kNr, kNr, depth, dst);
}
void pack_b_rows_slivers(const float* b, int64_t ldb, int64_t depth, int64_t slivers, float* dst) {
  for (int64_t s = 0; s < slivers; ++s) {
    pack_sliver_scalar({b + s * kNr, ldb, false}, false, kNr, kNr, depth, dst + s * depth * kNr);
  }
}

#endif

// Full 6-row sliver of an A stored transposed ([K,M]): 6 contiguous floats per k.
void pack_a_cols_sliver(const float* a, int64_t lda, int64_t depth, float* dst) {
  for (int64_t k = 0; k < depth; ++k) {
    for (int i = 0; i < kMr; ++i) dst[k * kMr + i] = a[k * lda + i];
  }
}

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
  const int64_t full = cols / kNr;
  if (b.transposed) {
    for (int64_t s = 0; s < full; ++s) {
      pack_b_cols_sliver(b.at(0, s * kNr), b.ld, depth, dst + s * depth * kNr);
    }
  } else {
    pack_b_rows_slivers(b.data, b.ld, depth, full, dst);
  }
  if (cols > full * kNr) {
    pack_sliver_scalar({b.at(0, full * kNr), b.ld, b.transposed}, false, cols - full * kNr, kNr,
                       depth, dst + full * depth * kNr);
  }
}

#ifdef GAPSCOPE_SGEMM_AVX2

// Rows x 16 tile (Rows <= 6): 2*Rows ymm accumulators; per k-step 2 loads of
// B, Rows broadcasts of A, 2*Rows FMAs. At 6 rows the 12 independent chains
// keep both FMA pipes busy with 3 registers left for operands. Reads the
// first Rows of each kMr-wide step of the packed A sliver. The accumulators
// are named variables: GCC keeps an array of them in memory.
template <int Rows>
void rows_x16_kernel(int64_t depth, const float* ap, const float* bp, float* c, int64_t ldc,
                     float alpha, float beta) {
  __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
  __m256 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  // C rows are needed only at the end; start their fetch now.
  for (int i = 0; i < Rows; ++i) {
    _mm_prefetch(reinterpret_cast<const char*>(c + i * ldc), _MM_HINT_T0);
    _mm_prefetch(reinterpret_cast<const char*>(c + i * ldc + kNr - 1), _MM_HINT_T0);
  }
#pragma GCC unroll 4
  for (int64_t k = 0; k < depth; ++k) {
    const __m256 b0 = _mm256_load_ps(bp);
    const __m256 b1 = _mm256_load_ps(bp + 8);
    auto row = [&](int i, __m256& lo, __m256& hi) {
      const __m256 a = _mm256_broadcast_ss(ap + i);
      lo = _mm256_fmadd_ps(a, b0, lo);
      hi = _mm256_fmadd_ps(a, b1, hi);
    };
    row(0, c00, c01);
    if constexpr (Rows > 1) row(1, c10, c11);
    if constexpr (Rows > 2) row(2, c20, c21);
    if constexpr (Rows > 3) row(3, c30, c31);
    if constexpr (Rows > 4) row(4, c40, c41);
    if constexpr (Rows > 5) row(5, c50, c51);
    ap += kMr;
    bp += kNr;
  }
  const __m256 va = _mm256_set1_ps(alpha);
  const __m256 vb = _mm256_set1_ps(beta);
  auto store = [&](int i, __m256 lo, __m256 hi) {
    float* out = c + i * ldc;
    if (beta == 0.0f) {
      _mm256_storeu_ps(out, _mm256_mul_ps(va, lo));
      _mm256_storeu_ps(out + 8, _mm256_mul_ps(va, hi));
    } else {
      _mm256_storeu_ps(out, _mm256_fmadd_ps(vb, _mm256_loadu_ps(out), _mm256_mul_ps(va, lo)));
      _mm256_storeu_ps(out + 8,
                       _mm256_fmadd_ps(vb, _mm256_loadu_ps(out + 8), _mm256_mul_ps(va, hi)));
    }
  };
  store(0, c00, c01);
  if constexpr (Rows > 1) store(1, c10, c11);
  if constexpr (Rows > 2) store(2, c20, c21);
  if constexpr (Rows > 3) store(3, c30, c31);
  if constexpr (Rows > 4) store(4, c40, c41);
  if constexpr (Rows > 5) store(5, c50, c51);
}

#else

// Rows x 16 tile, portable: the compiler vectorizes the 16-wide inner loop.
template <int Rows>
void rows_x16_kernel(int64_t depth, const float* ap, const float* bp, float* c, int64_t ldc,
                     float alpha, float beta) {
  float acc[Rows][kNr] = {};
  for (int64_t k = 0; k < depth; ++k, ap += kMr, bp += kNr) {
    for (int i = 0; i < Rows; ++i) {
      for (int j = 0; j < kNr; ++j) acc[i][j] += ap[i] * bp[j];
    }
  }
  for (int i = 0; i < Rows; ++i) {
    for (int j = 0; j < kNr; ++j) {
      float& out = c[i * ldc + j];
      out = beta == 0.0f ? alpha * acc[i][j] : alpha * acc[i][j] + beta * out;
    }
  }
}

#endif

void micro_kernel(int64_t depth, const float* ap, const float* bp, float* c, int64_t ldc,
                  float alpha, float beta) {
  rows_x16_kernel<kMr>(depth, ap, bp, c, ldc, alpha, beta);
}

// Short tiles run a kernel of their own height (no wasted rows); narrow or
// strided ones go through a scratch tile, then the valid part to C.
void micro_kernel_edge(int64_t depth, const float* ap, const float* bp, float* c,
                       int64_t row_stride, int64_t col_stride, int rows, int cols, float alpha,
                       float beta) {
  if (cols == kNr && col_stride == 1) {
    switch (rows) {
      case 1:
        return rows_x16_kernel<1>(depth, ap, bp, c, row_stride, alpha, beta);
      case 2:
        return rows_x16_kernel<2>(depth, ap, bp, c, row_stride, alpha, beta);
      case 3:
        return rows_x16_kernel<3>(depth, ap, bp, c, row_stride, alpha, beta);
      case 4:
        return rows_x16_kernel<4>(depth, ap, bp, c, row_stride, alpha, beta);
      case 5:
        return rows_x16_kernel<5>(depth, ap, bp, c, row_stride, alpha, beta);
      default:
        return rows_x16_kernel<kMr>(depth, ap, bp, c, row_stride, alpha, beta);
    }
  }
  alignas(64) float tile[kMr * kNr];
  rows_x16_kernel<kMr>(depth, ap, bp, tile, kNr, alpha, 0.0f);
  for (int i = 0; i < rows; ++i) {
    for (int j = 0; j < cols; ++j) {
      float& out = c[i * row_stride + j * col_stride];
      out = beta == 0.0f ? tile[i * kNr + j] : tile[i * kNr + j] + beta * out;
    }
  }
}

// Blocking: a kc-deep B sliver (kc*kNr*4 = 16 KiB) stays in L1 while the
// mc x kc block of A (144 KiB) stays in L2; the kc x nc panel of B streams
// from L3. Sized for Zen 3 (32 KiB L1d, 512 KiB L2) and fine on larger caches.
constexpr PackedKernels kBaselineKernels{
#ifdef GAPSCOPE_SGEMM_AVX2
    .simd = "avx2+fma",
#else
    .simd = "generic",
#endif
    .mr = kMr,
    .nr = kNr,
    .max_kc = 256,
    .max_mc = 144,
    .max_nc = 2048,
    .pack_a = pack_a,
    .pack_b = pack_b,
    .tile = micro_kernel,
    .edge_tile = micro_kernel_edge,
    .tile_packing_b = nullptr,
    .unpacked = nullptr};

}  // namespace

const PackedKernels& baseline_kernels() { return kBaselineKernels; }

}  // namespace gapscope::sgemm_detail

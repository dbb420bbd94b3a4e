// Packing and the 12x32 micro-kernel of sgemm() for AVX-512 (F, BW, DQ, VL).
// Only this file is compiled with -mavx512* (core/CMakeLists.txt); sgemm.cpp
// calls into it only after checking the CPU, so the binary still runs on
// AVX2-only machines.
//
// Rule for this file: nothing here may be emitted as an inline/template
// function that another file could also emit (a COMDAT the linker might pick
// for the whole program, AVX-512 instructions and all). Everything lives in an
// anonymous namespace and uses only intrinsics (always inlined) and plain
// code; `nm -C sgemm_kernel_avx512.cpp.o | grep ' [VW] '` must list nothing.
#include "core/ops/cpu/sgemm_kernel.h"

#if defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512DQ__) && defined(__AVX512VL__)
#define GAPSCOPE_SGEMM_AVX512 1
#include <immintrin.h>

#include "core/ops/cpu/sgemm_transpose8x8.h"
#endif

namespace gapscope::sgemm_detail {

#ifdef GAPSCOPE_SGEMM_AVX512

namespace {

// Fully unrolls a loop over accumulators, so that GCC keeps them in registers.
#define UNROLLED _Pragma("GCC unroll 16")

// Micro-tile: kMr rows of C by kNr columns (12x32 = 24 zmm accumulators, 2
// for B, 1 for a broadcast of A). Per k-step 2 loads of B and 12 broadcasts
// feed 24 FMAs: the FMA pipes, not the loads, set the pace. 8, 10 and 14 rows
// measured no faster, 8 slower.
constexpr int kMr = 12;
constexpr int kNr = 32;

int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }

// Element (row, col) of op(X); MatrixView::at would be an inline function
// emitted here too (see the rule above).
const float* element(MatrixView x, int64_t row, int64_t col) {
  return x.transposed ? x.data + col * x.ld + row : x.data + row * x.ld + col;
}

// Lane mask of the first `count` (0..16) lanes.
__mmask16 first_lanes(int64_t count) {
  return static_cast<__mmask16>(count >= 16 ? 0xFFFF : (1u << count) - 1);
}

// Any-shape packing, one element at a time: the ragged edge slivers.
void pack_sliver_scalar(MatrixView x, bool rows_of_sliver, int64_t count, int width, int64_t depth,
                        float* dst) {
  for (int64_t k = 0; k < depth; ++k) {
    for (int i = 0; i < width; ++i) {
      dst[k * width + i] =
          i < count ? (rows_of_sliver ? *element(x, i, k) : *element(x, k, i)) : 0.0f;
    }
  }
}

// Full kMr-row sliver of a row-major A (k contiguous per row): per 8 k-steps,
// an 8x8 transpose of rows 0..7 and one of rows 8..kMr-1 (zero padded).
void pack_a_rows_sliver(const float* a, int64_t lda, int64_t depth, float* dst) {
  constexpr int kHigh = kMr - 8;
  static_assert(kHigh >= 0 && kHigh <= 8);
  const __mmask8 high_lanes = static_cast<__mmask8>((1u << kHigh) - 1);
  int64_t k = 0;
  for (; k + 8 <= depth; k += 8) {
    __m256 low[8], high[8];
    load_transposed8x8<8>(a + k, lda, low);
    if constexpr (kHigh > 0) load_transposed8x8<kHigh>(a + 8 * lda + k, lda, high);
    UNROLLED for (int t = 0; t < 8; ++t) {
      _mm256_storeu_ps(dst + (k + t) * kMr, low[t]);
      if constexpr (kHigh > 0) _mm256_mask_storeu_ps(dst + (k + t) * kMr + 8, high_lanes, high[t]);
    }
  }
  for (; k < depth; ++k) {
    for (int i = 0; i < kMr; ++i) dst[k * kMr + i] = a[i * lda + k];
  }
}

// Full kMr-row sliver of an A stored transposed ([K,M]): kMr contiguous
// floats per k-step, one masked load and store.
void pack_a_cols_sliver(const float* a, int64_t lda, int64_t depth, float* dst) {
  const __mmask16 lanes = first_lanes(kMr);
  for (int64_t k = 0; k < depth; ++k) {
    _mm512_mask_storeu_ps(dst + k * kMr, lanes, _mm512_maskz_loadu_ps(lanes, a + k * lda));
  }
}

void pack_a(MatrixView a, int64_t rows, int64_t depth, float* dst) {
  for (int64_t r0 = 0; r0 < rows; r0 += kMr, dst += kMr * depth) {
    const int64_t count = min64(kMr, rows - r0);
    const float* src = element(a, r0, 0);
    if (count < kMr) {
      pack_sliver_scalar({src, a.ld, a.transposed}, true, count, kMr, depth, dst);
    } else if (a.transposed) {
      pack_a_cols_sliver(src, a.ld, depth, dst);
    } else {
      pack_a_rows_sliver(src, a.ld, depth, dst);
    }
  }
}

// `slivers` 32-column slivers of a row-major B, the last `last_cols` wide
// (zero padded). Eight rows at a time across all slivers, so that B is read
// nearly front to back, which the prefetchers follow.
void pack_b_rows_slivers(const float* b, int64_t ldb, int64_t depth, int64_t slivers,
                         int64_t last_cols, float* dst) {
  for (int64_t k0 = 0; k0 < depth; k0 += 8) {
    const int64_t k_end = min64(depth, k0 + 8);
    for (int64_t s = 0; s < slivers; ++s) {
      const int64_t cols = s + 1 < slivers ? kNr : last_cols;
      const __mmask16 low = first_lanes(cols), high = first_lanes(cols - 16 < 0 ? 0 : cols - 16);
      float* d = dst + s * depth * kNr;
      const float* src = b + s * kNr;
      for (int64_t k = k0; k < k_end; ++k) {
        _mm512_store_ps(d + k * kNr, _mm512_maskz_loadu_ps(low, src + k * ldb));
        _mm512_store_ps(d + k * kNr + 16, _mm512_maskz_loadu_ps(high, src + k * ldb + 16));
      }
    }
  }
}

// Full 32-column sliver of a B stored transposed ([N,K], k contiguous per
// column): four 8x8 transposes per 8 k-steps.
void pack_b_cols_sliver(const float* b, int64_t ldb, int64_t depth, float* dst) {
  const int64_t full = depth / 8 * 8;
  for (int64_t k = 0; k < full; k += 8) {
    for (int group = 0; group < kNr / 8; ++group) {
      __m256 r[8];
      load_transposed8x8<8>(b + group * 8 * ldb + k, ldb, r);
      UNROLLED for (int t = 0; t < 8; ++t) _mm256_store_ps(dst + (k + t) * kNr + group * 8, r[t]);
    }
  }
  for (int64_t k = full; k < depth; ++k) {
    for (int j = 0; j < kNr; ++j) dst[k * kNr + j] = b[j * ldb + k];
  }
}

void pack_b(MatrixView b, int64_t depth, int64_t cols, float* dst) {
  const int64_t slivers = (cols + kNr - 1) / kNr;
  if (!b.transposed) {
    pack_b_rows_slivers(b.data, b.ld, depth, slivers, cols - (slivers - 1) * kNr, dst);
    return;
  }
  const int64_t full = cols / kNr;
  for (int64_t s = 0; s < full; ++s) {
    pack_b_cols_sliver(element(b, 0, s * kNr), b.ld, depth, dst + s * depth * kNr);
  }
  if (cols > full * kNr) {
    pack_sliver_scalar({element(b, 0, full * kNr), b.ld, true}, false, cols - full * kNr, kNr,
                       depth, dst + full * depth * kNr);
  }
}

// Where a tile reads its B sliver: packed, or (CopyB) straight from a
// row-major B, leaving the packed sliver behind for the tiles after it.
struct SliverSource {
  const float* b;  // row k of the sliver at b + k * ldb
  int64_t ldb;
  float* packed;  // where the packed sliver goes
};

// Copying B's rows into the packed sliver runs this many k-steps behind
// their prefetch. More does not help, and with a row stride of 4 KiB
// (all rows in the same L1 set) 16 lines in flight evict each other.
constexpr int kCopyPrefetchSteps = 8;

// Rows x 32 tile (Rows <= kMr) of a row-major C; columns outside the lane
// masks (low: 0..15, high: 16..31) are neither read nor written. Reads the
// first Rows of each kMr-wide step of the packed A sliver.
template <int Rows, bool CopyB = false>
void rows_x32_kernel(int64_t depth, const float* ap, const float* bp, float* c, int64_t ldc,
                     float alpha, float beta, __mmask16 low, __mmask16 high,
                     SliverSource source = {}) {
  __m512 acc[Rows][2];
  UNROLLED for (int i = 0; i < Rows; ++i) acc[i][0] = acc[i][1] = _mm512_setzero_ps();
  // C rows are needed only at the end; start their fetch now. (A rolled
  // loop: unrolled, GCC keeps all row addresses in registers until the end.)
#pragma GCC unroll 1
  for (int i = 0; i < Rows; ++i) {
    _mm_prefetch(reinterpret_cast<const char*>(c + i * ldc), _MM_HINT_T0);
    _mm_prefetch(reinterpret_cast<const char*>(c + i * ldc + kNr - 1), _MM_HINT_T0);
  }
  const float* row = source.b;
  float* packed = source.packed;
  auto step = [&] {
    __m512 b0, b1;
    if constexpr (CopyB) {
      const float* ahead = row + kCopyPrefetchSteps * source.ldb;
      _mm_prefetch(reinterpret_cast<const char*>(ahead), _MM_HINT_T0);
      _mm_prefetch(reinterpret_cast<const char*>(ahead + kNr - 1), _MM_HINT_T0);
      b0 = _mm512_loadu_ps(row);
      b1 = _mm512_loadu_ps(row + 16);
      _mm512_store_ps(packed, b0);
      _mm512_store_ps(packed + 16, b1);
      row += source.ldb;
      packed += kNr;
    } else {
      b0 = _mm512_load_ps(bp);
      b1 = _mm512_load_ps(bp + 16);
      bp += kNr;
    }
    UNROLLED for (int i = 0; i < Rows; ++i) {
      const __m512 a = _mm512_set1_ps(ap[i]);
      acc[i][0] = _mm512_fmadd_ps(a, b0, acc[i][0]);
      acc[i][1] = _mm512_fmadd_ps(a, b1, acc[i][1]);
    }
    ap += kMr;
  };
  // Not unrolled: the compact loop measured ~5% faster than unrolled by 2 or 4.
  for (int64_t k = 0; k < depth; ++k) step();
  const __m512 va = _mm512_set1_ps(alpha);
  const __m512 vb = _mm512_set1_ps(beta);
  UNROLLED for (int i = 0; i < Rows; ++i) {
    float* out = c + i * ldc;
    __m512 lo = _mm512_mul_ps(va, acc[i][0]);
    __m512 hi = _mm512_mul_ps(va, acc[i][1]);
    if (beta != 0.0f) {
      lo = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(low, out), lo);
      hi = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(high, out + 16), hi);
    }
    _mm512_mask_storeu_ps(out, low, lo);
    _mm512_mask_storeu_ps(out + 16, high, hi);
  }
}

void tile(int64_t depth, const float* ap, const float* bp, float* c, int64_t ldc, float alpha,
          float beta) {
  rows_x32_kernel<kMr>(depth, ap, bp, c, ldc, alpha, beta, 0xFFFF, 0xFFFF);
}

void tile_packing_b(int64_t depth, const float* ap, const float* b, int64_t ldb, float* bp,
                    float* c, int64_t ldc, float alpha, float beta) {
  rows_x32_kernel<kMr, true>(depth, ap, nullptr, c, ldc, alpha, beta, 0xFFFF, 0xFFFF, {b, ldb, bp});
}

template <int Rows>
void rows_or_fewer(int rows, int64_t depth, const float* ap, const float* bp, float* c, int64_t ldc,
                   float alpha, float beta, __mmask16 low, __mmask16 high) {
  if constexpr (Rows > 1) {
    if (rows < Rows) {
      return rows_or_fewer<Rows - 1>(rows, depth, ap, bp, c, ldc, alpha, beta, low, high);
    }
  }
  rows_x32_kernel<Rows>(depth, ap, bp, c, ldc, alpha, beta, low, high);
}

// Row-major C: a kernel of the tile's own height with masked columns.
// Strided C (a product computed transposed): a scratch tile, then scattered.
void edge_tile(int64_t depth, const float* ap, const float* bp, float* c, int64_t row_stride,
               int64_t col_stride, int rows, int cols, float alpha, float beta) {
  if (col_stride == 1) {
    const __mmask16 low = first_lanes(cols), high = first_lanes(cols > 16 ? cols - 16 : 0);
    return rows_or_fewer<kMr>(rows, depth, ap, bp, c, row_stride, alpha, beta, low, high);
  }
  alignas(64) float scratch[kMr * kNr];
  rows_or_fewer<kMr>(rows, depth, ap, bp, scratch, kNr, alpha, 0.0f, 0xFFFF, 0xFFFF);
  for (int i = 0; i < rows; ++i) {
    for (int j = 0; j < cols; ++j) {
      float& out = c[i * row_stride + j * col_stride];
      out = beta == 0.0f ? scratch[i * kNr + j] : scratch[i * kNr + j] + beta * out;
    }
  }
}

// Blocking for 48 KiB L1d / 2 MiB L2 per core (Sapphire Rapids): the
// kc x 32 B sliver is 32 KiB of L1 at kc = 256. A small mc x kc block of A
// (96 KiB) leaves L2 room for the rows of C streaming through; on 1024^3 it
// measured a few percent faster than 192 or 384 rows.
constexpr PackedKernels kAvx512Kernels{.simd = "avx512",
                                       .mr = kMr,
                                       .nr = kNr,
                                       .max_kc = 256,
                                       .max_mc = 96,
                                       .max_nc = 2048,
                                       .pack_a = pack_a,
                                       .pack_b = pack_b,
                                       .tile = tile,
                                       .edge_tile = edge_tile,
                                       .tile_packing_b = tile_packing_b};

#undef UNROLLED

}  // namespace

const PackedKernels* avx512_kernels() { return &kAvx512Kernels; }

#else

const PackedKernels* avx512_kernels() { return nullptr; }

#endif

}  // namespace gapscope::sgemm_detail

// Packing and the micro-kernels of sgemm() for AVX-512 (F, BW, DQ, VL): the
// packed 12x32 tile, and in-place 28x16 / 14x32 tiles for C of at most 32 columns.
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
#define UNROLLED _Pragma("GCC unroll 32")

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

// Full Mr-row sliver of a row-major A (k contiguous per row): per 8 k-steps,
// an 8x8 transpose of each group of 8 rows (the last one zero padded).
template <int Mr>
void pack_a_rows_sliver(const float* a, int64_t lda, int64_t depth, float* dst) {
  constexpr int kGroups = (Mr + 7) / 8;
  constexpr int kLast = Mr - 8 * (kGroups - 1);  // rows of the last group
  const __mmask8 last_lanes = static_cast<__mmask8>((1u << kLast) - 1);
  int64_t k = 0;
  for (; k + 8 <= depth; k += 8) {
    UNROLLED for (int g = 0; g < kGroups; ++g) {
      __m256 r[8];
      if (g + 1 < kGroups) {
        load_transposed8x8<8>(a + g * 8 * lda + k, lda, r);
        UNROLLED for (int t = 0; t < 8; ++t) _mm256_storeu_ps(dst + (k + t) * Mr + g * 8, r[t]);
      } else {
        load_transposed8x8<kLast>(a + g * 8 * lda + k, lda, r);
        UNROLLED for (int t = 0; t < 8; ++t) {
          _mm256_mask_storeu_ps(dst + (k + t) * Mr + g * 8, last_lanes, r[t]);
        }
      }
    }
  }
  for (; k < depth; ++k) {
    for (int i = 0; i < Mr; ++i) dst[k * Mr + i] = a[i * lda + k];
  }
}

// Full Mr-row sliver of an A stored transposed ([K,M]): Mr contiguous
// floats per k-step, masked loads and stores of 16.
template <int Mr>
void pack_a_cols_sliver(const float* a, int64_t lda, int64_t depth, float* dst) {
  constexpr int kVectors = (Mr + 15) / 16;
  const __mmask16 last = first_lanes(Mr - 16 * (kVectors - 1));
  for (int64_t k = 0; k < depth; ++k) {
    UNROLLED for (int v = 0; v < kVectors; ++v) {
      const __mmask16 lanes = v + 1 < kVectors ? __mmask16(0xFFFF) : last;
      _mm512_mask_storeu_ps(dst + k * Mr + 16 * v, lanes,
                            _mm512_maskz_loadu_ps(lanes, a + k * lda + 16 * v));
    }
  }
}

template <int Mr>
void pack_a_slivers(MatrixView a, int64_t rows, int64_t depth, float* dst) {
  for (int64_t r0 = 0; r0 < rows; r0 += Mr, dst += Mr * depth) {
    const int64_t count = min64(Mr, rows - r0);
    const float* src = element(a, r0, 0);
    if (count < Mr) {
      pack_sliver_scalar({src, a.ld, a.transposed}, true, count, Mr, depth, dst);
    } else if (a.transposed) {
      pack_a_cols_sliver<Mr>(src, a.ld, depth, dst);
    } else {
      pack_a_rows_sliver<Mr>(src, a.ld, depth, dst);
    }
  }
}

void pack_a(MatrixView a, int64_t rows, int64_t depth, float* dst) {
  pack_a_slivers<kMr>(a, rows, depth, dst);
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

// ---- Unpacked kernels: C of at most 32 columns, one sliver of B ----
//
// Where C has a single sliver of columns, each element of A feeds one FMA per
// 16 columns: packing A would cost about as much as the product, and packing
// B (read by every row tile) a fair part of it. These tiles read both in place:
// the broadcasts load straight from A (row-major or transposed), and B's rows
// through lane masks.

// Rows x (16 * Vecs) tile. A row-major: a(i, k) at a[i * lda + k]; transposed:
// at a[k * lda + i]. Row k of B at b + k * ldb, its columns outside
// `low`/`high` (0..15, 16..31) read as zeros; C's there are left alone.
template <int Rows, int Vecs, bool Transposed>
void unpacked_kernel(int64_t depth, const float* a, int64_t lda, const float* b, int64_t ldb,
                     float* c, int64_t ldc, float alpha, float beta, __mmask16 low,
                     __mmask16 high) {
  static_assert(Vecs == 1 || Vecs == 2);
  __m512 acc[Rows][Vecs];
  UNROLLED for (int i = 0; i < Rows; ++i) {
    UNROLLED for (int v = 0; v < Vecs; ++v) acc[i][v] = _mm512_setzero_ps();
  }
#pragma GCC unroll 1
  for (int i = 0; i < Rows; ++i) _mm_prefetch(reinterpret_cast<const char*>(c + i * ldc), _MM_HINT_T0);
  // Row-major A: rows in groups of 5 off one pointer each, row 5g + r at
  // group[g] + r * lda (index lda or 3 * lda, scale 1, 2 or 4), so that 28 rows
  // need 6 pointers and a few strides in registers, not 28 pointers.
  constexpr int kGroups = Transposed ? 1 : (Rows + 4) / 5;
  const char* group[kGroups];
  UNROLLED for (int g = 0; g < kGroups; ++g) {
    group[g] = reinterpret_cast<const char*>(a + (Transposed ? 0 : 5 * g * lda));
  }
  const int64_t stride = lda * 4, stride3 = 3 * stride;
  auto at = [&](int i) -> float {
    if constexpr (Transposed) return reinterpret_cast<const float*>(group[0])[i];
    const char* p = group[i / 5];
    switch (i % 5) {
      case 0: return *reinterpret_cast<const float*>(p);
      case 1: return *reinterpret_cast<const float*>(p + stride);
      case 2: return *reinterpret_cast<const float*>(p + 2 * stride);
      case 3: return *reinterpret_cast<const float*>(p + stride3);
      default: return *reinterpret_cast<const float*>(p + 4 * stride);
    }
  };
  for (int64_t k = 0; k < depth; ++k) {
    __m512 bv[Vecs];
    bv[0] = _mm512_maskz_loadu_ps(low, b);
    if constexpr (Vecs == 2) bv[1] = _mm512_maskz_loadu_ps(high, b + 16);
    b += ldb;
    UNROLLED for (int i = 0; i < Rows; ++i) {
      const __m512 av = _mm512_set1_ps(at(i));
      UNROLLED for (int v = 0; v < Vecs; ++v) acc[i][v] = _mm512_fmadd_ps(av, bv[v], acc[i][v]);
    }
    if constexpr (Transposed) {
      group[0] += stride;
    } else {
      UNROLLED for (int g = 0; g < kGroups; ++g) group[g] += sizeof(float);
    }
  }
  const __m512 va = _mm512_set1_ps(alpha);
  const __m512 vb = _mm512_set1_ps(beta);
  UNROLLED for (int i = 0; i < Rows; ++i) {
    UNROLLED for (int v = 0; v < Vecs; ++v) {
      float* out = c + i * ldc + 16 * v;
      const __mmask16 lanes = v == 0 ? low : high;
      __m512 r = _mm512_mul_ps(va, acc[i][v]);
      if (beta != 0.0f) r = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(lanes, out), r);
      _mm512_mask_storeu_ps(out, lanes, r);
    }
  }
}

template <int Rows, int Vecs, bool Transposed>
void unpacked_rows_or_fewer(int rows, int64_t depth, const float* a, int64_t lda, const float* b,
                            int64_t ldb, float* c, int64_t ldc, float alpha, float beta,
                            __mmask16 low, __mmask16 high) {
  if constexpr (Rows > 1) {
    if (rows < Rows) {
      return unpacked_rows_or_fewer<Rows - 1, Vecs, Transposed>(rows, depth, a, lda, b, ldb, c,
                                                                 ldc, alpha, beta, low, high);
    }
  }
  unpacked_kernel<Rows, Vecs, Transposed>(depth, a, lda, b, ldb, c, ldc, alpha, beta, low, high);
}

// 28 rows x 16 or 14 rows x 32: 28 accumulators.
template <int Vecs, bool Transposed>
void unpacked_rows(const float* a, int64_t lda, int64_t rows, int64_t depth, const float* b,
                   int64_t ldb, float* c, int64_t ldc, int cols, float alpha, float beta) {
  constexpr int kRows = 28 / Vecs;
  const __mmask16 low = first_lanes(cols), high = first_lanes(cols > 16 ? cols - 16 : 0);
  // Row i of A starts at a + i * (transposed ? 1 : lda).
  const int64_t row_step = Transposed ? 1 : lda;
  int64_t i = 0;
  for (; i + kRows <= rows; i += kRows) {
    unpacked_kernel<kRows, Vecs, Transposed>(depth, a + i * row_step, lda, b, ldb, c + i * ldc,
                                             ldc, alpha, beta, low, high);
  }
  if (i < rows) {
    unpacked_rows_or_fewer<kRows, Vecs, Transposed>(static_cast<int>(rows - i), depth,
                                                    a + i * row_step, lda, b, ldb, c + i * ldc,
                                                    ldc, alpha, beta, low, high);
  }
}

// Up to 16 columns: 28 x 16 tiles (a 12 x 32 tile would be half empty);
// up to 32: 14 x 32.
void unpacked(MatrixView a, int64_t rows, int64_t depth, const float* b, int64_t ldb, float* c,
              int64_t ldc, int cols, float alpha, float beta) {
  if (cols <= 16) {
    if (a.transposed) {
      unpacked_rows<1, true>(a.data, a.ld, rows, depth, b, ldb, c, ldc, cols, alpha, beta);
    } else {
      unpacked_rows<1, false>(a.data, a.ld, rows, depth, b, ldb, c, ldc, cols, alpha, beta);
    }
  } else if (a.transposed) {
    unpacked_rows<2, true>(a.data, a.ld, rows, depth, b, ldb, c, ldc, cols, alpha, beta);
  } else {
    unpacked_rows<2, false>(a.data, a.ld, rows, depth, b, ldb, c, ldc, cols, alpha, beta);
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
                                       .tile_packing_b = tile_packing_b,
                                       .unpacked = unpacked};

#undef UNROLLED

}  // namespace

const PackedKernels* avx512_kernels() { return &kAvx512Kernels; }

#else

const PackedKernels* avx512_kernels() { return nullptr; }

#endif

}  // namespace gapscope::sgemm_detail

// Small-M path of sgemm() (M <= 4, e.g. inference of one sample): B is read
// straight from memory, never packed, so one call costs about one read of B.
#include <algorithm>

#include "core/ops/cpu/sgemm_kernel.h"

#if defined(__AVX2__) && defined(__FMA__)
#define GAPSCOPE_SGEMM_AVX2 1
#include <immintrin.h>
#endif

namespace gapscope::sgemm_detail {
namespace {

// Fully unrolls a loop over accumulators. GCC otherwise keeps an array of
// __m256 accumulators in memory (a store per FMA) when a loop over it survives
// until scalar replacement runs.
#define UNROLLED _Pragma("GCC unroll 16")

#ifdef GAPSCOPE_SGEMM_AVX2

// Lane mask selecting the first `count` (0..8) floats.
inline __m256i first_lanes(int64_t count) {
  const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(count)), lane);
}

inline float horizontal_sum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

// out = alpha * acc + beta * out (beta == 0: out is not read); Masked: only
// the lanes of `mask`.
template <bool Masked>
inline void store_scaled(float* out, __m256 acc, float alpha, float beta, __m256i mask) {
  __m256 result = _mm256_mul_ps(_mm256_set1_ps(alpha), acc);
  if (beta != 0.0f) {
    const __m256 old = Masked ? _mm256_maskload_ps(out, mask) : _mm256_loadu_ps(out);
    result = _mm256_fmadd_ps(_mm256_set1_ps(beta), old, result);
  }
  if (Masked) {
    _mm256_maskstore_ps(out, mask, result);
  } else {
    _mm256_storeu_ps(out, result);
  }
}

// Row-major B, narrow: R rows of C by V vectors (8V columns at b/c) kept in
// registers over all of K; the last vector is partial when Masked. U
// accumulator sets over alternating k keep ~8 FMAs in flight when R*V alone
// cannot hide the FMA latency.
template <int R, int V, bool Masked>
void axpy_tile(GemvRows x, int64_t depth, float alpha, const float* b, int64_t ldb, __m256i mask,
               float beta, float* c, int64_t ldc) {
  constexpr int U = std::clamp(8 / (R * V), 1, 4);
  __m256 acc[U][R][V] = {};
  auto step = [&](int u, int64_t k) {
    const float* row = b + k * ldb;
    __m256 bv[V];
    UNROLLED for (int v = 0; v < V; ++v) {
      bv[v] = (Masked && v == V - 1) ? _mm256_maskload_ps(row + 8 * v, mask)
                                     : _mm256_loadu_ps(row + 8 * v);
    }
    UNROLLED for (int r = 0; r < R; ++r) {
      const __m256 xv = _mm256_set1_ps(x.at(r, k));
      UNROLLED for (int v = 0; v < V; ++v) acc[u][r][v] = _mm256_fmadd_ps(xv, bv[v], acc[u][r][v]);
    }
  };
  int64_t k = 0;
  for (; k + U <= depth; k += U) {
    UNROLLED for (int u = 0; u < U; ++u) step(u, k + u);
  }
  for (; k < depth; ++k) step(0, k);
  UNROLLED for (int u = 1; u < U; ++u) {
    UNROLLED for (int r = 0; r < R; ++r) {
      UNROLLED for (int v = 0; v < V; ++v) acc[0][r][v] = _mm256_add_ps(acc[0][r][v], acc[u][r][v]);
    }
  }
  UNROLLED for (int r = 0; r < R; ++r) {
    UNROLLED for (int v = 0; v < V; ++v) {
      float* out = c + r * ldc + 8 * v;
      if (Masked && v == V - 1) {
        store_scaled<true>(out, acc[0][r][v], alpha, beta, mask);
      } else {
        store_scaled<false>(out, acc[0][r][v], alpha, beta, mask);
      }
    }
  }
}

// The narrow tile for a run-time count of vectors (V, V+1, ... up to kMaxV).
template <int R, int V, int kMaxV>
void axpy_narrow_tile(int vecs, bool masked, GemvRows x, int64_t depth, float alpha, const float* b,
                      int64_t ldb, __m256i mask, float beta, float* c, int64_t ldc) {
  if (vecs == V) {
    if (masked) {
      axpy_tile<R, V, true>(x, depth, alpha, b, ldb, mask, beta, c, ldc);
    } else {
      axpy_tile<R, V, false>(x, depth, alpha, b, ldb, mask, beta, c, ldc);
    }
  } else if constexpr (V < kMaxV) {
    axpy_narrow_tile<R, V + 1, kMaxV>(vecs, masked, x, depth, alpha, b, ldb, mask, beta, c, ldc);
  }
}

// Row-major B, narrow (< kStreamMinCols columns), R rows: tiles of
// 8*(8/R) columns, then one narrower tile whose last vector may be partial.
template <int R>
void axpy_rows(GemvRows x, int64_t depth, float alpha, const float* b, int64_t ldb, int64_t cols,
               float beta, float* c, int64_t ldc) {
  constexpr int kVecs = R == 1 ? 8 : (R == 2 ? 4 : 2);
  constexpr int64_t kTile = 8 * kVecs;
  const __m256i all = _mm256_set1_epi32(-1);
  int64_t j = 0;
  for (; j + kTile <= cols; j += kTile) {
    axpy_tile<R, kVecs, false>(x, depth, alpha, b + j, ldb, all, beta, c + j, ldc);
  }
  const int64_t rest = cols - j;
  if (rest == 0) return;
  const int vecs = static_cast<int>((rest + 7) / 8);
  const __m256i mask = first_lanes(rest - 8 * (vecs - 1));
  axpy_narrow_tile<R, 1, kVecs>(vecs, rest % 8 != 0, x, depth, alpha, b + j, ldb, mask, beta, c + j,
                                ldc);
}

// Row-major B, wide: one sweep over columns [0, width) of R rows of C (in L1)
// adding KB rows of B from row k on. B rows are read front to back, which the
// hardware prefetcher follows; the next KB rows are also prefetched
// explicitly. JV vectors per step; the last partial vector is masked.
template <int R, int KB, int JV>
inline __attribute__((always_inline)) void stream_sweep(GemvRows x, int64_t k, float alpha,
                                                        const float* b, int64_t ldb, int64_t width,
                                                        float* c, int64_t ldc) {
  __m256 xv[R][KB];
  UNROLLED for (int r = 0; r < R; ++r) {
    UNROLLED for (int i = 0; i < KB; ++i) xv[r][i] = _mm256_set1_ps(alpha * x.at(r, k + i));
  }
  const float* rows[KB];
  rows[0] = b + k * ldb;
  UNROLLED for (int i = 1; i < KB; ++i) rows[i] = rows[i - 1] + ldb;

  // V vectors at column j; Masked: the last one is partial.
  auto step = [&]<int V, bool Masked>(int64_t j, __m256i mask) {
    auto load = [&](const float* p, int v) {
      return (Masked && v == V - 1) ? _mm256_maskload_ps(p, mask) : _mm256_loadu_ps(p);
    };
    // One row: two chains per vector (even and odd rows of B) halve the FMA
    // latency. More rows have chains enough, and no registers to spare.
    constexpr bool kSplit = R == 1;
    __m256 even[R][V], odd[R][V];
    UNROLLED for (int r = 0; r < R; ++r) {
      UNROLLED for (int v = 0; v < V; ++v) {
        even[r][v] = load(c + r * ldc + j + 8 * v, v);
        if constexpr (kSplit) odd[r][v] = _mm256_setzero_ps();
      }
    }
    UNROLLED for (int i = 0; i < KB; ++i) {
      UNROLLED for (int v = 0; v < V; ++v) {
        const __m256 bv = load(rows[i] + j + 8 * v, v);
        UNROLLED for (int r = 0; r < R; ++r) {
          __m256& acc = kSplit && i % 2 == 1 ? odd[r][v] : even[r][v];
          acc = _mm256_fmadd_ps(xv[r][i], bv, acc);
        }
      }
    }
    UNROLLED for (int r = 0; r < R; ++r) {
      UNROLLED for (int v = 0; v < V; ++v) {
        float* out = c + r * ldc + j + 8 * v;
        const __m256 sum = kSplit ? _mm256_add_ps(even[r][v], odd[r][v]) : even[r][v];
        if (Masked && v == V - 1) {
          _mm256_maskstore_ps(out, mask, sum);
        } else {
          _mm256_storeu_ps(out, sum);
        }
      }
    }
  };
  const __m256i all = _mm256_set1_epi32(-1);
  int64_t j = 0;
  for (; j + 8 * JV <= width; j += 8 * JV) {
    UNROLLED for (int i = 0; i < KB; ++i) {
      _mm_prefetch(reinterpret_cast<const char*>(rows[i] + KB * ldb + j), _MM_HINT_T0);
    }
    step.template operator()<JV, false>(j, all);
  }
  for (; j + 8 <= width; j += 8) step.template operator()<1, false>(j, all);
  if (j < width) step.template operator()<1, true>(j, first_lanes(width - j));
}

// Narrower than this, B rows are short and the register-tile kernel wins.
constexpr int64_t kStreamMinCols = 64;

// Row-major B, wide (>= kStreamMinCols columns), R rows of C: C starts as
// beta*C and gathers KB rows of B per sweep. Columns go in chunks so that the
// R rows of C being updated stay in L1.
template <int R>
void stream_rows(GemvRows x, int64_t depth, float alpha, const float* b, int64_t ldb, int64_t cols,
                 float beta, float* c, int64_t ldc) {
  constexpr int KB = R == 1 ? 8 : (R == 2 ? 4 : 2);  // R*KB broadcasts of x in registers
  constexpr int JV = R <= 2 ? 2 : 1;
  constexpr int64_t kChunk = 4096 / R;  // 16 KiB of C
  for (int64_t j0 = 0; j0 < cols; j0 += kChunk) {
    const int64_t width = std::min(kChunk, cols - j0);
    UNROLLED for (int r = 0; r < R; ++r) {
      float* row = c + r * ldc + j0;
      if (beta == 0.0f) {
        std::fill(row, row + width, 0.0f);
      } else if (beta != 1.0f) {
        for (int64_t j = 0; j < width; ++j) row[j] *= beta;
      }
    }
    int64_t k = 0;
    for (; k + KB <= depth; k += KB) {
      stream_sweep<R, KB, JV>(x, k, alpha, b + j0, ldb, width, c + j0, ldc);
    }
    for (; k < depth; ++k) stream_sweep<R, 1, JV>(x, k, alpha, b + j0, ldb, width, c + j0, ldc);
  }
}

// B stored transposed ([N,K], each column of op(B) contiguous; x contiguous
// in k too): R rows of C by J columns of dot products, 8 k-steps per vector
// and a masked final step.
template <int R, int J>
void dot_tile(GemvRows x, int64_t depth, float alpha, const float* b, int64_t ldb, float beta,
              float* c, int64_t ldc) {
  __m256 acc[R][J] = {};
  auto step = [&](int64_t k, auto load) {
    __m256 bv[J];
    UNROLLED for (int j = 0; j < J; ++j) bv[j] = load(b + j * ldb + k);
    UNROLLED for (int r = 0; r < R; ++r) {
      const __m256 xv = load(x.data + r * x.row_stride + k);
      UNROLLED for (int j = 0; j < J; ++j) acc[r][j] = _mm256_fmadd_ps(xv, bv[j], acc[r][j]);
    }
  };
  int64_t k = 0;
  for (; k + 8 <= depth; k += 8) step(k, [](const float* p) { return _mm256_loadu_ps(p); });
  if (k < depth) {
    const __m256i mask = first_lanes(depth - k);
    step(k, [mask](const float* p) { return _mm256_maskload_ps(p, mask); });
  }
  UNROLLED for (int r = 0; r < R; ++r) {
    UNROLLED for (int j = 0; j < J; ++j) {
      float& out = c[r * ldc + j];
      const float sum = alpha * horizontal_sum(acc[r][j]);
      out = beta == 0.0f ? sum : sum + beta * out;
    }
  }
}

// Transposed B, R rows: groups of J columns (J*R <= 8 accumulators), then singles.
template <int R>
void dot_rows(GemvRows x, int64_t depth, float alpha, const float* b, int64_t ldb, int64_t cols,
              float beta, float* c, int64_t ldc) {
  constexpr int J = R == 1 ? 8 : (R == 2 ? 4 : 2);
  int64_t j = 0;
  for (; j + J <= cols; j += J) dot_tile<R, J>(x, depth, alpha, b + j * ldb, ldb, beta, c + j, ldc);
  for (; j < cols; ++j) dot_tile<R, 1>(x, depth, alpha, b + j * ldb, ldb, beta, c + j, ldc);
}

template <int R>
void gemv_fixed_rows(GemvRows x, int64_t depth, float alpha, MatrixView b, int64_t cols, float beta,
                     float* c, int64_t ldc) {
  if (b.transposed) {
    dot_rows<R>(x, depth, alpha, b.data, b.ld, cols, beta, c, ldc);
  } else if (cols >= kStreamMinCols) {
    stream_rows<R>(x, depth, alpha, b.data, b.ld, cols, beta, c, ldc);
  } else {
    axpy_rows<R>(x, depth, alpha, b.data, b.ld, cols, beta, c, ldc);
  }
}

#else

// Portable: one row at a time, C[r, :] += alpha x[r, k] * B[k, :] (the inner
// loop vectorizes for row-major B).
template <int R>
void gemv_fixed_rows(GemvRows x, int64_t depth, float alpha, MatrixView b, int64_t cols, float beta,
                     float* c, int64_t ldc) {
  UNROLLED for (int r = 0; r < R; ++r) {
    float* y = c + r * ldc;
    for (int64_t j = 0; j < cols; ++j) y[j] = beta == 0.0f ? 0.0f : beta * y[j];
    for (int64_t k = 0; k < depth; ++k) {
      const float xk = alpha * x.at(r, k);
      for (int64_t j = 0; j < cols; ++j) y[j] += xk * *b.at(k, j);
    }
  }
}

#endif

}  // namespace

void gemv_rows(GemvRows x, int64_t depth, float alpha, MatrixView b, int64_t col_begin,
               int64_t col_end, float beta, float* c, int64_t ldc) {
  const MatrixView sub{b.at(0, col_begin), b.ld, b.transposed};
  const int64_t cols = col_end - col_begin;
  c += col_begin;
  switch (x.rows) {
    case 1:
      gemv_fixed_rows<1>(x, depth, alpha, sub, cols, beta, c, ldc);
      break;
    case 2:
      gemv_fixed_rows<2>(x, depth, alpha, sub, cols, beta, c, ldc);
      break;
    case 3:
      gemv_fixed_rows<3>(x, depth, alpha, sub, cols, beta, c, ldc);
      break;
    case 4:
      gemv_fixed_rows<4>(x, depth, alpha, sub, cols, beta, c, ldc);
      break;
    default:
      break;
  }
}

#undef UNROLLED

}  // namespace gapscope::sgemm_detail

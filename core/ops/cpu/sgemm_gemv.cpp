// Small-M path of sgemm() (M <= 4, e.g. inference of one sample): B is
// streamed straight from memory, never packed, so one call costs about one
// read of B. x already holds alpha * op(A), `rows` rows of `depth` floats.
#include <algorithm>

#include "core/ops/cpu/sgemm_kernel.h"

#if defined(__AVX2__) && defined(__FMA__)
#define GAPSCOPE_SGEMM_AVX2 1
#include <immintrin.h>
#endif

namespace gapscope::sgemm_detail {
namespace {

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

// Row-major B, R rows of C by V vectors (8V columns starting at b/c):
// C[r, :] = sum_k x[r, k] * B[k, :]. The last vector is partial (mask) when
// Masked. U independent accumulator sets over alternating k keep >= ~8 FMAs in
// flight when R*V alone is too small to hide the FMA latency.
template <int R, int V, bool Masked>
void axpy_tile(int64_t depth, const float* x, const float* b, int64_t ldb, __m256i mask,
               float beta, float* c, int64_t ldc) {
  constexpr int U = std::clamp(8 / (R * V), 1, 4);
  __m256 acc[U][R][V];
  for (int u = 0; u < U; ++u)
    for (int r = 0; r < R; ++r)
      for (int v = 0; v < V; ++v) acc[u][r][v] = _mm256_setzero_ps();
  auto load_b = [&](const float* p, int v) {
    return (Masked && v == V - 1) ? _mm256_maskload_ps(p + 8 * v, mask) : _mm256_loadu_ps(p + 8 * v);
  };
  auto step = [&](int u, int64_t k) {
    const float* row = b + k * ldb;
    __m256 bv[V];
    for (int v = 0; v < V; ++v) bv[v] = load_b(row, v);
    for (int r = 0; r < R; ++r) {
      const __m256 xv = _mm256_broadcast_ss(x + r * depth + k);
      for (int v = 0; v < V; ++v) acc[u][r][v] = _mm256_fmadd_ps(xv, bv[v], acc[u][r][v]);
    }
  };
  int64_t k = 0;
  for (; k + U <= depth; k += U) {
    for (int u = 0; u < U; ++u) step(u, k + u);
  }
  for (; k < depth; ++k) step(0, k);
  for (int u = 1; u < U; ++u)
    for (int r = 0; r < R; ++r)
      for (int v = 0; v < V; ++v) acc[0][r][v] = _mm256_add_ps(acc[0][r][v], acc[u][r][v]);

  const __m256 vb = _mm256_set1_ps(beta);
  for (int r = 0; r < R; ++r) {
    for (int v = 0; v < V; ++v) {
      float* out = c + r * ldc + 8 * v;
      const bool partial = Masked && v == V - 1;
      __m256 result = acc[0][r][v];
      if (beta != 0.0f) {
        const __m256 old = partial ? _mm256_maskload_ps(out, mask) : _mm256_loadu_ps(out);
        result = _mm256_fmadd_ps(vb, old, result);
      }
      if (partial) {
        _mm256_maskstore_ps(out, mask, result);
      } else {
        _mm256_storeu_ps(out, result);
      }
    }
  }
}

// Row-major B, R rows: full tiles of 8*(8/R) columns, then one narrower tile
// (V chosen at run time) whose last vector may be partial.
template <int R>
void axpy_rows(int64_t depth, const float* x, const float* b, int64_t ldb, int64_t cols,
               float beta, float* c, int64_t ldc) {
  constexpr int kVecs = R == 1 ? 8 : (R == 2 ? 4 : 2);
  constexpr int64_t kTile = 8 * kVecs;
  int64_t j = 0;
  const __m256i all = _mm256_set1_epi32(-1);
  for (; j + kTile <= cols; j += kTile) {
    axpy_tile<R, kVecs, false>(depth, x, b + j, ldb, all, beta, c + j, ldc);
  }
  const int64_t rest = cols - j;
  if (rest == 0) return;
  const int vecs = static_cast<int>((rest + 7) / 8);
  const bool masked = rest % 8 != 0;
  const __m256i mask = first_lanes(rest - 8 * (vecs - 1));
  b += j;
  c += j;
  // One instantiation per possible narrow width.
  auto tail = [&]<int V>() {
    if (masked) {
      axpy_tile<R, V, true>(depth, x, b, ldb, mask, beta, c, ldc);
    } else {
      axpy_tile<R, V, false>(depth, x, b, ldb, mask, beta, c, ldc);
    }
  };
  switch (vecs) {
    case 1: tail.template operator()<1>(); break;
    case 2: if constexpr (kVecs >= 2) tail.template operator()<2>(); break;
    case 3: if constexpr (kVecs >= 3) tail.template operator()<3>(); break;
    case 4: if constexpr (kVecs >= 4) tail.template operator()<4>(); break;
    case 5: if constexpr (kVecs >= 5) tail.template operator()<5>(); break;
    case 6: if constexpr (kVecs >= 6) tail.template operator()<6>(); break;
    case 7: if constexpr (kVecs >= 7) tail.template operator()<7>(); break;
    case 8: if constexpr (kVecs >= 8) tail.template operator()<8>(); break;
    default: break;
  }
}

// B stored transposed ([N,K], each column of op(B) contiguous): R rows of C by
// J columns of dot products, 8 k-steps per vector, a masked final step.
template <int R, int J>
void dot_tile(int64_t depth, const float* x, const float* b, int64_t ldb, float beta, float* c,
              int64_t ldc) {
  __m256 acc[R][J];
  for (int r = 0; r < R; ++r)
    for (int j = 0; j < J; ++j) acc[r][j] = _mm256_setzero_ps();
  auto step = [&](int64_t k, auto load) {
    __m256 bv[J];
    for (int j = 0; j < J; ++j) bv[j] = load(b + j * ldb + k);
    for (int r = 0; r < R; ++r) {
      const __m256 xv = load(x + r * depth + k);
      for (int j = 0; j < J; ++j) acc[r][j] = _mm256_fmadd_ps(xv, bv[j], acc[r][j]);
    }
  };
  int64_t k = 0;
  for (; k + 8 <= depth; k += 8) step(k, [](const float* p) { return _mm256_loadu_ps(p); });
  if (k < depth) {
    const __m256i mask = first_lanes(depth - k);
    step(k, [mask](const float* p) { return _mm256_maskload_ps(p, mask); });
  }
  for (int r = 0; r < R; ++r) {
    for (int j = 0; j < J; ++j) {
      float& out = c[r * ldc + j];
      const float sum = horizontal_sum(acc[r][j]);
      out = beta == 0.0f ? sum : sum + beta * out;
    }
  }
}

// Transposed B, R rows: groups of J columns (J*R <= 8 accumulators), then singles.
template <int R>
void dot_rows(int64_t depth, const float* x, const float* b, int64_t ldb, int64_t cols,
              float beta, float* c, int64_t ldc) {
  constexpr int J = R == 1 ? 8 : (R == 2 ? 4 : 2);
  int64_t j = 0;
  for (; j + J <= cols; j += J) dot_tile<R, J>(depth, x, b + j * ldb, ldb, beta, c + j, ldc);
  for (; j < cols; ++j) dot_tile<R, 1>(depth, x, b + j * ldb, ldb, beta, c + j, ldc);
}

template <int R>
void gemv_fixed_rows(int64_t depth, const float* x, MatrixView b, int64_t cols, float beta,
                     float* c, int64_t ldc) {
  if (b.transposed) {
    dot_rows<R>(depth, x, b.data, b.ld, cols, beta, c, ldc);
  } else {
    axpy_rows<R>(depth, x, b.data, b.ld, cols, beta, c, ldc);
  }
}

#else

// Portable: one row at a time, y += x[k] * B[k, :] (vectorizable inner loop).
template <int R>
void gemv_fixed_rows(int64_t depth, const float* x, MatrixView b, int64_t cols, float beta,
                     float* c, int64_t ldc) {
  for (int r = 0; r < R; ++r) {
    float* y = c + r * ldc;
    for (int64_t j = 0; j < cols; ++j) y[j] = beta == 0.0f ? 0.0f : beta * y[j];
    for (int64_t k = 0; k < depth; ++k) {
      const float xk = x[r * depth + k];
      for (int64_t j = 0; j < cols; ++j) y[j] += xk * *b.at(k, j);
    }
  }
}

#endif

}  // namespace

void gemv_rows(int rows, int64_t depth, const float* x, MatrixView b, int64_t col_begin,
               int64_t col_end, float beta, float* c, int64_t ldc) {
  const MatrixView sub{b.at(0, col_begin), b.ld, b.transposed};
  const int64_t cols = col_end - col_begin;
  c += col_begin;
  switch (rows) {
    case 1: gemv_fixed_rows<1>(depth, x, sub, cols, beta, c, ldc); break;
    case 2: gemv_fixed_rows<2>(depth, x, sub, cols, beta, c, ldc); break;
    case 3: gemv_fixed_rows<3>(depth, x, sub, cols, beta, c, ldc); break;
    case 4: gemv_fixed_rows<4>(depth, x, sub, cols, beta, c, ldc); break;
    default: break;
  }
}

}  // namespace gapscope::sgemm_detail

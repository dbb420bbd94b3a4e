// sgemm() driver: picks the small-M path or the packed GotoBLAS-style path,
// splits C into one rectangle per thread, and blocks each rectangle for the
// caches (see sgemm_kernel.cpp for packing and the micro-kernel).
#include "core/ops/cpu/sgemm.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>

#include "core/ops/cpu/sgemm_kernel.h"
#include "core/ops/cpu/thread_pool.h"

namespace gapscope {
namespace {

using sgemm_detail::kMr;
using sgemm_detail::kNr;
using sgemm_detail::MatrixView;

// Cache blocking. A kc-deep B sliver (kc*kNr*4 = 16 KiB) stays in L1 while the
// mc x kc block of A (144 KiB) stays in L2; the kc x nc panel of B streams
// from L3. Sized for Zen 3 (32 KiB L1d, 512 KiB L2) and fine on larger caches.
constexpr int64_t kMaxKc = 256;
constexpr int64_t kMaxMc = 144;
constexpr int64_t kMaxNc = 2048;

// Below this many multiply-adds a call runs on the calling thread: waking a
// worker costs a few microseconds, as much as the whole product.
constexpr int64_t kMinParallelWork = 128 * 1024;
// Each extra task must bring at least this much work.
constexpr int64_t kMinTaskWork = 64 * 1024;

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
int64_t round_up(int64_t a, int64_t b) { return ceil_div(a, b) * b; }

// Splits `total` into at most `parts` chunks of equal length rounded to `align`
// so that only the last chunk has a ragged edge.
int64_t chunk_length(int64_t total, int64_t parts, int64_t align) {
  return round_up(ceil_div(total, parts), align);
}

// Grow-only 64-byte aligned scratch, one per thread per use, so the steady
// state allocates nothing.
class ScratchBuffer {
 public:
  float* get(int64_t floats) {
    if (floats > capacity_) {
      const size_t bytes = static_cast<size_t>(round_up(floats * 4, 64));
      data_.reset(static_cast<float*>(std::aligned_alloc(64, bytes)));
      if (!data_) throw std::bad_alloc();
      capacity_ = floats;
    }
    return data_.get();
  }

 private:
  struct Free {
    void operator()(float* p) const { std::free(p); }
  };
  std::unique_ptr<float, Free> data_;
  int64_t capacity_ = 0;
};

ScratchBuffer& packed_a_buffer() {
  thread_local ScratchBuffer buffer;
  return buffer;
}
ScratchBuffer& packed_b_buffer() {
  thread_local ScratchBuffer buffer;
  return buffer;
}

MatrixView offset(MatrixView v, int64_t row, int64_t col) {
  return {v.at(row, col), v.ld, v.transposed};
}
MatrixView transposed(MatrixView v) { return {v.data, v.ld, !v.transposed}; }

// Where C's elements live: row-major (col_stride 1) unless the product was
// computed transposed.
struct Output {
  float* data;
  int64_t row_stride, col_stride;
  float* at(int64_t row, int64_t col) const { return data + row * row_stride + col * col_stride; }
};

// C = beta * C, for k == 0 or alpha == 0 (A and B are not read).
void scale_c(int64_t m, int64_t n, float beta, float* c, int64_t ldc) {
  if (beta == 1.0f) return;
  for (int64_t i = 0; i < m; ++i) {
    float* row = c + i * ldc;
    if (beta == 0.0f) {
      std::fill(row, row + n, 0.0f);
    } else {
      for (int64_t j = 0; j < n; ++j) row[j] *= beta;
    }
  }
}

// One rectangle of C on the calling thread, GotoBLAS loop order:
// nc-wide panels of B, kc-deep slices of K, mc-tall blocks of A, then kNr
// slivers of B (outer, L1-resident) against kMr slivers of A (inner).
void gemm_rectangle(MatrixView a, MatrixView b, int64_t m, int64_t n, int64_t k, float alpha,
                    float beta, Output c) {
  const int64_t kc_max = ceil_div(k, ceil_div(k, kMaxKc));
  const int64_t mc_max = chunk_length(m, ceil_div(m, kMaxMc), kMr);
  const int64_t nc_max = chunk_length(n, ceil_div(n, kMaxNc), kNr);
  float* packed_a = packed_a_buffer().get(mc_max * kc_max + sgemm_detail::kPackSlack);
  float* packed_b = packed_b_buffer().get(nc_max * kc_max + sgemm_detail::kPackSlack);

  for (int64_t jc = 0; jc < n; jc += nc_max) {
    const int64_t nc = std::min(nc_max, n - jc);
    for (int64_t pc = 0; pc < k; pc += kc_max) {
      const int64_t kc = std::min(kc_max, k - pc);
      const float beta_here = pc == 0 ? beta : 1.0f;
      sgemm_detail::pack_b(offset(b, pc, jc), kc, nc, packed_b);
      for (int64_t ic = 0; ic < m; ic += mc_max) {
        const int64_t mc = std::min(mc_max, m - ic);
        sgemm_detail::pack_a(offset(a, ic, pc), mc, kc, packed_a);
        for (int64_t jr = 0; jr < nc; jr += kNr) {
          const int cols = static_cast<int>(std::min<int64_t>(kNr, nc - jr));
          const float* bp = packed_b + jr * kc;
          for (int64_t ir = 0; ir < mc; ir += kMr) {
            const int rows = static_cast<int>(std::min<int64_t>(kMr, mc - ir));
            const float* ap = packed_a + ir * kc;
            float* cp = c.at(ic + ir, jc + jr);
            if (rows == kMr && cols == kNr && c.col_stride == 1) {
              sgemm_detail::micro_kernel(kc, ap, bp, cp, c.row_stride, alpha, beta_here);
            } else {
              sgemm_detail::micro_kernel_edge(kc, ap, bp, cp, c.row_stride, c.col_stride, rows,
                                              cols, alpha, beta_here);
            }
          }
        }
      }
    }
  }
}

// How C is cut into rectangles: parts_m x parts_n chunks.
struct Grid {
  int64_t chunk_m, chunk_n, parts_m, parts_n;
};

// Picks the cut of C into at most `tasks` rectangles with the cheapest slowest
// rectangle: its padded tile area (compute) plus its packing of A and B rows
// (each packed element costs about as much as a few multiply-adds per k).
Grid choose_grid(int64_t m, int64_t n, int64_t tasks) {
  Grid best{m, n, 1, 1};
  double best_cost = -1;
  for (int64_t pm = 1; pm <= tasks; ++pm) {
    const int64_t pn = tasks / pm;
    const int64_t chunk_m = chunk_length(m, pm, kMr);
    const int64_t chunk_n = chunk_length(n, pn, kNr);
    const double cost = double(round_up(chunk_m, kMr)) * double(round_up(chunk_n, kNr)) +
                        4.0 * double(chunk_m + chunk_n);
    if (best_cost < 0 || cost < best_cost) {
      best_cost = cost;
      best = {chunk_m, chunk_n, ceil_div(m, chunk_m), ceil_div(n, chunk_n)};
    }
  }
  return best;
}

// True when C^T = op(B)^T op(A)^T wastes clearly less of the kMr x kNr tiles
// on padding (e.g. N = 10: 16-wide slivers are 5/8 full, 6-tall ones 5/6).
bool better_transposed(int64_t m, int64_t n) {
  const double straight = double(round_up(m, kMr)) * double(round_up(n, kNr));
  const double swapped = double(round_up(n, kMr)) * double(round_up(m, kNr));
  return swapped < 0.8 * straight;
}

void gemm_packed(MatrixView a, MatrixView b, int64_t m, int64_t n, int64_t k, float alpha,
                 float beta, Output c, ThreadPool* pool) {
  if (c.col_stride == 1 && better_transposed(m, n)) {
    // Strided C goes through the scratch-tile path: worth it only for a big padding saving.
    gemm_packed(transposed(b), transposed(a), n, m, k, alpha, beta,
                {c.data, c.col_stride, c.row_stride}, pool);
    return;
  }
  const int64_t work = m * n * k;
  const int64_t threads = pool ? pool->threads() : 1;
  const int64_t tasks = std::min(threads, std::max<int64_t>(1, work / kMinTaskWork));
  if (tasks <= 1 || work < kMinParallelWork) {
    gemm_rectangle(a, b, m, n, k, alpha, beta, c);
    return;
  }
  const Grid grid = choose_grid(m, n, tasks);
  pool->run(static_cast<int>(grid.parts_m * grid.parts_n), [&](int task) {
    const int64_t i0 = (task / grid.parts_n) * grid.chunk_m;
    const int64_t j0 = (task % grid.parts_n) * grid.chunk_n;
    gemm_rectangle(offset(a, i0, 0), offset(b, 0, j0), std::min(grid.chunk_m, m - i0),
                   std::min(grid.chunk_n, n - j0), k, alpha, beta,
                   {c.at(i0, j0), c.row_stride, c.col_stride});
  });
}

// M <= 4: reads A in place (a transposed A only is gathered when B is
// transposed too, since dot products need x contiguous in k), streams B, and
// splits the columns over the pool when the product is big enough.
void gemm_small_m(MatrixView a, MatrixView b, int64_t m, int64_t n, int64_t k, float alpha,
                  float beta, float* c, int64_t ldc, ThreadPool* pool) {
  const int rows = static_cast<int>(m);
  sgemm_detail::GemvRows x{a.data, a.ld, 1, rows};
  if (a.transposed && b.transposed) {
    float* gathered = packed_a_buffer().get(m * k);
    for (int64_t p = 0; p < k; ++p) {
      for (int64_t i = 0; i < m; ++i) gathered[i * k + p] = a.data[p * a.ld + i];
    }
    x = {gathered, k, 1, rows};
  } else if (a.transposed) {
    x = {a.data, 1, a.ld, rows};
  }
  const int64_t work = m * n * k;
  const int64_t threads = pool ? pool->threads() : 1;
  // Chunks of 64 columns keep cache lines of B and C whole per task.
  const int64_t tasks =
      std::min({threads, std::max<int64_t>(1, work / kMinTaskWork), ceil_div(n, 64)});
  if (tasks <= 1 || work < kMinParallelWork) {
    sgemm_detail::gemv_rows(x, k, alpha, b, 0, n, beta, c, ldc);
    return;
  }
  const int64_t chunk = chunk_length(n, tasks, 64);
  pool->run(static_cast<int>(ceil_div(n, chunk)), [&](int task) {
    const int64_t j0 = task * chunk;
    sgemm_detail::gemv_rows(x, k, alpha, b, j0, std::min(n, j0 + chunk), beta, c, ldc);
  });
}

}  // namespace

void sgemm(bool transpose_a, bool transpose_b, int64_t m, int64_t n, int64_t k, float alpha,
           const float* a, int64_t lda, const float* b, int64_t ldb, float beta, float* c,
           int64_t ldc, ThreadPool* pool) {
  if (m <= 0 || n <= 0) return;
  if (k <= 0 || alpha == 0.0f) {
    scale_c(m, n, beta, c, ldc);
    return;
  }
  const MatrixView av{a, lda, transpose_a};
  const MatrixView bv{b, ldb, transpose_b};
  if (m <= sgemm_detail::kGemvMaxRows) {
    gemm_small_m(av, bv, m, n, k, alpha, beta, c, ldc, pool);
  } else {
    gemm_packed(av, bv, m, n, k, alpha, beta, {c, ldc, 1}, pool);
  }
}

const char* sgemm_simd_level() {
#if defined(__AVX2__) && defined(__FMA__)
  return "avx2+fma";
#else
  return "generic";
#endif
}

}  // namespace gapscope

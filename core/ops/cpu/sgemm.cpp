// sgemm() driver: picks the small-M path or the packed GotoBLAS-style path,
// splits C into one rectangle per thread (or, for few tiles over a deep K,
// splits K), and blocks each rectangle for the caches. C of at most nr
// columns (a convolution's filters) goes to the kernels' in-place tiles where
// they have them. The packed kernels (sgemm_kernel*.cpp) are chosen at run time for
// the CPU: AVX-512 where it has it, else the build's baseline.
#include "core/ops/cpu/sgemm.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/checked_math.h"
#include "core/ops/cpu/sgemm_kernel.h"
#include "core/ops/cpu/thread_pool.h"

namespace gapscope {
namespace {

using sgemm_detail::MatrixView;
using sgemm_detail::PackedKernels;

// Below this many multiply-adds a call runs on the calling thread: waking a
// worker costs a few microseconds, as much as the whole product.
constexpr int64_t kMinParallelWork = 128 * 1024;
// Each extra task must bring at least this much work.
constexpr int64_t kMinTaskWork = 64 * 1024;

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
// nc-wide panels of B, kc-deep slices of K, mc-tall blocks of A, then nr
// slivers of B (outer, L1-resident) against mr slivers of A (inner).
void gemm_rectangle(const PackedKernels& kern, MatrixView a, MatrixView b, int64_t m, int64_t n,
                    int64_t k, float alpha, float beta, Output c) {
  const int64_t mr = kern.mr, nr = kern.nr;
  const int64_t kc_max = ceil_div(k, ceil_div(k, kern.max_kc));
  const int64_t mc_max = chunk_length(m, ceil_div(m, kern.max_mc), mr);
  const int64_t nc_max = chunk_length(n, ceil_div(n, kern.max_nc), nr);
  float* packed_a = packed_a_buffer().get(mc_max * kc_max + sgemm_detail::kPackSlack);
  float* packed_b = packed_b_buffer().get(nc_max * kc_max + sgemm_detail::kPackSlack);

  if (kern.unpacked != nullptr && c.col_stride == 1 && n <= nr) {
    // One sliver of B: A and B are read in place (a transposed B is packed
    // first, one kc-deep block at a time, which also keeps B's block in L1).
    for (int64_t pc = 0; pc < k; pc += kc_max) {
      const int64_t kc = std::min(kc_max, k - pc);
      const float* bk = b.at(pc, 0);
      int64_t ldb = b.ld;
      if (b.transposed) {
        kern.pack_b(offset(b, pc, 0), kc, n, packed_b);
        bk = packed_b;
        ldb = nr;
      }
      kern.unpacked(offset(a, 0, pc), m, kc, bk, ldb, c.data, c.row_stride, static_cast<int>(n),
                    alpha, pc == 0 ? beta : 1.0f);
    }
    return;
  }

  // Where one block of A uses each panel of B (few rows, e.g. a training
  // batch), a row-major B is packed sliver by sliver by the first tile that
  // uses it, if the kernels can: a pass of its own would cost ~20% of the
  // product. Taller rectangles amortize that pass, whose sequential reads
  // beat the tiles' strided ones (1024^3: ~3% faster).
  const bool tiles_pack_b =
      kern.tile_packing_b != nullptr && !b.transposed && c.col_stride == 1 && m <= mc_max;

  for (int64_t jc = 0; jc < n; jc += nc_max) {
    const int64_t nc = std::min(nc_max, n - jc);
    for (int64_t pc = 0; pc < k; pc += kc_max) {
      const int64_t kc = std::min(kc_max, k - pc);
      const float beta_here = pc == 0 ? beta : 1.0f;
      if (!tiles_pack_b) kern.pack_b(offset(b, pc, jc), kc, nc, packed_b);
      for (int64_t ic = 0; ic < m; ic += mc_max) {
        const int64_t mc = std::min(mc_max, m - ic);
        kern.pack_a(offset(a, ic, pc), mc, kc, packed_a);
        for (int64_t jr = 0; jr < nc; jr += nr) {
          const int cols = static_cast<int>(std::min(nr, nc - jr));
          float* bp = packed_b + jr * kc;
          int64_t ir = 0;
          if (tiles_pack_b && ic == 0) {  // the sliver's first use
            const MatrixView sliver = offset(b, pc, jc + jr);
            if (cols == nr && mc >= mr) {
              kern.tile_packing_b(kc, packed_a, sliver.data, sliver.ld, bp, c.at(ic, jc + jr),
                                  c.row_stride, alpha, beta_here);
              ir = mr;
            } else {
              kern.pack_b(sliver, kc, cols, bp);
            }
          }
          for (; ir < mc; ir += mr) {
            const int rows = static_cast<int>(std::min(mr, mc - ir));
            const float* ap = packed_a + ir * kc;
            float* cp = c.at(ic + ir, jc + jr);
            if (rows == mr && cols == nr && c.col_stride == 1) {
              kern.tile(kc, ap, bp, cp, c.row_stride, alpha, beta_here);
            } else {
              kern.edge_tile(kc, ap, bp, cp, c.row_stride, c.col_stride, rows, cols, alpha,
                             beta_here);
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
Grid choose_grid(const PackedKernels& kern, int64_t m, int64_t n, int64_t tasks) {
  Grid best{m, n, 1, 1};
  double best_cost = -1;
  for (int64_t pm = 1; pm <= tasks; ++pm) {
    const int64_t pn = tasks / pm;
    const int64_t chunk_m = chunk_length(m, pm, kern.mr);
    const int64_t chunk_n = chunk_length(n, pn, kern.nr);
    const double cost = double(round_up(chunk_m, kern.mr)) * double(round_up(chunk_n, kern.nr)) +
                        4.0 * double(chunk_m + chunk_n);
    if (best_cost < 0 || cost < best_cost) {
      best_cost = cost;
      best = {chunk_m, chunk_n, ceil_div(m, chunk_m), ceil_div(n, chunk_n)};
    }
  }
  return best;
}

// True when C^T = op(B)^T op(A)^T wastes clearly less of the mr x nr tiles
// on padding (e.g. N = 10: 16-wide slivers are 5/8 full, 6-tall ones 5/6).
bool better_transposed(const PackedKernels& kern, int64_t m, int64_t n) {
  const double straight = double(round_up(m, kern.mr)) * double(round_up(n, kern.nr));
  const double swapped = double(round_up(n, kern.mr)) * double(round_up(m, kern.nr));
  return swapped < 0.8 * straight;
}

ScratchBuffer& split_k_buffer() {
  thread_local ScratchBuffer buffer;
  return buffer;
}

// Few tiles of C over a deep K (a convolution's dW = cols^T dz: K is every
// pixel of the batch) leave threads idle when C is cut: K is cut instead.
// Also for a transposed A feeding one sliver of columns (dW over a chunk of
// im2col rows, which im2col wrote split over the threads by rows, i.e. by
// k): each thread then reads the rows in its own cache (a 2x32 paper-cnn
// training step at 2 threads: 11.5 -> 10.0 ms). The first task accumulates
// into C, the others into scratch, summed after.
bool split_k_pays(const PackedKernels& kern, MatrixView a, int64_t m, int64_t n, int64_t k,
                  int64_t tasks) {
  const int64_t tiles = ceil_div(m, kern.mr) * ceil_div(n, kern.nr);
  if (tiles < 2 * tasks && k >= 256 * tasks) return true;
  return a.transposed && n <= kern.nr && k >= 128 * tasks;
}

void gemm_split_k(const PackedKernels& kern, MatrixView a, MatrixView b, int64_t m, int64_t n,
                  int64_t k, float alpha, float beta, Output c, ThreadPool* pool, int64_t tasks) {
  const int64_t chunk = chunk_length(k, tasks, 16);
  const int64_t parts = ceil_div(k, chunk);
  float* partial = split_k_buffer().get((parts - 1) * m * n);
  pool->run(static_cast<int>(parts), [&](int task) {
    const int64_t k0 = task * chunk, depth = std::min(chunk, k - k0);
    if (task == 0) {
      gemm_rectangle(kern, a, b, m, n, depth, alpha, beta, c);
    } else {
      gemm_rectangle(kern, offset(a, 0, k0), offset(b, k0, 0), m, n, depth, alpha, 0.0f,
                     {partial + (task - 1) * m * n, n, 1});
    }
  });
  for (int64_t p = 1; p < parts; ++p) {
    const float* part = partial + (p - 1) * m * n;
    for (int64_t i = 0; i < m; ++i) {
      if (c.col_stride == 1) {
        float* row = c.at(i, 0);
        for (int64_t j = 0; j < n; ++j) row[j] += part[i * n + j];
      } else {
        for (int64_t j = 0; j < n; ++j) *c.at(i, j) += part[i * n + j];
      }
    }
  }
}

void gemm_packed(const PackedKernels& kern, MatrixView a, MatrixView b, int64_t m, int64_t n,
                 int64_t k, float alpha, float beta, Output c, ThreadPool* pool) {
  // A single sliver of columns is read in place (kern.unpacked), row-major C as it is.
  const bool one_sliver = kern.unpacked != nullptr && n <= kern.nr;
  if (c.col_stride == 1 && !one_sliver && better_transposed(kern, m, n)) {
    // Strided C goes through the scratch-tile path: worth it only for a big padding saving.
    gemm_packed(kern, transposed(b), transposed(a), n, m, k, alpha, beta,
                {c.data, c.col_stride, c.row_stride}, pool);
    return;
  }
  const int64_t work = m * n * k;
  const int64_t threads = pool ? pool->threads() : 1;
  const int64_t tasks = std::min(threads, std::max<int64_t>(1, work / kMinTaskWork));
  if (tasks <= 1 || work < kMinParallelWork) {
    gemm_rectangle(kern, a, b, m, n, k, alpha, beta, c);
    return;
  }
  if (split_k_pays(kern, a, m, n, k, tasks)) {
    gemm_split_k(kern, a, b, m, n, k, alpha, beta, c, pool, tasks);
    return;
  }
  const Grid grid = choose_grid(kern, m, n, tasks);
  pool->run(static_cast<int>(grid.parts_m * grid.parts_n), [&](int task) {
    const int64_t i0 = (task / grid.parts_n) * grid.chunk_m;
    const int64_t j0 = (task % grid.parts_n) * grid.chunk_n;
    gemm_rectangle(kern, offset(a, i0, 0), offset(b, 0, j0), std::min(grid.chunk_m, m - i0),
                   std::min(grid.chunk_n, n - j0), k, alpha, beta,
                   {c.at(i0, j0), c.row_stride, c.col_stride});
  });
}

// ---- Which kernels run ----

bool cpu_has_avx512() {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
#else
  return false;
#endif
}

// The kernels this build can run on this CPU, best first.
const std::vector<const PackedKernels*>& available_kernels() {
  static const std::vector<const PackedKernels*> available = [] {
    std::vector<const PackedKernels*> kernels;
    // The CPU first: not even avx512_kernels() is called on a CPU without it.
    if (cpu_has_avx512()) {
      if (const PackedKernels* avx512 = sgemm_detail::avx512_kernels()) kernels.push_back(avx512);
    }
    kernels.push_back(&sgemm_detail::baseline_kernels());
    return kernels;
  }();
  return available;
}

// By level name; "avx2" is short for "avx2+fma". nullptr if not available.
const PackedKernels* find_available(std::string_view level) {
  if (level == "avx2") level = "avx2+fma";
  for (const PackedKernels* kern : available_kernels()) {
    if (level == kern->simd) return kern;
  }
  return nullptr;
}

// The best available, or what GAPSCOPE_SIMD asks for. Decided once: a level
// that changed mid-run would make measurements incomparable.
const PackedKernels& automatic_kernels() {
  static const PackedKernels* chosen = [] {
    const PackedKernels* best = available_kernels().front();
    const char* wanted = std::getenv("GAPSCOPE_SIMD");
    if (wanted == nullptr || *wanted == '\0') return best;
    if (const PackedKernels* kern = find_available(wanted)) return kern;
    std::fprintf(stderr, "gapscope: GAPSCOPE_SIMD=%s is not available here; using %s\n", wanted,
                 best->simd);
    return best;
  }();
  return *chosen;
}

// Set by sgemm_force_simd_level (tests, benchmarks); overrides the automatic choice.
std::atomic<const PackedKernels*> forced_kernels{nullptr};

// Read once per sgemm() call, so one call never mixes kernels.
const PackedKernels& active_kernels() {
  const PackedKernels* forced = forced_kernels.load();
  return forced != nullptr ? *forced : automatic_kernels();
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
    gemm_packed(active_kernels(), av, bv, m, n, k, alpha, beta, {c, ldc, 1}, pool);
  }
}

const char* sgemm_simd_level() { return active_kernels().simd; }

std::vector<std::string> sgemm_available_simd_levels() {
  std::vector<std::string> levels;
  for (const PackedKernels* kern : available_kernels()) levels.emplace_back(kern->simd);
  return levels;
}

bool sgemm_force_simd_level(const char* level) {
  if (level == nullptr) {
    forced_kernels.store(nullptr);
    return true;
  }
  const PackedKernels* kern = find_available(level);
  if (kern != nullptr) forced_kernels.store(kern);
  return kern != nullptr;
}

}  // namespace gapscope

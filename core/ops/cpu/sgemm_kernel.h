// Internals of sgemm(): packing routines, the register-blocked micro-kernels
// of each ISA and the small-M (GEMV-like) kernels. Not part of the public API.
#pragma once
#include <cstdint>

namespace gapscope::sgemm_detail {

// A strided view of a row-major operand: element (row, col) of op(X).
struct MatrixView {
  const float* data;
  int64_t ld;
  bool transposed;  // stored as [cols, rows]
  const float* at(int64_t row, int64_t col) const {
    return transposed ? data + col * ld + row : data + row * ld + col;
  }
};

// Packing may write up to this many floats past the packed data.
constexpr int64_t kPackSlack = 16;

// One ISA's packed-GEMM kernels and the cache blocking that suits them.
// The driver (sgemm.cpp) is the same for all; only this table differs.
struct PackedKernels {
  const char* simd;  // what sgemm_simd_level() reports while these run
  int mr, nr;        // micro-tile: mr rows by nr columns of C, in registers
  // Cache blocking: a kc x nr sliver of B stays in L1, an mc x kc block of A
  // in L2, a kc x nc panel of B in L2/L3.
  int64_t max_kc, max_mc, max_nc;

  // Packs op(A)[rows, depth] into mr-row slivers: sliver s holds, for each k,
  // the mr values of rows s*mr.. contiguously. Rows past `rows` are zeros.
  // dst needs round_up(rows, mr) * depth floats (+ kPackSlack).
  void (*pack_a)(MatrixView a, int64_t rows, int64_t depth, float* dst);

  // Packs op(B)[depth, cols] into nr-column slivers: sliver s holds, for each
  // k, the nr values of columns s*nr.. contiguously. Columns past `cols` are
  // zeros. dst is 64-byte aligned.
  void (*pack_b)(MatrixView b, int64_t depth, int64_t cols, float* dst);

  // C[mr, nr] = alpha * Ap * Bp + beta * C over `depth` k-steps of packed
  // slivers. beta == 0 never reads C.
  void (*tile)(int64_t depth, const float* ap, const float* bp, float* c, int64_t ldc, float alpha,
               float beta);

  // Same, for a partial tile of rows x cols (rows <= mr, cols <= nr) and any
  // C layout: element (i, j) at c[i * row_stride + j * col_stride].
  void (*edge_tile)(int64_t depth, const float* ap, const float* bp, float* c, int64_t row_stride,
                    int64_t col_stride, int rows, int cols, float alpha, float beta);

  // Optional (nullptr: none): tile() for a full sliver of a row-major B read
  // straight from b (row k at b + k * ldb), packing it into bp on the way
  // for the tiles after it. Where B is used by few rows of A, the separate
  // packing pass over B costs a large part of the product.
  void (*tile_packing_b)(int64_t depth, const float* ap, const float* b, int64_t ldb, float* bp,
                         float* c, int64_t ldc, float alpha, float beta);

  // Optional (nullptr: none): for C of at most nr columns (one sliver of B),
  // C[rows, cols] = alpha * op(A) * B + beta * C over `depth` k-steps, reading
  // op(A) (either layout) and a row-major B (row k at b + k * ldb) in place.
  void (*unpacked)(MatrixView a, int64_t rows, int64_t depth, const float* b, int64_t ldb,
                   float* c, int64_t ldc, int cols, float alpha, float beta);
};

// The kernels of the ISA the whole build targets (-march): AVX2+FMA for
// x86-64-v3, plain loops otherwise (sgemm_kernel.cpp).
const PackedKernels& baseline_kernels();

// AVX-512 kernels (sgemm_kernel_avx512.cpp), or nullptr where the compiler
// did not build them. Only for CPUs with AVX-512 F, BW, DQ and VL.
const PackedKernels* avx512_kernels();

// Small-M path (rows <= kGemvMaxRows) without packing B: for columns
// [col_begin, col_end), C[r, :] = alpha * x[r, :] * op(B) + beta * C[r, :].
// x(r, k) is x.data[r * x.row_stride + k * x.k_stride]; transposed B needs
// k_stride == 1.
constexpr int kGemvMaxRows = 4;
struct GemvRows {
  const float* data;
  int64_t row_stride, k_stride;
  int rows;
  float at(int r, int64_t k) const { return data[r * row_stride + k * k_stride]; }
};
void gemv_rows(GemvRows x, int64_t depth, float alpha, MatrixView b, int64_t col_begin,
               int64_t col_end, float beta, float* c, int64_t ldc);

}  // namespace gapscope::sgemm_detail

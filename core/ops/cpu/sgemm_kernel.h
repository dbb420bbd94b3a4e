// Internals of sgemm(): packing routines, the register-blocked micro-kernel and
// the small-M (GEMV-like) kernels. Not part of the public API.
#pragma once
#include <cstdint>

namespace gapscope::sgemm_detail {

// Micro-tile: kMr rows of C by kNr columns, held in registers (6x16 = 12 ymm).
constexpr int kMr = 6;
constexpr int kNr = 16;

// A strided view of a row-major operand: element (row, col) of op(X).
struct MatrixView {
  const float* data;
  int64_t ld;
  bool transposed;  // stored as [cols, rows]
  const float* at(int64_t row, int64_t col) const {
    return transposed ? data + col * ld + row : data + row * ld + col;
  }
};

// Packs op(A)[rows, depth] into kMr-row slivers: sliver s holds, for each k,
// the kMr values of rows s*kMr.. contiguously. Rows past `rows` are zeros.
// dst needs round_up(rows, kMr) * depth floats (+ kPackSlack).
void pack_a(MatrixView a, int64_t rows, int64_t depth, float* dst);

// Packs op(B)[depth, cols] into kNr-column slivers: sliver s holds, for each k,
// the kNr values of columns s*kNr.. contiguously. Columns past `cols` are zeros.
void pack_b(MatrixView b, int64_t depth, int64_t cols, float* dst);

// Packing may write up to this many floats past the packed data.
constexpr int64_t kPackSlack = 16;

// C[kMr, kNr] = alpha * Ap * Bp + beta * C over `depth` k-steps of packed
// slivers. beta == 0 never reads C.
void micro_kernel(int64_t depth, const float* ap, const float* bp, float* c, int64_t ldc,
                  float alpha, float beta);

// Same, for a partial tile of rows x cols (rows <= kMr, cols <= kNr) and any
// C layout: element (i, j) at c[i * row_stride + j * col_stride].
void micro_kernel_edge(int64_t depth, const float* ap, const float* bp, float* c,
                       int64_t row_stride, int64_t col_stride, int rows, int cols, float alpha,
                       float beta);

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

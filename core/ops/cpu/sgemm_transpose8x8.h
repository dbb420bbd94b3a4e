// An 8x8 float transpose on load, shared by the AVX2 and AVX-512 packing code.
// Internal linkage on purpose: each kernel file compiles its own copy with its
// own target flags, so the linker can never hand an AVX-512-encoded copy to the
// AVX2 path (or the reverse). Include only after <immintrin.h> with AVX enabled.
#pragma once
#include <cstdint>

#include <immintrin.h>

namespace gapscope::sgemm_detail {
namespace {

// Loads the 8x8 block at p (row stride ld; rows >= Rows read as zeros) and
// transposes it: out[j] holds p[0..7][j]. Pairing rows i and i+4 with 128-bit
// inserts (which use load ports) leaves two in-lane 4x4 transposes: 16
// shuffles instead of the 24 of a register-only transpose.
template <int Rows>
inline void load_transposed8x8(const float* p, int64_t ld, __m256 out[8]) {
  auto quarter = [&](int row, int col) {
    return row < Rows ? _mm_loadu_ps(p + row * ld + col) : _mm_setzero_ps();
  };
  auto pair = [&](int row, int col) {
    return _mm256_insertf128_ps(_mm256_castps128_ps256(quarter(row, col)), quarter(row + 4, col),
                                1);
  };
  for (int col = 0; col < 8; col += 4) {
    const __m256 r0 = pair(0, col), r1 = pair(1, col), r2 = pair(2, col), r3 = pair(3, col);
    const __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1);
    const __m256 t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3);
    out[col + 0] = _mm256_shuffle_ps(t0, t2, 0x44);
    out[col + 1] = _mm256_shuffle_ps(t0, t2, 0xEE);
    out[col + 2] = _mm256_shuffle_ps(t1, t3, 0x44);
    out[col + 3] = _mm256_shuffle_ps(t1, t3, 0xEE);
  }
}

}  // namespace
}  // namespace gapscope::sgemm_detail

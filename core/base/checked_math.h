// Size arithmetic that saturates at INT64_MAX instead of wrapping, so that an
// absurd spec or file header (units = 2^40, a shape of 2^62 elements) fails the
// limit checks with its real magnitude rather than a wrapped, small number.
#pragma once
#include <cstdint>
#include <limits>
#include <vector>

namespace gapscope {

inline constexpr int64_t kSaturated = std::numeric_limits<int64_t>::max();

// Both operands are sizes (>= 0); the result is exact or kSaturated.
inline int64_t saturating_add(int64_t a, int64_t b) {
  int64_t r;
  return __builtin_add_overflow(a, b, &r) ? kSaturated : r;
}

inline int64_t saturating_mul(int64_t a, int64_t b) {
  int64_t r;
  return __builtin_mul_overflow(a, b, &r) ? kSaturated : r;
}

// a / b rounded up, for a >= 0 and b > 0 (tiles, chunks, workgroups).
inline constexpr int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// Element count of a shape; kSaturated when it does not fit in int64.
inline int64_t saturating_element_count(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n = saturating_mul(n, d);
  return n;
}

}  // namespace gapscope

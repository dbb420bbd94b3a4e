// Splits element-wise work over the CPU backend's thread pool, but only when
// each thread gets enough items to pay for the hand-off.
#pragma once
#include <algorithm>
#include <cstdint>

#include "core/ops/cpu/thread_pool.h"

namespace gapscope {

// Floats per thread below which splitting costs more than it saves: memory-bound
// ops (a load and a store per float) need much more work to pay for the hand-off
// than exp/tanh/erf/sqrt-bound ones.
constexpr int64_t kGrainCheap = 1 << 15;
constexpr int64_t kGrainCostly = 1 << 13;

// Calls body(begin, end) over [0, n), split over the pool when each thread gets
// at least `grain` items. Range starts are multiples of 16 (one cache line of floats).
template <typename Body>
void for_ranges(ThreadPool* pool, int64_t n, int64_t grain, const Body& body) {
  int64_t parts = pool ? std::min<int64_t>(pool->threads(), n / std::max<int64_t>(grain, 1)) : 1;
  if (parts <= 1) {
    if (n > 0) body(int64_t{0}, n);
    return;
  }
  auto boundary = [&](int64_t p) { return p == parts ? n : (n * p / parts) / 16 * 16; };
  pool->run(static_cast<int>(parts), [&](int p) {
    int64_t begin = boundary(p), end = boundary(p + 1);
    if (end > begin) body(begin, end);
  });
}

// Calls body(row_begin, row_end) over [0, rows), split over the pool when each
// thread gets at least kGrainCostly floats of work. Ranges start at any row,
// so a few long rows still split (7 rows would all go to one thread at
// multiples of 16).
template <typename Body>
void for_rows(ThreadPool* pool, int64_t rows, int64_t floats_per_row, const Body& body) {
  int64_t parts = pool ? std::min<int64_t>(pool->threads(), rows * floats_per_row / kGrainCostly) : 1;
  parts = std::min(parts, rows);
  if (parts <= 1) {
    if (rows > 0) body(int64_t{0}, rows);
    return;
  }
  pool->run(static_cast<int>(parts), [&](int p) {
    const int64_t begin = rows * p / parts, end = rows * (p + 1) / parts;
    if (end > begin) body(begin, end);
  });
}

}  // namespace gapscope

// Column sums over many rows for the normalization ops (batch norm's
// statistics, the gamma and beta gradients of batch and layer norm), split
// over the pool by rows: each part sums blocks of rows in float (vectorised
// along the columns) and adds the block sums in double, so 10^5 rows lose no
// precision.
#pragma once
#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/ops/cpu/parallel_ranges.h"
#include "core/ops/cpu/thread_pool.h"

namespace gapscope {

inline constexpr int64_t kColumnSumBlockRows = 256;

// Per part p of the rows: sums[p] [width] (double) from add_block(r0, r1, acc),
// which adds rows [r0, r1) into float acc [width]. Returns the parts' total.
template <typename AddBlock>
std::vector<double> column_sums(ThreadPool* pool, int64_t rows, int64_t width, const AddBlock& add_block) {
  int64_t parts = std::min<int64_t>(pool->threads(), rows * width / kGrainCheap);
  parts = std::max<int64_t>(parts, 1);
  std::vector<std::vector<double>> partial(static_cast<size_t>(parts),
                                           std::vector<double>(static_cast<size_t>(width), 0.0));
  auto part = [&](int p) {
    std::vector<float> acc(static_cast<size_t>(width));
    std::vector<double>& sum = partial[static_cast<size_t>(p)];
    const int64_t begin = rows * p / parts, end = rows * (p + 1) / parts;
    for (int64_t r = begin; r < end; r += kColumnSumBlockRows) {
      std::fill(acc.begin(), acc.end(), 0.0f);
      add_block(r, std::min(end, r + kColumnSumBlockRows), acc.data());
      for (int64_t c = 0; c < width; ++c) sum[c] += acc[c];
    }
  };
  if (parts == 1)
    part(0);
  else
    pool->run(static_cast<int>(parts), part);
  for (int64_t p = 1; p < parts; ++p)
    for (int64_t c = 0; c < width; ++c) partial[0][c] += partial[p][c];
  return partial[0];
}

}  // namespace gapscope

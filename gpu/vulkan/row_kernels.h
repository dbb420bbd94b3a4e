// Shared by the row-wise kernels of row_ops.comp (softmax, losses, accuracy):
// their push constants and how many invocations work on one row.
#pragma once
#include <cstdint>

namespace gapscope::gpu {

struct RowParams {
  uint32_t rows, cols;
  int32_t loss;
  float scale;
};

// One invocation for short rows (10 classes), a warp or a workgroup for long ones.
inline int64_t row_threads(int64_t cols) { return cols <= 32 ? 1 : (cols <= 1024 ? 32 : 256); }

}  // namespace gapscope::gpu

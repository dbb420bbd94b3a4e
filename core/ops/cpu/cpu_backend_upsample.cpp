// native-cpu nearest up-sampling over channels-last images: each input pixel's
// C floats are one contiguous run, copied to (forward) or summed from
// (backward) the sh x sw output pixels of its block. Split over samples' rows.
#include <algorithm>

#include "core/ops/cpu/cpu_backend.h"
#include "core/ops/cpu/parallel_ranges.h"
#include "core/ops/op_checks_layers.h"

namespace gapscope {

// x [B, H, W, C] -> y [B, H*sh, W*sw, C]
void CpuBackend::upsample_nearest_forward(int64_t sh, int64_t sw, const Tensor& x, Tensor& y) {
  check_upsample(sh, sw, x, y, "upsample_nearest_forward");
  const int64_t rows = x.dim(0) * x.dim(1), W = x.dim(2), C = x.dim(3), out_line = W * sw * C;
  const float* xp = x.data();
  float* yp = y.data();
  for_rows(pool_.get(), rows, out_line * sh, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      float* first = yp + r * sh * out_line;
      for (int64_t ix = 0; ix < W; ++ix)
        for (int64_t j = 0; j < sw; ++j) std::copy_n(xp + (r * W + ix) * C, C, first + (ix * sw + j) * C);
      for (int64_t i = 1; i < sh; ++i) std::copy_n(first, out_line, first + i * out_line);
    }
  });
}

// dy [B, H*sh, W*sw, C] -> dx [B, H, W, C]
void CpuBackend::upsample_nearest_backward(int64_t sh, int64_t sw, const Tensor& dy, Tensor& dx) {
  check_upsample(sh, sw, dx, dy, "upsample_nearest_backward");
  const int64_t rows = dx.dim(0) * dx.dim(1), W = dx.dim(2), C = dx.dim(3), out_line = W * sw * C;
  const float* dyp = dy.data();
  float* dxp = dx.data();
  for_rows(pool_.get(), rows, out_line * sh, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      float* out = dxp + r * W * C;
      std::fill_n(out, W * C, 0.0f);
      for (int64_t i = 0; i < sh; ++i) {
        const float* line = dyp + (r * sh + i) * out_line;
        for (int64_t ix = 0; ix < W; ++ix)
          for (int64_t j = 0; j < sw; ++j) {
            const float* src = line + (ix * sw + j) * C;
            float* dst = out + ix * C;
#pragma GCC ivdep
            for (int64_t c = 0; c < C; ++c) dst[c] += src[c];
          }
      }
    }
  });
}

}  // namespace gapscope

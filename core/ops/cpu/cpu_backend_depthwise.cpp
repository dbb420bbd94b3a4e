// native-cpu depthwise convolution, direct (no im2col): each output pixel
// adds its window's taps channel by channel, so the innermost loop runs over
// contiguous channels (C x M floats of y, C of x, C x M of the kernel's tap)
// and vectorises. Threads own output rows (forward), input rows (dx, gathered
// from the windows that cover each pixel) or kernel taps (dkernel), so
// nothing is written by two threads.
#include <algorithm>
#include <cstdint>

#include "core/ops/cpu/cpu_backend.h"
#include "core/ops/cpu/parallel_ranges.h"
#include "core/ops/cpu/thread_pool.h"
#include "core/ops/op_checks_layers.h"

namespace gapscope {
namespace {

// out[c*M + m] (+)= x[c] * k[c*M + m] for one tap.
inline void tap_forward(const float* x, const float* k, float* out, int64_t channels, int64_t m) {
  if (m == 1) {
    for (int64_t c = 0; c < channels; ++c) out[c] += x[c] * k[c];
    return;
  }
  for (int64_t c = 0; c < channels; ++c)
    for (int64_t j = 0; j < m; ++j) out[c * m + j] += x[c] * k[c * m + j];
}

// dx[c] += sum over m of dy[c*M + m] * k[c*M + m] for one tap (forward's adjoint in x).
inline void tap_backward(const float* dy, const float* k, float* dx, int64_t channels, int64_t m) {
  if (m == 1) {
    for (int64_t c = 0; c < channels; ++c) dx[c] += dy[c] * k[c];
    return;
  }
  for (int64_t c = 0; c < channels; ++c)
    for (int64_t j = 0; j < m; ++j) dx[c] += dy[c * m + j] * k[c * m + j];
}

// The in-image range of window taps along one axis for output position o.
struct TapRange {
  int64_t first, last;  // taps [first, last), input position = origin + tap
  int64_t origin;
};
inline TapRange taps(int64_t o, int64_t stride, int64_t pad, int64_t kernel, int64_t size) {
  const int64_t origin = o * stride - pad;
  return {std::max<int64_t>(0, -origin), std::min(kernel, size - origin), origin};
}

}  // namespace

// x [B, H, W, C], kernel [kh, kw, C, M] -> y [B, OH, OW, C*M]
void CpuBackend::depthwise_conv_forward(const WindowGeometry& g, const Tensor& x, const Tensor& kernel, Tensor& y) {
  const int64_t m = check_depthwise("depthwise_conv_forward", g, x, kernel, y);
  const int64_t c = g.channels, cm = c * m;
  const float *xp = x.data(), *kp = kernel.data();
  float* yp = y.data();
  for_rows(pool_.get(), g.batch * g.out_h, g.out_w * g.kernel_h * g.kernel_w * cm, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const int64_t b = r / g.out_h, oy = r % g.out_h;
      const TapRange rows = taps(oy, g.stride_h, g.pad_top, g.kernel_h, g.in_h);
      for (int64_t ox = 0; ox < g.out_w; ++ox) {
        float* out = yp + (r * g.out_w + ox) * cm;
        std::fill_n(out, cm, 0.0f);
        const TapRange cols = taps(ox, g.stride_w, g.pad_left, g.kernel_w, g.in_w);
        for (int64_t i = rows.first; i < rows.last; ++i)
          for (int64_t j = cols.first; j < cols.last; ++j)
            tap_forward(xp + ((b * g.in_h + rows.origin + i) * g.in_w + cols.origin + j) * c,
                        kp + (i * g.kernel_w + j) * cm, out, c, m);
      }
    }
  });
}

// dy [B, OH, OW, C*M] -> dx [B, H, W, C]: each input pixel gathers dy * k
// from the windows that cover it (tap i of output row oy is input row
// oy*sh - pt + i), so threads can own input rows.
void CpuBackend::depthwise_conv_backward_input(const WindowGeometry& g, const Tensor& kernel, const Tensor& dy,
                                               Tensor& dx) {
  const int64_t m = check_depthwise("depthwise_conv_backward_input", g, dx, kernel, dy);
  const int64_t c = g.channels, cm = c * m;
  const float *kp = kernel.data(), *dyp = dy.data();
  float* dxp = dx.data();
  for_rows(pool_.get(), g.batch * g.in_h, g.in_w * g.kernel_h * g.kernel_w * cm, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const int64_t b = r / g.in_h, iy = r % g.in_h;
      for (int64_t ix = 0; ix < g.in_w; ++ix) {
        float* dst = dxp + (r * g.in_w + ix) * c;
        std::fill_n(dst, c, 0.0f);
        for (int64_t i = 0; i < g.kernel_h; ++i) {
          const int64_t ty = iy + g.pad_top - i;  // oy * sh
          if (ty < 0 || ty % g.stride_h != 0 || ty / g.stride_h >= g.out_h) continue;
          for (int64_t j = 0; j < g.kernel_w; ++j) {
            const int64_t tx = ix + g.pad_left - j;  // ox * sw
            if (tx < 0 || tx % g.stride_w != 0 || tx / g.stride_w >= g.out_w) continue;
            tap_backward(dyp + ((b * g.out_h + ty / g.stride_h) * g.out_w + tx / g.stride_w) * cm,
                         kp + (i * g.kernel_w + j) * cm, dst, c, m);
          }
        }
      }
    }
  });
}

// dkernel[i, j, c, m] = sum over samples and output pixels of x at the tap * dy.
void CpuBackend::depthwise_conv_backward_kernel(const WindowGeometry& g, const Tensor& x, const Tensor& dy,
                                                Tensor& dkernel) {
  const int64_t m = check_depthwise("depthwise_conv_backward_kernel", g, x, dkernel, dy);
  const int64_t c = g.channels, cm = c * m;
  const float *xp = x.data(), *dyp = dy.data();
  float* dkp = dkernel.data();
  for_rows(pool_.get(), g.kernel_h * g.kernel_w, g.batch * g.out_h * g.out_w * cm, [&](int64_t t0, int64_t t1) {
    for (int64_t t = t0; t < t1; ++t) {
      const int64_t i = t / g.kernel_w, j = t % g.kernel_w;
      float* dk = dkp + t * cm;
      std::fill_n(dk, cm, 0.0f);
      for (int64_t b = 0; b < g.batch; ++b)
        for (int64_t oy = 0; oy < g.out_h; ++oy) {
          const int64_t iy = oy * g.stride_h - g.pad_top + i;
          if (iy < 0 || iy >= g.in_h) continue;
          for (int64_t ox = 0; ox < g.out_w; ++ox) {
            const int64_t ix = ox * g.stride_w - g.pad_left + j;
            if (ix < 0 || ix >= g.in_w) continue;
            tap_forward(xp + ((b * g.in_h + iy) * g.in_w + ix) * c, dyp + ((b * g.out_h + oy) * g.out_w + ox) * cm,
                        dk, c, m);
          }
        }
    }
  });
}

}  // namespace gapscope

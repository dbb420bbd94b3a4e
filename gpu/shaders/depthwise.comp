// variants: depthwise_forward:OP=0 depthwise_backward_input:OP=1 depthwise_backward_kernel:OP=2
#version 450
// Depthwise convolution over channels-last images (OpsBackend::
// depthwise_conv_*; core/ops/cpu/cpu_backend_depthwise.cpp gives the same
// sums): x [B, in_h, in_w, C], kernel [kh, kw, C, M], y [B, oh, ow, C*M];
// tap (i, j) of output (oy, ox) reads row oy*sh - pt + i, column ox*sw - pl + j.
// One invocation per element written, each a gather (no atomics):
//   OP 0 y       <- x, kernel: its window's in-image taps
//   OP 1 dx      <- kernel, dy: the windows that cover the pixel, in ascending
//                   (oy, ox) order, each tap's M products
//   OP 2 dkernel <- x, dy: every sample and output pixel whose tap is in-image
#include "common.glsl"
LINEAR_LAYOUT
PUSH(uint n; int batch; int in_h; int in_w; int C; int kh; int kw; int sh; int sw; int pt; int pl; int oh; int ow;
     int M;)
IN(0, a)   // x (OP 0, 2) or kernel (OP 1)
IN(1, b)   // kernel (OP 0) or dy (OP 1, 2)
OUT(2, dst)

void main() {
  const int CM = p.C * p.M;
  FOR_EACH(e, p.n) {
    const int ie = int(e);
#if OP == 0
    const int cm = ie % CM, c = cm / p.M;
    const int pixel = ie / CM, ox = pixel % p.ow, oy = (pixel / p.ow) % p.oh, s = pixel / (p.ow * p.oh);
    float sum = 0.0;
    for (int i = 0; i < p.kh; ++i) {
      const int iy = oy * p.sh - p.pt + i;
      if (iy < 0 || iy >= p.in_h) continue;
      for (int j = 0; j < p.kw; ++j) {
        const int ix = ox * p.sw - p.pl + j;
        if (ix < 0 || ix >= p.in_w) continue;
        sum += a[p.off[0] + ((s * p.in_h + iy) * p.in_w + ix) * p.C + c] * b[p.off[1] + (i * p.kw + j) * CM + cm];
      }
    }
    dst[p.off[2] + e] = sum;
#elif OP == 1
    const int c = ie % p.C, pixel = ie / p.C;
    const int ix = pixel % p.in_w, iy = (pixel / p.in_w) % p.in_h, s = pixel / (p.in_w * p.in_h);
    float sum = 0.0;
    for (int oy = 0; oy < p.oh; ++oy) {
      const int i = iy - (oy * p.sh - p.pt);
      if (i < 0 || i >= p.kh) continue;
      for (int ox = 0; ox < p.ow; ++ox) {
        const int j = ix - (ox * p.sw - p.pl);
        if (j < 0 || j >= p.kw) continue;
        for (int q = 0; q < p.M; ++q)
          sum += b[p.off[1] + ((s * p.oh + oy) * p.ow + ox) * CM + c * p.M + q] *
                 a[p.off[0] + (i * p.kw + j) * CM + c * p.M + q];
      }
    }
    dst[p.off[2] + e] = sum;
#else
    const int cm = ie % CM, c = cm / p.M, tap = ie / CM, j = tap % p.kw, i = tap / p.kw;
    float sum = 0.0;
    for (int s = 0; s < p.batch; ++s)
      for (int oy = 0; oy < p.oh; ++oy) {
        const int iy = oy * p.sh - p.pt + i;
        if (iy < 0 || iy >= p.in_h) continue;
        for (int ox = 0; ox < p.ow; ++ox) {
          const int ix = ox * p.sw - p.pl + j;
          if (ix < 0 || ix >= p.in_w) continue;
          sum += a[p.off[0] + ((s * p.in_h + iy) * p.in_w + ix) * p.C + c] *
                 b[p.off[1] + ((s * p.oh + oy) * p.ow + ox) * CM + cm];
        }
      }
    dst[p.off[2] + e] = sum;
#endif
  }
}

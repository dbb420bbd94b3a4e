// variants: depthwise_forward:OP=0 depthwise_forward_v4:OP=0,VEC=1 depthwise_backward_input:OP=1 depthwise_backward_kernel:OP=2
#version 450
// Depthwise convolution over channels-last images (OpsBackend::
// depthwise_conv_*; core/ops/cpu/cpu_backend_depthwise.cpp gives the same
// sums): x [B, in_h, in_w, C], kernel [kh, kw, C, M], y [B, oh, ow, C*M];
// tap (i, j) of output (oy, ox) reads row oy*sh - pt + i, column ox*sw - pl + j.
// One invocation per element written, each a gather (no atomics):
//   OP 0 y       <- x, kernel: its window's in-image taps
//   OP 1 dx      <- kernel, dy: the windows that cover the pixel (their rows
//                   and columns found by division, not by scanning the image),
//                   in ascending (oy, ox) order, each tap's M products
//   OP 2 part    <- x, dy: part[chunk, tap, cm] sums the in-image taps of the
//                   output rows (sample, oy) of one chunk of rows_per_chunk;
//                   the caller sums the chunks (sum_rows). One invocation per
//                   kernel element would leave a big GPU idle (288 threads for
//                   a 3x3 kernel over 32 channels, each summing 400,000 terms).
// depthwise_forward_v4: multiplier 1 and C a multiple of 4 (views at multiples
// of 4 floats): the host passes C / 4 as C and every index counts vec4s, so
// one invocation computes 4 channels with the same sums in the same order.
#include "common.glsl"
LINEAR_LAYOUT
PUSH(uint n; int batch; int in_h; int in_w; int C; int kh; int kw; int sh; int sw; int pt; int pl; int oh; int ow;
     int M; int rows_per_chunk;)
#if VEC
layout(std430, binding = 0) readonly buffer Buffer0 { vec4 a[]; };
layout(std430, binding = 1) readonly buffer Buffer1 { vec4 b[]; };
layout(std430, binding = 2) buffer Buffer2 { vec4 dst[]; };
#define VALUE vec4
#define OFF(i) (p.off[i] / 4u)
#else
IN(0, a)   // x (OP 0, 2) or kernel (OP 1)
IN(1, b)   // kernel (OP 0) or dy (OP 1, 2)
OUT(2, dst)
#define VALUE float
#define OFF(i) p.off[i]
#endif

void main() {
  const int CM = p.C * p.M;
  FOR_EACH(e, p.n) {
    const int ie = int(e);
#if OP == 0
    const int cm = ie % CM, c = cm / p.M;
    const int pixel = ie / CM, ox = pixel % p.ow, oy = (pixel / p.ow) % p.oh, s = pixel / (p.ow * p.oh);
    VALUE sum = VALUE(0.0);
    for (int i = 0; i < p.kh; ++i) {
      const int iy = oy * p.sh - p.pt + i;
      if (iy < 0 || iy >= p.in_h) continue;
      for (int j = 0; j < p.kw; ++j) {
        const int ix = ox * p.sw - p.pl + j;
        if (ix < 0 || ix >= p.in_w) continue;
        sum += a[OFF(0) + ((s * p.in_h + iy) * p.in_w + ix) * p.C + c] * b[OFF(1) + (i * p.kw + j) * CM + cm];
      }
    }
    dst[OFF(2) + e] = sum;
#elif OP == 1
    const int c = ie % p.C, pixel = ie / p.C;
    const int ix = pixel % p.in_w, iy = (pixel / p.in_w) % p.in_h, s = pixel / (p.in_w * p.in_h);
    // Windows covering row iy: oy * sh in [iy + pt - kh + 1, iy + pt] (all non-negative divisions).
    const int low_y = iy + p.pt - p.kh + 1, low_x = ix + p.pl - p.kw + 1;
    const int oy_begin = low_y <= 0 ? 0 : (low_y + p.sh - 1) / p.sh, oy_end = min(p.oh, (iy + p.pt) / p.sh + 1);
    const int ox_begin = low_x <= 0 ? 0 : (low_x + p.sw - 1) / p.sw, ox_end = min(p.ow, (ix + p.pl) / p.sw + 1);
    float sum = 0.0;
    for (int oy = oy_begin; oy < oy_end; ++oy) {
      const int i = iy - (oy * p.sh - p.pt);
      for (int ox = ox_begin; ox < ox_end; ++ox) {
        const int j = ix - (ox * p.sw - p.pl);
        for (int q = 0; q < p.M; ++q)
          sum += b[p.off[1] + ((s * p.oh + oy) * p.ow + ox) * CM + c * p.M + q] *
                 a[p.off[0] + (i * p.kw + j) * CM + c * p.M + q];
      }
    }
    dst[p.off[2] + e] = sum;
#else
    const int taps = p.kh * p.kw;
    const int cm = ie % CM, c = cm / p.M, tap = (ie / CM) % taps, chunk = ie / (CM * taps);
    const int j = tap % p.kw, i = tap / p.kw;
    const int row_end = min(p.batch * p.oh, (chunk + 1) * p.rows_per_chunk);
    float sum = 0.0;
    for (int row = chunk * p.rows_per_chunk; row < row_end; ++row) {
      const int s = row / p.oh, oy = row % p.oh;
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

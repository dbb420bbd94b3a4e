// variants: im2col:OP=0,VEC=0 im2col_v4:OP=0,VEC=1 col2im:OP=1,VEC=0 col2im_v4:OP=1,VEC=1 pool_max:OP=2 pool_average:OP=3 pool_max_backward:OP=4 pool_argmax:OP=5 pool_max_backward_indexed:OP=6 pool_average_backward:OP=7 pool_max_backward_tiled:OP=8 pool_average_backward_tiled:OP=9
#version 450
// Convolution and pooling windows over channels-last images (see WindowGeometry
// in core/ops/ops_backend.h and core/ops/cpu/cpu_backend_window.cpp, whose
// results these match): x [B, in_h, in_w, C], windows of kh x kw taps, tap
// (i, j) of output (oy, ox) at row oy*sh - pt + i*dh, column ox*sw - pl + j*dw
// (dilation above 1 in im2col and col2im only).
// One invocation per output element (im2col: per column of cols over a block
// of rows; pool backward where windows tile the image: per window). Where C
// is a multiple of 4, im2col and col2im move vec4s. Everything that sums
// overlapping windows (col2im, pool backward) is a gather per input pixel over
// the windows that cover it, in ascending (oy, ox) order as the CPU adds them:
// no atomics, deterministic.
//
//   OP 0 im2col                 cols [B*oh*ow, kh*kw*C] (0 at padding)   <- x
//                               (n = rows of cols; see main)
//   OP 1 col2im                 dx [B, in_h, in_w, C]                   <- cols
//   OP 2 pool_max               y [B, oh, ow, C]                        <- x
//   OP 3 pool_average           y                                       <- x
//   OP 4 pool_max_backward      dx <- x, y, dy; the first tap (window order)
//                               whose x equals y is found again for every
//                               covering window (cheap where windows do not
//                               overlap, e.g. 2x2 stride 2)
//   OP 5 pool_argmax            arg [B, oh, ow, C] = that tap's index i*kw + j
//                               (-1 if none) <- x, y
//   OP 6 pool_max_backward_indexed   dx <- arg, dy (overlapping windows)
//   OP 7 pool_average_backward  dx <- dy: dy / count to every in-image tap
//   OP 8 pool_max_backward_tiled  dx <- x, y, dy where the windows tile the
//                               image exactly (kernel = stride, no padding,
//                               no pixel left over): one invocation per
//                               window writes all of its taps
//   OP 9 pool_average_backward_tiled  dx <- dy, as OP 8
#include "common.glsl"
LINEAR_LAYOUT
PUSH(uint n; int batch; int in_h; int in_w; int C; int kh; int kw; int sh; int sw; int pt; int pl; int oh; int ow;
     uint width; uint rows_per_group; int dh; int dw;)

#if (OP == 0 || OP == 1) && VEC
// Channels in groups of 4 (C % 4 == 0, views at multiples of 4 floats): the
// host passes C / 4 as C, and every index below counts vec4s.
layout(std430, binding = 0) readonly buffer Buffer0 { vec4 src[]; };
layout(std430, binding = 1) buffer Buffer1 { vec4 dst[]; };
#define VALUE vec4
#define OFF(b) (p.off[b] / 4u)
#elif OP == 0 || OP == 1 || OP == 2 || OP == 3 || OP == 7 || OP == 9
IN(0, src)  // x, cols or dy
OUT(1, dst)
#define VALUE float
#define OFF(b) p.off[b]
#elif OP == 4 || OP == 8
IN(0, xs)
IN(1, ys)
IN(2, dys)
OUT(3, dst)
#elif OP == 5
IN(0, xs)
IN(1, ys)
OUT(2, dst)
#elif OP == 6
IN(0, arg)
IN(1, dys)
OUT(2, dst)
#endif

// The in-image taps [first, last) of a window starting at `start` along an
// axis of `size` pixels.
ivec2 in_image(int start, int kernel, int size) { return ivec2(clamp(-start, 0, kernel), clamp(size - start, 0, kernel)); }

// Element offset of pixel (b, y, x), channel c, in an [B, h, w, C] image.
uint pixel(int b, int y, int x, int h, int w, int c) { return uint(((b * h + y) * w + x) * p.C + c); }

#if OP == 1 || OP == 4 || OP == 6 || OP == 7
// The output rows [first, last] whose windows cover input row a - pad (a = row + pad).
ivec2 covering(int a, int kernel, int stride, int outs) {
  const int first = a >= kernel ? (a - kernel) / stride + 1 : 0;
  return ivec2(first, min(a / stride, outs - 1));
}
#endif

#if OP == 4 || OP == 5
// Index i*kw + j of the first in-image tap of window (b, oy, ox) whose x equals
// `want` in channel c, or -1.
int first_hit(int b, int oy, int ox, int c, float want) {
  const int y0 = oy * p.sh - p.pt, x0 = ox * p.sw - p.pl;
  const ivec2 rows = in_image(y0, p.kh, p.in_h), cols = in_image(x0, p.kw, p.in_w);
  for (int i = rows.x; i < rows.y; ++i)
    for (int j = cols.x; j < cols.y; ++j)
      if (xs[p.off[0] + pixel(b, y0 + i, x0 + j, p.in_h, p.in_w, c)] == want) return i * p.kw + j;
  return -1;
}
#endif

void main() {
#if OP == 0
  // im2col: workgroup (g, t) writes columns [t*width, t*width + width) of
  // cols rows [g*rows_per_group, ...); invocation k takes column k % width of
  // every (256 / width)-th row from row k / width, so neighbouring invocations
  // write neighbouring floats and each decodes its tap (i, j, c) only once.
  const uint K = uint(p.kh * p.kw * p.C), W = p.width, lanes = 256u / W;
  const uint lane = gl_LocalInvocationID.x / W, k = gl_WorkGroupID.y * W + gl_LocalInvocationID.x % W;
  if (lane >= lanes || k >= K) return;
  const int c = int(k % uint(p.C)), tap = int(k / uint(p.C));
  const int i = tap / p.kw, j = tap - i * p.kw;
  const uint rows = p.n;  // B * oh * ow
  for (uint r0 = gl_WorkGroupID.x * p.rows_per_group; r0 < rows; r0 += gl_NumWorkGroups.x * p.rows_per_group) {
    const uint r1 = min(rows, r0 + p.rows_per_group);
    for (uint row = r0 + lane; row < r1; row += lanes) {
      const int ox = int(row % uint(p.ow)), r2 = int(row / uint(p.ow));
      const int oy = r2 % p.oh, b = r2 / p.oh;
      const int y = oy * p.sh - p.pt + i * p.dh, x = ox * p.sw - p.pl + j * p.dw;
      const bool inside = y >= 0 && y < p.in_h && x >= 0 && x < p.in_w;
      dst[OFF(1) + row * K + k] = inside ? src[OFF(0) + pixel(b, y, x, p.in_h, p.in_w, c)] : VALUE(0.0);
    }
  }
#else
  FOR_EACH(e, p.n) {
#if OP == 2 || OP == 3 || OP == 5 || OP == 8 || OP == 9
    // e = ((b*oh + oy)*ow + ox)*C + c
    const int c = int(e % uint(p.C)), t = int(e / uint(p.C));
    const int ox = t % p.ow, t2 = t / p.ow;
    const int oy = t2 % p.oh, b = t2 / p.oh;
#if OP == 5
    dst[p.off[2] + e] = float(first_hit(b, oy, ox, c, ys[p.off[1] + e]));
#elif OP == 8
    const float want = ys[p.off[1] + e], grad = dys[p.off[2] + e];
    bool found = false;
    for (int i = 0; i < p.kh; ++i)
      for (int j = 0; j < p.kw; ++j) {
        const uint px = pixel(b, oy * p.kh + i, ox * p.kw + j, p.in_h, p.in_w, c);
        const bool hit = !found && xs[p.off[0] + px] == want;
        dst[p.off[3] + px] = hit ? grad : 0.0;
        found = found || hit;
      }
#elif OP == 9
    const float share = src[p.off[0] + e] * (1.0 / float(p.kh * p.kw));  // dy / count, as the CPU
    for (int i = 0; i < p.kh; ++i)
      for (int j = 0; j < p.kw; ++j) dst[p.off[1] + pixel(b, oy * p.kh + i, ox * p.kw + j, p.in_h, p.in_w, c)] = share;
#else
    const int y0 = oy * p.sh - p.pt, x0 = ox * p.sw - p.pl;
    const ivec2 rows = in_image(y0, p.kh, p.in_h), cols = in_image(x0, p.kw, p.in_w);
    const int count = (rows.y - rows.x) * (cols.y - cols.x);
    float acc = 0.0;
    if (count > 0) {
#if OP == 2
      acc = src[p.off[0] + pixel(b, y0 + rows.x, x0 + cols.x, p.in_h, p.in_w, c)];
      for (int i = rows.x; i < rows.y; ++i)
        for (int j = cols.x; j < cols.y; ++j) {
          const float v = src[p.off[0] + pixel(b, y0 + i, x0 + j, p.in_h, p.in_w, c)];
          acc = v > acc ? v : acc;  // as the CPU: a NaN first tap stays, later NaNs are skipped
        }
#else
      for (int i = rows.x; i < rows.y; ++i)
        for (int j = cols.x; j < cols.y; ++j) acc += src[p.off[0] + pixel(b, y0 + i, x0 + j, p.in_h, p.in_w, c)];
      acc *= 1.0 / float(count);
#endif
    }
    dst[p.off[1] + e] = acc;
#endif
#else
    // Gathers into input pixel e = ((b*in_h + y)*in_w + x)*C + c.
    const int c = int(e % uint(p.C)), t = int(e / uint(p.C));
    const int x = t % p.in_w, t2 = t / p.in_w;
    const int y = t2 % p.in_h, b = t2 / p.in_h;
#if OP == 1
    if (p.dh != 1 || p.dw != 1) {
      // Dilated (conv2d's dilation_rate): tap (i, j) of output (oy, ox) is pixel
      // (oy*sh - pt + i*dh, ox*sw - pl + j*dw); i and j descending are oy and ox
      // ascending, the CPU's order.
      VALUE dilated_sum = VALUE(0.0);
      for (int i = p.kh - 1; i >= 0; --i) {
        const int ty = y + p.pt - i * p.dh;
        if (ty < 0 || ty % p.sh != 0 || ty / p.sh >= p.oh) continue;
        for (int j = p.kw - 1; j >= 0; --j) {
          const int tx = x + p.pl - j * p.dw;
          if (tx < 0 || tx % p.sw != 0 || tx / p.sw >= p.ow) continue;
          dilated_sum += src[OFF(0) + uint((b * p.oh + ty / p.sh) * p.ow + tx / p.sw) * uint(p.kh * p.kw * p.C) +
                             uint((i * p.kw + j) * p.C + c)];
        }
      }
      dst[OFF(1) + e] = dilated_sum;
      continue;
    }
#endif
    const ivec2 oys = covering(y + p.pt, p.kh, p.sh, p.oh), oxs = covering(x + p.pl, p.kw, p.sw, p.ow);
#if OP == 1
    VALUE sum = VALUE(0.0);
#else
    float sum = 0.0;
#endif
    for (int oy = oys.x; oy <= oys.y; ++oy) {
      const int i = y + p.pt - oy * p.sh;
      for (int ox = oxs.x; ox <= oxs.y; ++ox) {
        const int j = x + p.pl - ox * p.sw;
        const uint at = pixel(b, oy, ox, p.oh, p.ow, c);  // this window's element of y / dy
#if OP == 1
        sum += src[OFF(0) + uint((b * p.oh + oy) * p.ow + ox) * uint(p.kh * p.kw * p.C) + uint((i * p.kw + j) * p.C + c)];
#elif OP == 4
        if (first_hit(b, oy, ox, c, ys[p.off[1] + at]) == i * p.kw + j) sum += dys[p.off[2] + at];
#elif OP == 6
        if (arg[p.off[0] + at] == float(i * p.kw + j)) sum += dys[p.off[1] + at];
#elif OP == 7
        const int y0 = oy * p.sh - p.pt, x0 = ox * p.sw - p.pl;
        const ivec2 rows = in_image(y0, p.kh, p.in_h), cols = in_image(x0, p.kw, p.in_w);
        sum += src[p.off[0] + at] * (1.0 / float((rows.y - rows.x) * (cols.y - cols.x)));
#endif
      }
    }
#if OP == 4
    dst[p.off[3] + e] = sum;
#elif OP == 6
    dst[p.off[2] + e] = sum;
#else
    dst[OFF(1) + e] = sum;
#endif
#endif
  }
#endif
}

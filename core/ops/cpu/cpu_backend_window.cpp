// native-cpu window ops over channels-last images: im2col/col2im (convolution
// as GEMM) and max/average pooling, forward and backward.
//
// Layout: x [B, H, W, C] row-major, so the kw x C taps of one kernel row at one
// output pixel are contiguous in x where they lie inside the image: im2col
// copies them as one run, padding taps are zero runs. Work is split over
// output rows (b, oy) where outputs are disjoint (im2col, pool forward) and
// over samples where windows overlap in the input (col2im, pool backward).
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#if defined(__AVX2__)
#include <immintrin.h>
#endif

#include "core/ops/cpu/cpu_backend.h"
#include "core/ops/cpu/parallel_ranges.h"
#include "core/ops/cpu/thread_pool.h"
#include "core/ops/op_checks_layers.h"

namespace gapscope {
namespace {

// The taps [first, last) of a window starting at `start` (may be negative)
// that fall inside [0, size).
struct TapRange {
  int64_t first, last;
};
TapRange in_image(int64_t start, int64_t kernel, int64_t size) {
  return {std::clamp<int64_t>(-start, 0, kernel), std::clamp<int64_t>(size - start, 0, kernel)};
}

// Calls body(begin, end) over [0, rows) split evenly over the pool when each
// part gets at least kGrainCheap floats of work (`floats_per_row` each).
template <typename Body>
void split_rows(ThreadPool* pool, int64_t rows, int64_t floats_per_row, const Body& body) {
  int64_t by_work = rows * floats_per_row / kGrainCheap;
  int64_t parts = std::min<int64_t>({pool->threads(), rows, by_work});
  if (parts <= 1) {
    if (rows > 0) body(int64_t{0}, rows);
    return;
  }
  pool->run(static_cast<int>(parts), [&](int p) {
    int64_t begin = rows * p / parts, end = rows * (p + 1) / parts;
    if (end > begin) body(begin, end);
  });
}

// Runs are short where C is small (a 5x5 kernel row of a 1-channel image is 5
// floats): a memcpy call or a scalar loop would cost more than the copy, so
// runs of 4..16 floats move as two overlapping fixed-size blocks (one vector
// load/store each).
inline void copy_run(const float* src, float* dst, int64_t n) {
  if (n > 16) {
    std::memcpy(dst, src, static_cast<size_t>(n) * sizeof(float));
  } else if (n >= 8) {
    std::memcpy(dst, src, 8 * sizeof(float));
    std::memcpy(dst + n - 8, src + n - 8, 8 * sizeof(float));
  } else if (n >= 4) {
    std::memcpy(dst, src, 4 * sizeof(float));
    std::memcpy(dst + n - 4, src + n - 4, 4 * sizeof(float));
  } else {
    for (int64_t i = 0; i < n; ++i) dst[i] = src[i];
  }
}

inline void zero_run(float* dst, int64_t n) {
  if (n > 16) {
    std::memset(dst, 0, static_cast<size_t>(n) * sizeof(float));
  } else if (n >= 8) {
    std::memset(dst, 0, 8 * sizeof(float));
    std::memset(dst + n - 8, 0, 8 * sizeof(float));
  } else if (n >= 4) {
    std::memset(dst, 0, 4 * sizeof(float));
    std::memset(dst + n - 4, 0, 4 * sizeof(float));
  } else {
    for (int64_t i = 0; i < n; ++i) dst[i] = 0.0f;
  }
}

// dst += src; blocks of 8 and 4 the compiler turns into single vector adds.
inline void add_run(const float* src, float* dst, int64_t n) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int64_t k = 0; k < 8; ++k) dst[i + k] += src[i + k];
  if (i + 4 <= n) {
    for (int64_t k = 0; k < 4; ++k) dst[i + k] += src[i + k];
    i += 4;
  }
  for (; i < n; ++i) dst[i] += src[i];
}

// cols rows for output row (b, oy): [out_w, kh*kw*C]. The geometry is copied
// to locals: the byte copies may alias anything in memory, so fields read
// through `g` would be reloaded after every run.
void im2col_row(const WindowGeometry& g, const float* x, float* cols, int64_t b, int64_t oy) {
  const int64_t C = g.channels, kh = g.kernel_h, kw = g.kernel_w, in_w = g.in_w;
  const int64_t out_w = g.out_w, stride_w = g.stride_w, pad_left = g.pad_left;
  const int64_t row_len = kw * C, line = in_w * C;
  const int64_t y0 = oy * g.stride_h - g.pad_top;
  const TapRange rows = in_image(y0, kh, g.in_h);
  const int64_t image_row = (b * g.in_h + y0) * line;  // offset of row y0 (may be outside)
  for (int64_t ox = 0; ox < out_w; ++ox) {
    const int64_t x0 = ox * stride_w - pad_left;
    const TapRange taps = in_image(x0, kw, in_w);
    float* out = cols + ox * kh * row_len;
    // Tap (i, j) is at x[window + i * line + j * C]; pointers are formed for in-image taps only.
    const int64_t window = image_row + x0 * C;
    if (taps.first == 0 && taps.last == kw) {  // no padding left or right: whole kernel rows
      zero_run(out, rows.first * row_len);
      for (int64_t i = rows.first; i < rows.last; ++i)
        copy_run(x + window + i * line, out + i * row_len, row_len);
      zero_run(out + rows.last * row_len, (kh - rows.last) * row_len);
      continue;
    }
    const int64_t before = taps.first * C, inside = std::max<int64_t>(taps.last - taps.first, 0) * C;
    const int64_t after = row_len - before - inside;
    for (int64_t i = 0; i < kh; ++i, out += row_len) {
      if (i < rows.first || i >= rows.last) {
        zero_run(out, row_len);
        continue;
      }
      zero_run(out, before);
      copy_run(x + window + i * line + before, out + before, inside);
      zero_run(out + before + inside, after);
    }
  }
}

// Dilated windows (conv2d's dilation_rate): taps lie dilation pixels apart, so
// each tap's C floats are a run of their own. For cols rows of output row (b, oy)
// (im2col) or one sample's windows (col2im); dilated convolutions are rare
// enough that the per-tap loop is not worth specialising further.
void im2col_row_dilated(const WindowGeometry& g, const float* x, float* cols, int64_t b, int64_t oy) {
  const int64_t C = g.channels;
  float* out = cols;
  for (int64_t ox = 0; ox < g.out_w; ++ox)
    for (int64_t i = 0; i < g.kernel_h; ++i) {
      const int64_t y = oy * g.stride_h - g.pad_top + i * g.dilation_h;
      for (int64_t j = 0; j < g.kernel_w; ++j, out += C) {
        const int64_t xx = ox * g.stride_w - g.pad_left + j * g.dilation_w;
        if (y < 0 || y >= g.in_h || xx < 0 || xx >= g.in_w)
          zero_run(out, C);
        else
          copy_run(x + ((b * g.in_h + y) * g.in_w + xx) * C, out, C);
      }
    }
}

void col2im_sample_dilated(const WindowGeometry& g, const float* cols, float* dx) {
  const int64_t C = g.channels;
  std::fill_n(dx, g.in_h * g.in_w * C, 0.0f);
  const float* in = cols;
  for (int64_t oy = 0; oy < g.out_h; ++oy)
    for (int64_t ox = 0; ox < g.out_w; ++ox)
      for (int64_t i = 0; i < g.kernel_h; ++i) {
        const int64_t y = oy * g.stride_h - g.pad_top + i * g.dilation_h;
        for (int64_t j = 0; j < g.kernel_w; ++j, in += C) {
          const int64_t xx = ox * g.stride_w - g.pad_left + j * g.dilation_w;
          if (y >= 0 && y < g.in_h && xx >= 0 && xx < g.in_w) add_run(in, dx + (y * g.in_w + xx) * C, C);
        }
      }
}

bool dilated(const WindowGeometry& g) { return g.dilation_h != 1 || g.dilation_w != 1; }

// dx of one sample [H, W, C] = sum of its cols rows [out_h*out_w, kh*kw*C] at their taps.
void col2im_sample(const WindowGeometry& g, const float* cols, float* dx) {
  const int64_t C = g.channels, kh = g.kernel_h, kw = g.kernel_w, in_w = g.in_w;
  const int64_t out_h = g.out_h, out_w = g.out_w, row_len = kw * C, line = in_w * C;
  std::fill_n(dx, g.in_h * line, 0.0f);
  for (int64_t oy = 0; oy < out_h; ++oy) {
    const int64_t y0 = oy * g.stride_h - g.pad_top;
    const TapRange rows = in_image(y0, kh, g.in_h);
    for (int64_t ox = 0; ox < out_w; ++ox) {
      const int64_t x0 = ox * g.stride_w - g.pad_left;
      const TapRange taps = in_image(x0, kw, in_w);
      if (taps.first >= taps.last) continue;
      const float* window = cols + (oy * out_w + ox) * kh * row_len + taps.first * C;
      const int64_t target = (y0 * in_w + x0 + taps.first) * C;  // may be outside for i = 0
      const int64_t n = (taps.last - taps.first) * C;
      for (int64_t i = rows.first; i < rows.last; ++i)
        add_run(window + i * row_len, dx + target + i * line, n);
    }
  }
}

// Channels per accumulator block: fixed-size blocks stay in a vector register
// across a window's taps (a running result in memory would make every tap wait
// for the previous tap's store).
constexpr int64_t kBlock = 8;

// One window's taps: rows x cols of them, the first at `first`, the next
// column C floats on, the next row `row_step` floats on.
struct Taps {
  const float* first;
  int64_t rows, cols, row_step;
  const float* at(int64_t i, int64_t j, int64_t C) const { return first + i * row_step + j * C; }
};

// out[C] = max (or sum) over the taps, per channel.
template <bool Max>
void reduce_window(const Taps& t, int64_t C, float* out) {
  int64_t c0 = 0;
  for (; c0 + kBlock <= C; c0 += kBlock) {
    float acc[kBlock];
    for (int64_t k = 0; k < kBlock; ++k) acc[k] = Max ? t.first[c0 + k] : 0.0f;
    for (int64_t i = 0; i < t.rows; ++i)
      for (int64_t j = 0; j < t.cols; ++j) {
        const float* v = t.at(i, j, C) + c0;
        for (int64_t k = 0; k < kBlock; ++k)
          acc[k] = Max ? (v[k] > acc[k] ? v[k] : acc[k]) : acc[k] + v[k];
      }
    for (int64_t k = 0; k < kBlock; ++k) out[c0 + k] = acc[k];
  }
  for (int64_t c = c0; c < C; ++c) {
    float acc = Max ? t.first[c] : 0.0f;
    for (int64_t i = 0; i < t.rows; ++i)
      for (int64_t j = 0; j < t.cols; ++j) {
        const float v = t.at(i, j, C)[c];
        acc = Max ? (v > acc ? v : acc) : acc + v;
      }
    out[c] = acc;
  }
}

// y for output row (b, oy): [out_w, C], max or mean of the in-image taps
// (0 for a window with none, which TF's geometry never makes).
void pool_row(PoolKind kind, const WindowGeometry& g, const float* x, float* y, int64_t b,
              int64_t oy) {
  const int64_t C = g.channels, line = g.in_w * C;
  const int64_t y0 = oy * g.stride_h - g.pad_top;
  const TapRange rows = in_image(y0, g.kernel_h, g.in_h);
  const float* image = x + b * g.in_h * line;
  for (int64_t ox = 0; ox < g.out_w; ++ox, y += C) {
    const int64_t x0 = ox * g.stride_w - g.pad_left;
    const TapRange taps = in_image(x0, g.kernel_w, g.in_w);
    const int64_t count = (rows.last - rows.first) * (taps.last - taps.first);
    if (count <= 0) {
      zero_run(y, C);
      continue;
    }
    const Taps t{image + (y0 + rows.first) * line + (x0 + taps.first) * C, rows.last - rows.first,
                 taps.last - taps.first, line};
    if (kind == PoolKind::max) {
      reduce_window<true>(t, C, y);
    } else {
      reduce_window<false>(t, C, y);
      const float inv = 1.0f / static_cast<float>(count);
      for (int64_t c = 0; c < C; ++c) y[c] *= inv;
    }
  }
}

// Max backward for one window: dy[C] goes to the first tap (window order) whose
// x equals y. Hits are random, so this is branch-free where it can be: AVX2
// compares and masks 8 channels at a time (GCC will not if-convert a float
// compare itself under -ftrapping-math); the rest go channel by channel.
void route_max_window(const Taps& xt, float* dx_first, const float* y, const float* dy, int64_t C) {
  int64_t c0 = 0;
#if defined(__AVX2__)
  for (; c0 + 8 <= C; c0 += 8) {
    const __m256 want = _mm256_loadu_ps(y + c0);
    __m256 rest = _mm256_loadu_ps(dy + c0);  // not yet routed
    for (int64_t i = 0; i < xt.rows; ++i)
      for (int64_t j = 0; j < xt.cols; ++j) {
        const float* v = xt.at(i, j, C) + c0;
        float* d = dx_first + (v - xt.first);
        const __m256 hit = _mm256_cmp_ps(_mm256_loadu_ps(v), want, _CMP_EQ_OQ);
        _mm256_storeu_ps(d, _mm256_add_ps(_mm256_loadu_ps(d), _mm256_and_ps(hit, rest)));
        rest = _mm256_andnot_ps(hit, rest);
      }
  }
#endif
  for (int64_t c = c0; c < C; ++c) {
    bool done = false;
    for (int64_t i = 0; i < xt.rows && !done; ++i)
      for (int64_t j = 0; j < xt.cols && !done; ++j) {
        const float* v = xt.at(i, j, C) + c;
        if (*v == y[c]) {
          dx_first[v - xt.first] += dy[c];
          done = true;
        }
      }
  }
}

// dx of one sample [H, W, C] from its x, y, dy [out_h, out_w, C].
void pool_backward_sample(PoolKind kind, const WindowGeometry& g, const float* x, const float* y,
                          const float* dy, float* dx) {
  const int64_t C = g.channels, line = g.in_w * C;
  std::fill_n(dx, g.in_h * line, 0.0f);
  for (int64_t oy = 0; oy < g.out_h; ++oy) {
    const int64_t y0 = oy * g.stride_h - g.pad_top;
    const TapRange rows = in_image(y0, g.kernel_h, g.in_h);
    for (int64_t ox = 0; ox < g.out_w; ++ox) {
      const int64_t x0 = ox * g.stride_w - g.pad_left;
      const TapRange taps = in_image(x0, g.kernel_w, g.in_w);
      const int64_t count = (rows.last - rows.first) * (taps.last - taps.first);
      if (count <= 0) continue;
      const int64_t at = (oy * g.out_w + ox) * C;
      const int64_t first = (y0 + rows.first) * line + (x0 + taps.first) * C;
      const Taps t{x + first, rows.last - rows.first, taps.last - taps.first, line};
      if (kind == PoolKind::max) {
        route_max_window(t, dx + first, y + at, dy + at, C);
        continue;
      }
      const float inv = 1.0f / static_cast<float>(count);
      for (int64_t i = 0; i < t.rows; ++i)
        for (int64_t j = 0; j < t.cols; ++j) {
          float* d = dx + first + i * line + j * C;
#pragma GCC ivdep
          for (int64_t c = 0; c < C; ++c) d[c] += dy[at + c] * inv;
        }
    }
  }
}

}  // namespace

// x [B, H, W, C] -> cols [B*out_h*out_w, kh*kw*C]
void CpuBackend::im2col(const WindowGeometry& g, const Tensor& x, Tensor& cols) {
  check_im2col(g, x, cols);
  const int64_t row_floats = g.out_w * g.kernel_h * g.kernel_w * g.channels;
  const float* xp = x.data();
  float* cp = cols.data();
  split_rows(pool_.get(), g.batch * g.out_h, row_floats, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r)
      (dilated(g) ? im2col_row_dilated : im2col_row)(g, xp, cp + r * row_floats, r / g.out_h, r % g.out_h);
  });
}

// cols [B*out_h*out_w, kh*kw*C] -> dx [B, H, W, C] (overwritten)
void CpuBackend::col2im(const WindowGeometry& g, const Tensor& cols, Tensor& dx) {
  check_col2im(g, cols, dx);
  const int64_t sample_cols = g.out_h * g.out_w * g.kernel_h * g.kernel_w * g.channels;
  const int64_t sample_x = g.in_h * g.in_w * g.channels;
  const float* cp = cols.data();
  float* dp = dx.data();
  split_rows(pool_.get(), g.batch, sample_cols, [&](int64_t b0, int64_t b1) {
    for (int64_t b = b0; b < b1; ++b)
      (dilated(g) ? col2im_sample_dilated : col2im_sample)(g, cp + b * sample_cols, dp + b * sample_x);
  });
}

// x [B, H, W, C] -> y [B, out_h, out_w, C]
void CpuBackend::pool_forward(PoolKind kind, const WindowGeometry& g, const Tensor& x, Tensor& y) {
  check_pool_forward(g, x, y);
  const int64_t row_taps = g.out_w * g.kernel_h * g.kernel_w * g.channels;
  const float* xp = x.data();
  float* yp = y.data();
  split_rows(pool_.get(), g.batch * g.out_h, row_taps, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r)
      pool_row(kind, g, xp, yp + r * g.out_w * g.channels, r / g.out_h, r % g.out_h);
  });
}

// x [B, H, W, C], y, dy [B, out_h, out_w, C] -> dx [B, H, W, C] (overwritten)
void CpuBackend::pool_backward(PoolKind kind, const WindowGeometry& g, const Tensor& x,
                               const Tensor& y, const Tensor& dy, Tensor& dx) {
  check_pool_backward(g, x, y, dy, dx);
  const int64_t sample_x = g.in_h * g.in_w * g.channels, sample_y = g.out_h * g.out_w * g.channels;
  const int64_t sample_taps = sample_y * g.kernel_h * g.kernel_w;
  const float *xp = x.data(), *yp = y.data(), *dyp = dy.data();
  float* dxp = dx.data();
  split_rows(pool_.get(), g.batch, sample_taps, [&](int64_t b0, int64_t b1) {
    for (int64_t b = b0; b < b1; ++b)
      pool_backward_sample(kind, g, xp + b * sample_x, yp + b * sample_y, dyp + b * sample_y,
                           dxp + b * sample_x);
  });
}

}  // namespace gapscope

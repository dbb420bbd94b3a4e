// variants: softmax_forward_t1:OP=0,T=1 softmax_forward_t32:OP=0,T=32 softmax_forward_t256:OP=0,T=256 softmax_backward_t1:OP=1,T=1 softmax_backward_t32:OP=1,T=32 softmax_backward_t256:OP=1,T=256 loss_t1:OP=2,T=1,GRAD=0 loss_t32:OP=2,T=32,GRAD=0 loss_t256:OP=2,T=256,GRAD=0 loss_grad_t1:OP=2,T=1,GRAD=1 loss_grad_t32:OP=2,T=32,GRAD=1 loss_grad_t256:OP=2,T=256,GRAD=1 softmax_xent_t1:OP=3,T=1 softmax_xent_t32:OP=3,T=32 softmax_xent_t256:OP=3,T=256 count_correct_t1:OP=4,T=1 count_correct_t32:OP=4,T=32 count_correct_t256:OP=4,T=256
#version 450
// Row-wise kernels: the last axis of a tensor is a row (softmax normalises
// over it, losses treat it as one sample). T invocations share a row (T = 1
// for short rows, 32 or 256 for long ones; the host picks by row length), so
// a workgroup of 256 covers 256 / T rows; row sums and maxima are reduced
// through shared memory in a fixed order (deterministic). Formulas are the
// CPU's (core/ops/cpu/cpu_backend_elementwise.cpp), in float where the CPU
// accumulates some sums in double.
//   OP 0 softmax forward    x -> y = exp(x - max) / sum(exp(x - max))
//   OP 1 softmax backward   y, dy -> dx = y * (dy - sum(dy * y))
//   OP 2 loss               output, target -> row_loss[r] (GRAD: and grad = d loss / d output)
//   OP 3 softmax_xent       probabilities, target -> row_loss[r], grad = (p * sum(t) - t) * scale
//   OP 4 count_correct      output, target -> row_count[r] (argmax match 0/1, or binary matches)
// row_loss / row_count are then reduced by row_total.comp. A sparse target
// that is no class index in [0, cols) is reported through the status buffer
// (code 2, value = row, limit = cols) and its row gives 0.
#extension GL_EXT_control_flow_attributes : enable
#include "common.glsl"
#include "activation.glsl"

#ifndef GRAD
#define GRAD 0
#endif

layout(local_size_x = 256) in;
PUSH(uint rows; uint cols; int loss; float scale;)

const uint ROWS_PER_GROUP = 256 / T;
const int LOSS_CATEGORICAL = 0, LOSS_SPARSE = 1, LOSS_BINARY = 2, LOSS_MSE = 3;
const uint NONE = 0xffffffffu;
const float CLIP_LOW = 1e-7, CLIP_HIGH = 1.0 - 1e-7;

#if OP == 0
IN(0, x)
OUT(1, y)
#elif OP == 1
IN(0, y)
IN(1, dy)
OUT(2, dx)
#else
IN(0, o)
IN(1, t)
OUT(2, row_out)
#if OP == 3 || GRAD
OUT(3, grad)
#define STATUS_BINDING 4
#else
#define STATUS_BINDING 3
#endif
layout(std430, binding = STATUS_BINDING) buffer StatusBuffer { uint status[]; };
#endif

#include "row_sum.glsl"
#if T > 1
shared uint red_index[256];
#endif

float row_max(float v) {
#if T == 1
  return v;
#else
  const uint tid = gl_LocalInvocationID.x, lane = tid % T;
  red[tid] = v;
  barrier();
  [[unroll]] for (uint s = T / 2; s > 0; s >>= 1) {
    if (lane < s) red[tid] = max(red[tid], red[tid + s]);
    barrier();
  }
  const float r = red[tid - lane];
  barrier();
  return r;
#endif
}

#if OP >= 2
float clip_probability(float q) { return q < CLIP_LOW ? CLIP_LOW : (q > CLIP_HIGH ? CLIP_HIGH : q); }
bool inside_clip(float q) { return q >= CLIP_LOW && q <= CLIP_HIGH; }

// The class index of a sparse target (TF.js floors it), NONE where it is
// none: reported once per bad row.
uint class_of(uint row, uint lane, bool live) {
  if (!live) return 0;
  const float index = floor(t[p.off[1] + row]);
  if (index >= 0.0 && index < float(p.cols)) return uint(index);
  if (lane == 0 && atomicCompSwap(status[0], 0u, 2u) == 0u) {
    status[1] = row;
    status[2] = p.cols;
    status[3] = floatBitsToUint(t[p.off[1] + row]);
  }
  return NONE;
}

// tf.argMax of a row: the first maximum; NaN never wins, except that a NaN
// first value keeps index 0 (the CPU's `v[j] > v[best]` scan from best = 0).
uint row_argmax(uint at, uint lane, bool live, bool of_target) {
  float best = 0.0;
  uint index = NONE;
  for (uint j = lane; live && j < p.cols; j += T) {
    const float v = of_target ? t[at + j] : o[at + j];
    if (!isnan(v) && (index == NONE || v > best)) {
      best = v;
      index = j;
    }
  }
#if T > 1
  const uint tid = gl_LocalInvocationID.x;
  red[tid] = best;
  red_index[tid] = index;
  barrier();
  [[unroll]] for (uint s = T / 2; s > 0; s >>= 1) {
    if (lane < s) {
      const uint bi = red_index[tid + s], ai = red_index[tid];
      const float bv = red[tid + s], av = red[tid];
      if (bi != NONE && (ai == NONE || bv > av || (bv == av && bi < ai))) {
        red[tid] = bv;
        red_index[tid] = bi;
      }
    }
    barrier();
  }
  index = red_index[tid - lane];
  barrier();
#endif
  if (!live) return 0;
  const float first = of_target ? t[at] : o[at];
  return isnan(first) || index == NONE ? 0 : index;
}

// TF.js categoricalCrossentropy of one row (crossentropy_row on the CPU):
//   c = o (categorical) or clip(o) (sparse);  q = c / sum(c);  p = clip(q)
//   loss = -sum(t log p)
// With grad (OP 2, GRAD), grad = scale * d loss / d o through every step:
//   g = -t / p where q is inside the clip, else 0
//   d loss / d c = (g - sum(g q)) / sum(c);  times [o inside clip] if sparse.
float crossentropy_row(uint row, uint lane, bool live, uint cls) {
  const bool sparse = p.loss == LOSS_SPARSE;
  const uint at = row * p.cols;
  const uint at_o = p.off[0] + at, at_t = p.off[1] + at;
  float total = 0.0;
  for (uint j = lane; live && j < p.cols; j += T) {
    const float v = o[at_o + j];
    total += sparse ? clip_probability(v) : v;
  }
  const float sum = row_sum(total);
  float loss = 0.0, g_dot_q = 0.0;
  for (uint j = lane; live && j < p.cols; j += T) {
    const float tj = sparse ? (j == cls ? 1.0 : 0.0) : t[at_t + j];
    if (tj == 0.0) continue;
    const float v = o[at_o + j];
    const float q = (sparse ? clip_probability(v) : v) / sum, pj = clip_probability(q);
    loss -= tj * log(pj);
    if (inside_clip(q)) g_dot_q += -tj / pj * q;
  }
  loss = row_sum(loss);
#if OP == 2 && GRAD
  g_dot_q = row_sum(g_dot_q);
  for (uint j = lane; live && j < p.cols; j += T) {
    const float tj = sparse ? (j == cls ? 1.0 : 0.0) : t[at_t + j];
    const float v = o[at_o + j];
    const float q = (sparse ? clip_probability(v) : v) / sum;
    const float g = (tj != 0.0 && inside_clip(q)) ? -tj / clip_probability(q) : 0.0;
    const bool passes = !sparse || inside_clip(v);
    grad[p.off[3] + at + j] = passes ? (g - g_dot_q) / sum * p.scale : 0.0;
  }
#endif
  return loss;
}
#endif

#if OP == 0
void process(uint row, uint lane, bool live) {
  const uint at_x = p.off[0] + row * p.cols, at_y = p.off[1] + row * p.cols;
  float m = uintBitsToFloat(0xff800000u);  // -inf
  for (uint j = lane; live && j < p.cols; j += T) m = max(m, x[at_x + j]);
  m = row_max(m);
  float s = 0.0;
  for (uint j = lane; live && j < p.cols; j += T) {
    const float e = exp(x[at_x + j] - m);
    y[at_y + j] = e;  // y may be x: this invocation read x[j] already
    s += e;
  }
  s = row_sum(s);
  for (uint j = lane; live && j < p.cols; j += T) y[at_y + j] = y[at_y + j] / s;
}
#elif OP == 1
void process(uint row, uint lane, bool live) {
  const uint at = row * p.cols;
  float dot = 0.0;
  for (uint j = lane; live && j < p.cols; j += T) dot += dy[p.off[1] + at + j] * y[p.off[0] + at + j];
  dot = row_sum(dot);
  for (uint j = lane; live && j < p.cols; j += T) {
    const float yj = y[p.off[0] + at + j];
    dx[p.off[2] + at + j] = yj * (dy[p.off[1] + at + j] - dot);
  }
}
#elif OP == 2
void process(uint row, uint lane, bool live) {
  const uint n = p.cols, at = row * n;
  const uint at_o = p.off[0] + at, at_t = p.off[1] + at;
  float loss = 0.0;
  if (p.loss == LOSS_CATEGORICAL || p.loss == LOSS_SPARSE) {
    const uint cls = p.loss == LOSS_SPARSE ? class_of(row, lane, live) : 0;
    // (uniform across the row: every lane read the same target)
    loss = crossentropy_row(row, lane, live && cls != NONE, cls);
    if (cls == NONE) loss = 0.0;
  } else if (p.loss == LOSS_BINARY) {
    // TF.js binaryCrossentropy: mean of -(t log p + (1 - t) log(1 - p)), p = clip(o);
    // d/do = (p - t) / (p (1 - p)) inside the clip.
    for (uint j = lane; live && j < n; j += T) {
      const float v = o[at_o + j], pj = clip_probability(v), tj = t[at_t + j];
      loss += tj * log(pj) + (1.0 - tj) * log1p_of(-pj);
#if GRAD
      grad[p.off[3] + at + j] = inside_clip(v) ? (pj - tj) / (pj * (1.0 - pj)) * p.scale / float(n) : 0.0;
#endif
    }
    loss = -row_sum(loss) / float(n);
  } else {
    // meanSquaredError: mean of (o - t)^2; d/do = 2 (o - t) / n.
    for (uint j = lane; live && j < n; j += T) {
      const float diff = o[at_o + j] - t[at_t + j];
      loss += diff * diff;
#if GRAD
      grad[p.off[3] + at + j] = 2.0 * diff * p.scale / float(n);
#endif
    }
    loss = row_sum(loss) / float(n);
  }
  if (live && lane == 0) row_out[p.off[2] + row] = loss;
}
#elif OP == 3
void process(uint row, uint lane, bool live) {
  const bool sparse = p.loss == LOSS_SPARSE;
  const uint n = p.cols, at = row * n;
  const uint cls = sparse ? class_of(row, lane, live) : 0;
  float loss = crossentropy_row(row, lane, live && cls != NONE, cls);
  if (cls == NONE) loss = 0.0;
  if (sparse) {
    for (uint j = lane; live && j < n; j += T)
      grad[p.off[3] + at + j] = (o[p.off[0] + at + j] - (j == cls ? 1.0 : 0.0)) * p.scale;
  } else {
    float target_sum = 0.0;
    for (uint j = lane; live && j < n; j += T) target_sum += t[p.off[1] + at + j];
    target_sum = row_sum(target_sum);
    for (uint j = lane; live && j < n; j += T)
      grad[p.off[3] + at + j] = (o[p.off[0] + at + j] * target_sum - t[p.off[1] + at + j]) * p.scale;
  }
  if (live && lane == 0) row_out[p.off[2] + row] = loss;
}
#elif OP == 4
// tfjs-layers 'accuracy': one column or binary cross-entropy -> binaryAccuracy
// (matches of (o > 0.5) with t, a count per row; row_total divides by cols);
// sparse -> argmax equals the index; else argmax equals the target's argmax.
void process(uint row, uint lane, bool live) {
  const uint n = p.cols, at = row * n;
  float count = 0.0;
  if (n == 1 || p.loss == LOSS_BINARY) {
    for (uint j = lane; live && j < n; j += T)
      count += (o[p.off[0] + at + j] > 0.5 ? 1.0 : 0.0) == t[p.off[1] + at + j] ? 1.0 : 0.0;
    count = row_sum(count);  // whole numbers below 2^24: exact in any order
  } else if (p.loss == LOSS_SPARSE) {
    const uint cls = class_of(row, lane, live);
    const uint best = row_argmax(p.off[0] + at, lane, live, false);
    count = best == cls ? 1.0 : 0.0;
  } else {
    const uint best = row_argmax(p.off[0] + at, lane, live, false);
    const uint wanted = row_argmax(p.off[1] + at, lane, live, true);
    count = best == wanted ? 1.0 : 0.0;
  }
  if (live && lane == 0) row_out[p.off[2] + row] = count;
}
#endif

void main() {
  const uint tid = gl_LocalInvocationID.x, lane = tid % T;
  // Uniform over the workgroup, so the row reductions' barriers are too.
  for (uint first = gl_WorkGroupID.x * ROWS_PER_GROUP; first < p.rows; first += gl_NumWorkGroups.x * ROWS_PER_GROUP) {
    const uint row = first + tid / T;
    process(row, lane, row < p.rows);
  }
}

// variants: layer_norm_forward_t1:OP=0,T=1 layer_norm_forward_t32:OP=0,T=32 layer_norm_forward_t256:OP=0,T=256 layer_norm_backward_t1:OP=1,T=1 layer_norm_backward_t32:OP=1,T=32 layer_norm_backward_t256:OP=1,T=256
#version 450
// Layer normalization over the rows of x [R, C] (statistics per row), with
// the formulas of core/ops/cpu/cpu_backend_layer_norm.cpp. T invocations
// share a row, as in row_ops.comp (the host picks T by row length).
//   OP 0 forward   mean[r], inv_std[r] = 1 / sqrt(var + eps) (two passes),
//                  y = (x - mean) * inv_std * gamma + beta
//   OP 1 backward  g = dy * gamma, xhat = (x - mean) * inv_std:
//                  dx = inv_std * (g - mean(g) - xhat * mean(g * xhat)), and
//                  dy_xhat = dy * xhat, whose column sums (sum_rows) are dgamma
#extension GL_EXT_control_flow_attributes : enable
#include "common.glsl"

layout(local_size_x = 256) in;
PUSH(uint rows; uint cols; float epsilon;)

const uint ROWS_PER_GROUP = 256 / T;

#if OP == 0
IN(0, x)
IN(1, gamma)
IN(2, beta)
OUT(3, y)
OUT(4, mean)
OUT(5, inv_std)
#else
IN(0, x)
IN(1, mean)
IN(2, inv_std)
IN(3, gamma)
IN(4, dy)
OUT(5, dx)
OUT(6, dy_xhat)
#endif

#include "row_sum.glsl"

#if OP == 0
void process(uint row, uint lane, bool live) {
  const uint at_x = p.off[0] + row * p.cols, at_y = p.off[3] + row * p.cols;
  float s = 0.0;
  for (uint j = lane; live && j < p.cols; j += T) s += x[at_x + j];
  const float m = row_sum(s) / float(p.cols);
  float q = 0.0;
  for (uint j = lane; live && j < p.cols; j += T) {
    const float d = x[at_x + j] - m;
    q += d * d;
  }
  const float inv = 1.0 / sqrt(row_sum(q) / float(p.cols) + p.epsilon);
  if (live && lane == 0) {
    mean[p.off[4] + row] = m;
    inv_std[p.off[5] + row] = inv;
  }
  for (uint j = lane; live && j < p.cols; j += T)
    y[at_y + j] = (x[at_x + j] - m) * inv * gamma[p.off[1] + j] + beta[p.off[2] + j];
}
#else
void process(uint row, uint lane, bool live) {
  const uint at = row * p.cols, at_x = p.off[0] + at, at_dy = p.off[4] + at;
  const float m = live ? mean[p.off[1] + row] : 0.0, inv = live ? inv_std[p.off[2] + row] : 0.0;
  float sum_g = 0.0, sum_g_xhat = 0.0;
  for (uint j = lane; live && j < p.cols; j += T) {
    const float xhat = (x[at_x + j] - m) * inv, d = dy[at_dy + j];
    const float g = d * gamma[p.off[3] + j];
    sum_g += g;
    sum_g_xhat += g * xhat;
    dy_xhat[p.off[6] + at + j] = d * xhat;
  }
  const float mean_g = row_sum(sum_g) / float(p.cols), mean_g_xhat = row_sum(sum_g_xhat) / float(p.cols);
  for (uint j = lane; live && j < p.cols; j += T) {
    const float xhat = (x[at_x + j] - m) * inv;
    dx[p.off[5] + at + j] = inv * (dy[at_dy + j] * gamma[p.off[3] + j] - mean_g - xhat * mean_g_xhat);
  }
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

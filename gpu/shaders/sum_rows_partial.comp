#version 450
// Column sums of x [rows, cols], pass 1. A workgroup of 256 covers
// cols_per_group columns (a power of two up to 64; consecutive invocations
// take consecutive columns, so loads are contiguous) with 256 / cols_per_group
// row lanes, over one chunk of rows (workgroup y); each lane sums its rows in
// order, then the lanes are added in a fixed tree (deterministic, no atomics).
// chunks == 1: dst is out [cols], out = beta * out + sum (beta 0 overwrites
// out, even NaN); else dst is part [chunks, cols], whose column sums the host
// then takes with this kernel again (its rows are the chunks, one chunk).
#include "common.glsl"
layout(local_size_x = 256) in;
PUSH(uint rows; uint cols; uint cols_per_group; uint rows_per_chunk; uint chunks; float beta;)
IN(0, x)
OUT(1, dst)

shared float red[256];

void main() {
  const uint tid = gl_LocalInvocationID.x;
  const uint lanes = 256u / p.cols_per_group;
  const uint column = tid % p.cols_per_group, lane = tid / p.cols_per_group;
  const uint chunk = gl_WorkGroupID.y;
  const uint r0 = chunk * p.rows_per_chunk, r1 = min(p.rows, r0 + p.rows_per_chunk);
  // Uniform over the workgroup (barriers inside).
  for (uint c0 = gl_WorkGroupID.x * p.cols_per_group; c0 < p.cols; c0 += gl_NumWorkGroups.x * p.cols_per_group) {
    const uint col = c0 + column;
    float s = 0.0;
    if (col < p.cols)
      for (uint r = r0 + lane; r < r1; r += lanes) s += x[p.off[0] + r * p.cols + col];
    red[tid] = s;
    barrier();
    for (uint stride = lanes / 2; stride > 0; stride >>= 1) {
      if (lane < stride) red[tid] += red[tid + stride * p.cols_per_group];
      barrier();
    }
    if (lane == 0 && col < p.cols) {
      s = red[tid];
      if (p.chunks == 1) {
        const uint at = p.off[1] + col;
        dst[at] = p.beta == 0.0 ? s : p.beta * dst[at] + s;
      } else {
        dst[p.off[1] + chunk * p.cols + col] = s;
      }
    }
    barrier();
  }
}

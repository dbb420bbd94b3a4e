// variants: swap_leading_axes:TILED=0 swap_leading_axes_tiled:TILED=1
#version 450
// y [B, A, F] from x [A, B, F]: y[j, i, :] = x[i, j, :].
// TILED=0: one invocation per element of y (runs of F floats are contiguous
// on both sides). TILED=1 (F = 1, a matrix transpose): 32 x 32 tiles through
// shared memory so that both the reads and the writes are contiguous.
#include "common.glsl"
PUSH(uint n; uint A; uint B; uint F;)
IN(0, x)
OUT(1, y)

#if TILED
layout(local_size_x = 256) in;
shared float tile[32][33];

void main() {
  const uint k = gl_LocalInvocationID.x, tx = k % 32u, ty = k / 32u;
  const uint tiles_a = (p.A + 31u) / 32u, tiles_b = (p.B + 31u) / 32u;
  for (uint tb = gl_WorkGroupID.x; tb < tiles_b; tb += gl_NumWorkGroups.x)
    for (uint ta = gl_WorkGroupID.y; ta < tiles_a; ta += gl_NumWorkGroups.y) {
      const uint i0 = ta * 32u, j0 = tb * 32u;
      [[unroll]] for (uint r = 0; r < 32u; r += 8u) {
        const uint i = i0 + ty + r, j = j0 + tx;
        if (i < p.A && j < p.B) tile[ty + r][tx] = x[p.off[0] + i * p.B + j];
      }
      barrier();
      [[unroll]] for (uint r = 0; r < 32u; r += 8u) {
        const uint j = j0 + ty + r, i = i0 + tx;
        if (i < p.A && j < p.B) y[p.off[1] + j * p.A + i] = tile[tx][ty + r];
      }
      barrier();
    }
}
#else
LINEAR_LAYOUT

void main() {
  FOR_EACH(e, p.n) {
    const uint t = e / p.F, f = e - t * p.F;
    const uint j = t / p.A, i = t - j * p.A;
    y[p.off[1] + e] = x[p.off[0] + (i * p.B + j) * p.F + f];
  }
}
#endif

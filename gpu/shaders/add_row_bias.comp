#version 450
// y[r, c] += bias[c] for y [rows, cols] (n = rows * cols). Grid-stride over
// the flat index; the column advances by the stride mod cols, so there is one
// integer modulo per invocation, not per element (the host sizes the grid for
// a few elements per invocation).
#include "common.glsl"
LINEAR_LAYOUT
PUSH(uint n; uint cols;)
OUT(0, y)
IN(1, bias)

void main() {
  const uint stride = gl_NumWorkGroups.x * 256u;
  const uint col_step = stride % p.cols;
  uint col = gl_GlobalInvocationID.x % p.cols;
  FOR_EACH(i, p.n) {
    y[p.off[0] + i] += bias[p.off[1] + col];
    col += col_step;
    if (col >= p.cols) col -= p.cols;
  }
}

#version 450
// y = a * b element-wise (y may be a or b).
#include "common.glsl"
LINEAR_LAYOUT
PUSH(uint n;)
IN(0, a)
IN(1, b)
OUT(2, y)

void main() {
  FOR_EACH(i, p.n) y[p.off[2] + i] = a[p.off[0] + i] * b[p.off[1] + i];
}

#version 450
// y = alpha * x + beta * y (axpy: beta = 1).
#include "common.glsl"
LINEAR_LAYOUT
PUSH(uint n; float alpha; float beta;)
IN(0, x)
OUT(1, y)

void main() {
  FOR_EACH(i, p.n) y[p.off[1] + i] = p.alpha * x[p.off[0] + i] + p.beta * y[p.off[1] + i];
}

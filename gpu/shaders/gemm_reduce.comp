#version 450
// Finishes a split-K GEMM: c = alpha * sum over splits of part[s] + beta * c
// (beta 0 overwrites c, even NaN, as BLAS does).
#include "common.glsl"
LINEAR_LAYOUT
PUSH(uint n; uint splits; float alpha; float beta;)
IN(0, part)
OUT(1, c)

void main() {
  FOR_EACH(i, p.n) {
    float sum = 0.0;
    for (uint s = 0; s < p.splits; ++s) sum += part[p.off[0] + s * p.n + i];
    const uint at = p.off[1] + i;
    c[at] = p.beta == 0.0 ? p.alpha * sum : p.alpha * sum + p.beta * c[at];
  }
}

// variants: piecewise_linear_forward:OP=0 piecewise_linear_backward:OP=1
#version 450
// Keras's relu with its options (OpsBackend::piecewise_linear_*, the CPU's
// formulas and kinks): y = cap if x >= cap; x if x > threshold; slope * (x -
// threshold) otherwise. cap may be +infinity (no cap).
//   OP 0  y  <- x
//   OP 1  dx <- x, dy (dx may be dy)
#include "common.glsl"
LINEAR_LAYOUT
PUSH(uint n; float slope; float threshold; float cap;)
IN(0, x)
#if OP == 0
OUT(1, y)
#else
IN(1, dy)
OUT(2, dx)
#endif

void main() {
  FOR_EACH(i, p.n) {
    const float v = x[p.off[0] + i];
#if OP == 0
    y[p.off[1] + i] = v >= p.cap ? p.cap : (v > p.threshold ? v : p.slope * (v - p.threshold));
#else
    const float g = dy[p.off[1] + i];
    dx[p.off[2] + i] = v > p.cap ? 0.0 : (v > p.threshold ? g : p.slope * g);
#endif
  }
}

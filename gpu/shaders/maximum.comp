// variants: maximum:OP=0 maximum_backward:OP=1
#version 450
// The maximum merge (OpsBackend::maximum, maximum_backward), as the CPU:
//   OP 0  y = max(y, x)
//   OP 1  where x == y: dx = remaining, remaining = 0; elsewhere dx = 0
#include "common.glsl"
LINEAR_LAYOUT
PUSH(uint n;)
IN(0, x)
#if OP == 0
OUT(1, y)
#else
IN(1, y)
OUT(2, remaining)
OUT(3, dx)
#endif

void main() {
  FOR_EACH(i, p.n) {
#if OP == 0
    y[p.off[1] + i] = max(y[p.off[1] + i], x[p.off[0] + i]);
#else
    const bool wins = x[p.off[0] + i] == y[p.off[1] + i];
    const float r = remaining[p.off[2] + i];
    dx[p.off[3] + i] = wins ? r : 0.0;
    remaining[p.off[2] + i] = wins ? 0.0 : r;
#endif
  }
}

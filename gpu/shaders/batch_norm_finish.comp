#version 450
// Second pass of the batch-norm column sums (batch_norm_sums.comp): adds the
// row groups' partial sums part [groups, NS, C] and writes sum / divisor to
// out0 (s = 0) or out1 (s = 1). One workgroup per (s, c): its invocations add
// every 256th group, then a fixed tree in shared memory (deterministic).
#include "common.glsl"
LINEAR_LAYOUT
PUSH(uint C; uint NS; uint groups; float divisor;)
IN(0, part)
OUT(1, out0)
OUT(2, out1)

shared float tree[256];

void main() {
  const uint k = gl_LocalInvocationID.x;
  for (uint w = gl_WorkGroupID.x; w < p.NS * p.C; w += gl_NumWorkGroups.x) {
    const uint s = w / p.C, c = w - s * p.C;
    float sum = 0.0;
    for (uint g = k; g < p.groups; g += 256u) sum += part[p.off[0] + (g * p.NS + s) * p.C + c];
    tree[k] = sum;
    barrier();
    [[unroll]] for (uint half_ = 128u; half_ > 0u; half_ >>= 1) {
      if (k < half_) tree[k] += tree[k + half_];
      barrier();
    }
    if (k == 0u) {
      if (s == 0u)
        out0[p.off[1] + c] = tree[0] / p.divisor;
      else
        out1[p.off[2] + c] = tree[0] / p.divisor;
    }
    barrier();  // tree[0] is read before the next column overwrites it
  }
}

// The sum over the T invocations that share a row, for row-wise kernels
// (row_ops.comp, layer_norm.comp; T = 1, 32 or 256, defined by the kernel).
// Adds through shared memory in a fixed tree (deterministic). Every
// invocation of the workgroup must call it: it holds barriers when T > 1.
#if T > 1
shared float red[256];
#endif

float row_sum(float v) {
#if T == 1
  return v;
#else
  const uint tid = gl_LocalInvocationID.x, lane = tid % T;
  red[tid] = v;
  barrier();
  [[unroll]] for (uint s = T / 2; s > 0; s >>= 1) {
    if (lane < s) red[tid] += red[tid + s];
    barrier();
  }
  const float r = red[tid - lane];
  barrier();
  return r;
#endif
}

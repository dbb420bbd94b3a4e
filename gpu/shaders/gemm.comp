// variants: gemm_nn_v4_l:TA=0,TB=0,VEC=1,BM=128,BN=128,BK=8,TM=8,TN=8 gemm_nn_v4_s:TA=0,TB=0,VEC=1,BM=64,BN=64,BK=16,TM=4,TN=4 gemm_nn_s1_l:TA=0,TB=0,VEC=0,BM=128,BN=128,BK=8,TM=8,TN=8 gemm_nn_s1_s:TA=0,TB=0,VEC=0,BM=64,BN=64,BK=16,TM=4,TN=4 gemm_nt_v4_l:TA=0,TB=1,VEC=1,BM=128,BN=128,BK=8,TM=8,TN=8 gemm_nt_v4_s:TA=0,TB=1,VEC=1,BM=64,BN=64,BK=16,TM=4,TN=4 gemm_nt_s1_l:TA=0,TB=1,VEC=0,BM=128,BN=128,BK=8,TM=8,TN=8 gemm_nt_s1_s:TA=0,TB=1,VEC=0,BM=64,BN=64,BK=16,TM=4,TN=4 gemm_tn_v4_l:TA=1,TB=0,VEC=1,BM=128,BN=128,BK=8,TM=8,TN=8 gemm_tn_v4_s:TA=1,TB=0,VEC=1,BM=64,BN=64,BK=16,TM=4,TN=4 gemm_tn_s1_l:TA=1,TB=0,VEC=0,BM=128,BN=128,BK=8,TM=8,TN=8 gemm_tn_s1_s:TA=1,TB=0,VEC=0,BM=64,BN=64,BK=16,TM=4,TN=4 gemm_tt_v4_l:TA=1,TB=1,VEC=1,BM=128,BN=128,BK=8,TM=8,TN=8 gemm_tt_v4_s:TA=1,TB=1,VEC=1,BM=64,BN=64,BK=16,TM=4,TN=4 gemm_tt_s1_l:TA=1,TB=1,VEC=0,BM=128,BN=128,BK=8,TM=8,TN=8 gemm_tt_s1_s:TA=1,TB=1,VEC=0,BM=64,BN=64,BK=16,TM=4,TN=4
#version 450
// C[M,N] = alpha * op(A) * op(B) + beta * C, row-major, op = transpose when TA/TB.
// Tiled: a workgroup of 256 invocations computes a BM x BN tile of C, each
// invocation TM x TN of it (rows ty*4.. and ty*4 + BM/2.. so that shared-memory
// reads are contiguous across invocations). Tiles of A and B, BK deep, go
// through shared memory, double-buffered: the next tile is fetched from global
// memory into registers while this one is multiplied (one barrier per tile).
// VEC=1: every stored matrix's contiguous dimension and view offset are
// multiples of 4, so global loads are vec4. Split-K (splits > 1): workgroup z
// multiplies k in [z*kchunk, (z+1)*kchunk) and writes its raw partial sum into
// part [splits, M, N]; gemm_reduce finishes C.
#include "common.glsl"

layout(local_size_x = 256) in;
PUSH(uint M; uint N; uint K; float alpha; float beta; uint kchunk; uint splits; uint c_vec4;)

#if VEC
layout(std430, binding = 0) readonly buffer BufferA { vec4 a4[]; };
layout(std430, binding = 1) readonly buffer BufferB { vec4 b4[]; };
#else
IN(0, a)
IN(1, b)
#endif
OUT(2, c)
OUT(3, part)
// The same bindings as vec4s, for whole 4-column stores (c_vec4: N and the
// views' offsets are multiples of 4).
layout(std430, binding = 2) buffer BufferC4 { vec4 c4[]; };
layout(std430, binding = 3) buffer BufferPart4 { vec4 part4[]; };

const uint THREADS_N = BN / TN;           // invocations along N
const uint LOADS = (BM * BK) / (4 * 256); // 4-float groups each invocation loads per matrix tile (1)

shared vec4 As[2][BK][BM / 4];
shared vec4 Bs[2][BK][BN / 4];

// Loads 4 consecutive floats of a stored row-major matrix with row length ld
// at (r, c0..c0+3), zero at r >= rows or c >= cols.
#if VEC
vec4 load4_a(uint r, uint c0, uint rows, uint cols, uint ld) {
  return (r < rows && c0 < cols) ? a4[(p.off[0] + r * ld + c0) / 4] : vec4(0);
}
vec4 load4_b(uint r, uint c0, uint rows, uint cols, uint ld) {
  return (r < rows && c0 < cols) ? b4[(p.off[1] + r * ld + c0) / 4] : vec4(0);
}
#else
vec4 load4_a(uint r, uint c0, uint rows, uint cols, uint ld) {
  vec4 v = vec4(0);
  if (r < rows)
    [[unroll]] for (uint j = 0; j < 4; ++j) if (c0 + j < cols) v[j] = a[p.off[0] + r * ld + c0 + j];
  return v;
}
vec4 load4_b(uint r, uint c0, uint rows, uint cols, uint ld) {
  vec4 v = vec4(0);
  if (r < rows)
    [[unroll]] for (uint j = 0; j < 4; ++j) if (c0 + j < cols) v[j] = b[p.off[1] + r * ld + c0 + j];
  return v;
}
#endif

// This invocation's 4-float pieces of the A and B tiles starting at k0.
// op(A) tile is [BM rows of M] x [BK of K]; op(B) tile is [BK of K] x [BN of N].
vec4 fetch_a(uint tid, uint m0, uint k0, uint kend) {
#if TA
  // stored [K, M]: 4 consecutive m of one k
  uint k = tid / (BM / 4), m = (tid % (BM / 4)) * 4;
  return load4_a(k0 + k, m0 + m, kend, p.M, p.M);
#else
  // stored [M, K]: 4 consecutive k of one m
  uint m = tid / (BK / 4), k = (tid % (BK / 4)) * 4;
  return load4_a(m0 + m, k0 + k, p.M, kend, p.K);
#endif
}
vec4 fetch_b(uint tid, uint n0, uint k0, uint kend) {
#if TB
  // stored [N, K]: 4 consecutive k of one n
  uint n = tid / (BK / 4), k = (tid % (BK / 4)) * 4;
  return load4_b(n0 + n, k0 + k, p.N, kend, p.K);
#else
  // stored [K, N]: 4 consecutive n of one k
  uint k = tid / (BN / 4), n = (tid % (BN / 4)) * 4;
  return load4_b(k0 + k, n0 + n, kend, p.N, p.N);
#endif
}

void store_a(uint buf, uint tid, vec4 v) {
#if TA
  uint k = tid / (BM / 4), m = (tid % (BM / 4));
  As[buf][k][m] = v;
#else
  uint m = tid / (BK / 4), k = (tid % (BK / 4)) * 4;
  [[unroll]] for (uint j = 0; j < 4; ++j) As[buf][k + j][m / 4][m % 4] = v[j];
#endif
}
void store_b(uint buf, uint tid, vec4 v) {
#if TB
  uint n = tid / (BK / 4), k = (tid % (BK / 4)) * 4;
  [[unroll]] for (uint j = 0; j < 4; ++j) Bs[buf][k + j][n / 4][n % 4] = v[j];
#else
  uint k = tid / (BN / 4), n = (tid % (BN / 4));
  Bs[buf][k][n] = v;
#endif
}

void main() {
  const uint tid = gl_LocalInvocationID.x;
  const uint tx = tid % THREADS_N, ty = tid / THREADS_N;
  const uint m0 = gl_WorkGroupID.y * BM, n0 = gl_WorkGroupID.x * BN;
  const uint kbegin = gl_WorkGroupID.z * p.kchunk;
  // The row/column bound of the stored matrices along K: loads past kend read 0.
  const uint kend = min(p.K, kbegin + p.kchunk);

  vec4 acc[TM][TN / 4];
  [[unroll]] for (uint i = 0; i < TM; ++i)
    [[unroll]] for (uint j = 0; j < TN / 4; ++j) acc[i][j] = vec4(0);

  uint tiles = kend > kbegin ? (kend - kbegin + BK - 1) / BK : 0;
  if (tiles > 0) {
    store_a(0, tid, fetch_a(tid, m0, kbegin, kend));
    store_b(0, tid, fetch_b(tid, n0, kbegin, kend));
  }
  barrier();
  for (uint t = 0; t < tiles; ++t) {
    const uint buf = t & 1u;
    vec4 next_a = vec4(0), next_b = vec4(0);
    const bool more = t + 1 < tiles;
    if (more) {
      next_a = fetch_a(tid, m0, kbegin + (t + 1) * BK, kend);
      next_b = fetch_b(tid, n0, kbegin + (t + 1) * BK, kend);
    }
    [[unroll]] for (uint k = 0; k < BK; ++k) {
      vec4 av[TM / 4], bv[TN / 4];
      [[unroll]] for (uint i = 0; i < TM / 4; ++i) av[i] = As[buf][k][i * (BM / TM) + ty];
      [[unroll]] for (uint j = 0; j < TN / 4; ++j) bv[j] = Bs[buf][k][j * (BN / TN) + tx];
      [[unroll]] for (uint i = 0; i < TM / 4; ++i)
        [[unroll]] for (uint ii = 0; ii < 4; ++ii)
          [[unroll]] for (uint j = 0; j < TN / 4; ++j) acc[i * 4 + ii][j] += av[i][ii] * bv[j];
    }
    if (more) {
      store_a(buf ^ 1u, tid, next_a);
      store_b(buf ^ 1u, tid, next_b);
    }
    barrier();
  }

  // Write back: row (i*(BM/TM) + ty)*4 + ii, columns (j*(BN/TN) + tx)*4 + 0..3
  // (acc[i*4 + ii][j] holds those 4). No `continue` in these loops: they must
  // unroll, or acc would be indexed dynamically and live in slow local memory.
  [[unroll]] for (uint i = 0; i < TM / 4; ++i)
    [[unroll]] for (uint ii = 0; ii < 4; ++ii) {
      const uint row = m0 + (i * (BM / TM) + ty) * 4 + ii;
      [[unroll]] for (uint j = 0; j < TN / 4; ++j) {
        const uint col = n0 + (j * (BN / TN) + tx) * 4;
        const vec4 v = acc[i * 4 + ii][j];
        if (row >= p.M || col >= p.N) {
        } else if (p.c_vec4 != 0u) {  // col + 3 < N too, since N % 4 == 0
          if (p.splits > 1) {
            part4[(p.off[3] + (gl_WorkGroupID.z * p.M + row) * p.N + col) / 4] = v;
          } else {
            const uint at = (p.off[2] + row * p.N + col) / 4;
            c4[at] = p.beta == 0.0 ? p.alpha * v : p.alpha * v + p.beta * c4[at];
          }
        } else {
          [[unroll]] for (uint jj = 0; jj < 4; ++jj)
            if (col + jj < p.N) {
              if (p.splits > 1) {
                part[p.off[3] + (gl_WorkGroupID.z * p.M + row) * p.N + col + jj] = v[jj];
              } else {
                const uint at = p.off[2] + row * p.N + col + jj;
                c[at] = p.beta == 0.0 ? p.alpha * v[jj] : p.alpha * v[jj] + p.beta * c[at];
              }
            }
        }
      }
    }
}

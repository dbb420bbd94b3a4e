// variants: gather_rows:OP=0 scatter_add_rows:OP=1 embedding_check_ids:OP=2 scatter_add_rows_finish:OP=3
#version 450
// Embedding rows. ids hold integers as floats; an id is valid when
// -1 < id < rows (truncated, as TF.js casts it; the CPU's checked_id). A bad
// id is reported through the status buffer (the binding after the tensors):
// the first report sets code 1 (kStatusIdOutOfRange) with the id, truncated,
// and the table's rows; VulkanDevice::flush() throws it. Bad ids are never
// used as an index: gather writes 0 for them, scatter skips them.
//   OP 0 gather_rows       out [N, D] = table [V, D] rows ids[i]
//   OP 1 scatter_add_rows  dst [splits, V, D]: for split s (workgroup z), the
//                          sums of dout[i] over its ids i in
//                          [s*ids_per_split, ...) at rows ids[i], 0 elsewhere
//                          (one split: dst is dtable itself)
//   OP 2 embedding_check_ids  only the report (when there is nothing to copy)
//   OP 3 scatter_add_rows_finish  dtable = sum over the splits, in order
// Scatter is deterministic: every dst element is owned by one invocation,
// which adds its row's dout rows in ascending i (as the CPU does), and the
// splits are added in a fixed order. A workgroup owns `tile_rows` table rows
// x `width` columns; it walks its ids 1024 at a time (4 per invocation) and
// compacts those that fall in its rows, keeping their order (a prefix sum in
// shared memory), so each invocation only looks at its tile's hits instead
// of every id. Splitting the ids over workgroups keeps a small table's few
// tiles from running one long loop each.
#include "common.glsl"
LINEAR_LAYOUT
PUSH(uint n; uint D; uint V; uint width; uint row_tiles; uint ids_per_split; uint splits;)

#if OP == 0
IN(0, table)
IN(1, ids)
OUT(2, rows_out)
layout(std430, binding = 3) buffer Status { uint status[]; };
#elif OP == 1
IN(0, dout)
IN(1, ids)
OUT(2, dst)
layout(std430, binding = 3) buffer Status { uint status[]; };
#elif OP == 2
IN(0, ids)
layout(std430, binding = 1) buffer Status { uint status[]; };
#else
IN(0, part)
OUT(1, dtable)
#endif

#if OP == 1
shared uint scan[2][256];  // ping-pong inclusive prefix sums of the hit counts
shared uint hit_pos[1024], hit_row[1024];
#endif

#if OP != 3
bool valid_id(float v) { return v > -1.0 && v < float(p.V); }

void report(float v) {
  if (atomicCompSwap(status[0], 0u, 1u) == 0u) {
    const int id = isnan(v) ? int(0x80000000u) : int(clamp(v, -2147483648.0, 2147483520.0));
    status[1] = uint(id);
    status[2] = p.V;
  }
}
#endif

void main() {
#if OP == 0
  // n = N * D
  FOR_EACH(e, p.n) {
    const uint i = e / p.D, d = e - i * p.D;
    const float v = ids[p.off[1] + i];
    if (valid_id(v)) {
      rows_out[p.off[2] + e] = table[p.off[0] + uint(int(v)) * p.D + d];
    } else {
      rows_out[p.off[2] + e] = 0.0;
      if (d == 0u) report(v);
    }
  }
#elif OP == 2
  // n = N
  FOR_EACH(i, p.n) {
    const float v = ids[p.off[0] + i];
    if (!valid_id(v)) report(v);
  }
#elif OP == 3
  // n = V * D
  FOR_EACH(e, p.n) {
    float sum = 0.0;
    for (uint s = 0u; s < p.splits; ++s) sum += part[p.off[0] + s * p.n + e];
    dtable[p.off[1] + e] = sum;
  }
#else
  // n = N (ids); table [V, D] in tiles of tile_rows x width.
  const uint k = gl_LocalInvocationID.x;
  const uint tile_rows = 256u / p.width;
  const uint local_row = k / p.width, d = gl_WorkGroupID.y * p.width + k % p.width;
  const uint split = gl_WorkGroupID.z;
  const uint i_begin = split * p.ids_per_split, i_end = min(p.n, i_begin + p.ids_per_split);
  const bool reporter = gl_WorkGroupID.x == 0u && gl_WorkGroupID.y == 0u;  // one per split
  for (uint tile = gl_WorkGroupID.x; tile < p.row_tiles; tile += gl_NumWorkGroups.x) {
    const uint v0 = tile * tile_rows;
    const uint v = v0 + local_row;
    const bool owner = local_row < tile_rows && v < p.V && d < p.D;
    float acc = 0.0;
    for (uint i0 = i_begin; i0 < i_end; i0 += 1024u) {
      // This invocation's 4 ids of the chunk; hits fall in the tile.
      uint count = 0u;
      uint rows4[4];
      [[unroll]] for (uint q = 0u; q < 4u; ++q) {
        rows4[q] = 0xffffffffu;
        const uint i = i0 + 4u * k + q;
        if (i < i_end) {
          const float id = ids[p.off[1] + i];
          if (valid_id(id)) {
            const uint target = uint(int(id));
            if (target >= v0 && target < v0 + tile_rows) {
              rows4[q] = target - v0;
              ++count;
            }
          } else if (reporter && tile == gl_WorkGroupID.x) {
            report(id);
          }
        }
      }
      // Inclusive prefix sum of the counts (Hillis-Steele, ping-pong).
      scan[0][k] = count;
      barrier();
      uint from = 0u;
      [[unroll]] for (uint step = 1u; step < 256u; step <<= 1) {
        const uint s = scan[from][k] + (k >= step ? scan[from][k - step] : 0u);
        scan[1u - from][k] = s;
        from = 1u - from;
        barrier();
      }
      uint slot = scan[from][k] - count;
      [[unroll]] for (uint q = 0u; q < 4u; ++q)
        if (rows4[q] != 0xffffffffu) {
          hit_pos[slot] = i0 + 4u * k + q;
          hit_row[slot] = rows4[q];
          ++slot;
        }
      barrier();
      const uint hits = scan[from][255];
      if (owner)
        for (uint h = 0u; h < hits; ++h)
          if (hit_row[h] == local_row) acc += dout[p.off[0] + hit_pos[h] * p.D + d];
      barrier();  // the hit lists are rewritten by the next chunk
    }
    if (owner) dst[p.off[2] + (split * p.V + v) * p.D + d] = acc;
  }
#endif
}

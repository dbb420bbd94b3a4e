#version 450
// A block of columns: dst[r, dst_column + j] = src[r, src_column + j], j < columns
// (concatenate and its gradient). One invocation per copied value.
#include "common.glsl"
LINEAR_LAYOUT
PUSH(uint n; uint columns; uint src_width; uint src_column; uint dst_width; uint dst_column;)
IN(0, src)
OUT(1, dst)

void main() {
  FOR_EACH(e, p.n) {
    const uint r = e / p.columns, j = e - r * p.columns;
    dst[p.off[1] + r * p.dst_width + p.dst_column + j] = src[p.off[0] + r * p.src_width + p.src_column + j];
  }
}

// variants: upsample_nearest_forward:OP=0 upsample_nearest_backward:OP=1
#version 450
// Nearest up-sampling of channels-last images (OpsBackend::upsample_nearest_*):
// small [B, H, W, C], large [B, H*sh, W*sw, C].
//   OP 0  large[b, oy, ox, c] = small[b, oy / sh, ox / sw, c]  (one invocation per large element)
//   OP 1  small[b, y, x, c] = sum of large over the block, rows then columns as
//         the CPU adds them                                    (one per small element)
#include "common.glsl"
LINEAR_LAYOUT
PUSH(uint n; int H; int W; int C; int sh; int sw;)
IN(0, src)
OUT(1, dst)

void main() {
  const int OW = p.W * p.sw;
  FOR_EACH(e, p.n) {
    const int c = int(e % uint(p.C)), t = int(e / uint(p.C));
#if OP == 0
    const int ox = t % OW, t2 = t / OW;
    const int OH = p.H * p.sh, oy = t2 % OH, b = t2 / OH;
    dst[p.off[1] + e] = src[p.off[0] + uint(((b * p.H + oy / p.sh) * p.W + ox / p.sw) * p.C + c)];
#else
    const int x = t % p.W, t2 = t / p.W;
    const int y = t2 % p.H, b = t2 / p.H;
    float sum = 0.0;
    for (int i = 0; i < p.sh; ++i)
      for (int j = 0; j < p.sw; ++j)
        sum += src[p.off[0] + uint(((b * p.H * p.sh + y * p.sh + i) * OW + x * p.sw + j) * p.C + c)];
    dst[p.off[1] + e] = sum;
#endif
  }
}

// Nearest up-sampling on Vulkan (gpu/shaders/upsample.comp): forward writes
// each large element, backward gathers each small element's block. Argument
// checks are the CPU backend's.
#include "core/ops/op_checks_layers.h"
#include "gpu/vulkan/vulkan_backend.h"

namespace gapscope::gpu {
namespace {

struct UpsampleParams {
  uint32_t n;
  int32_t H, W, C, sh, sw;
};

UpsampleParams params_for(const Tensor& small, int64_t sh, int64_t sw, int64_t n) {
  auto i = [](int64_t v) { return static_cast<int32_t>(v); };
  return {static_cast<uint32_t>(n), i(small.dim(1)), i(small.dim(2)), i(small.dim(3)), i(sh), i(sw)};
}

}  // namespace

void VulkanBackend::upsample_nearest_forward(int64_t sh, int64_t sw, const Tensor& x, Tensor& y) {
  check_upsample(sh, sw, x, y, "upsample_nearest_forward");
  if (y.size() == 0) return;
  run("upsample_nearest_forward", {in(x), out(y)}, params_for(x, sh, sw, y.size()), linear_groups(y.size()));
}

void VulkanBackend::upsample_nearest_backward(int64_t sh, int64_t sw, const Tensor& dy, Tensor& dx) {
  check_upsample(sh, sw, dx, dy, "upsample_nearest_backward");
  if (dx.size() == 0) return;
  run("upsample_nearest_backward", {in(dy), out(dx)}, params_for(dx, sh, sw, dx.size()), linear_groups(dx.size()));
}

}  // namespace gapscope::gpu

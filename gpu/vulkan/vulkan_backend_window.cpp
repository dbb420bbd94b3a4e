// PLACEHOLDER: replaced op by op with kernels (see gpu/shaders).
#include <stdexcept>

#include "gpu/vulkan/vulkan_backend.h"

namespace gapscope::gpu {

void VulkanBackend::im2col(const WindowGeometry& g, const Tensor& x, Tensor& cols) {
  throw std::logic_error("native-vulkan: im2col is not implemented yet");
}

void VulkanBackend::col2im(const WindowGeometry& g, const Tensor& cols, Tensor& dx) {
  throw std::logic_error("native-vulkan: col2im is not implemented yet");
}

void VulkanBackend::pool_forward(PoolKind kind, const WindowGeometry& g, const Tensor& x, Tensor& y) {
  throw std::logic_error("native-vulkan: pool_forward is not implemented yet");
}

void VulkanBackend::pool_backward(PoolKind kind, const WindowGeometry& g, const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) {
  throw std::logic_error("native-vulkan: pool_backward is not implemented yet");
}

}  // namespace gapscope::gpu

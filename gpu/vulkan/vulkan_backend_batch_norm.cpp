// PLACEHOLDER: replaced op by op with kernels (see gpu/shaders).
#include <stdexcept>

#include "gpu/vulkan/vulkan_backend.h"

namespace gapscope::gpu {

void VulkanBackend::moments(const Tensor& x, Tensor& mean, Tensor& variance) {
  throw std::logic_error("native-vulkan: moments is not implemented yet");
}

void VulkanBackend::batch_norm_forward(const Tensor& x, const Tensor& mean, const Tensor& variance, const Tensor& gamma, const Tensor& beta, float epsilon, Tensor& y) {
  throw std::logic_error("native-vulkan: batch_norm_forward is not implemented yet");
}

void VulkanBackend::batch_norm_backward(const Tensor& x, const Tensor& mean, const Tensor& variance, const Tensor& gamma, float epsilon, const Tensor& dy, Tensor& dx, Tensor& dgamma, Tensor& dbeta) {
  throw std::logic_error("native-vulkan: batch_norm_backward is not implemented yet");
}

}  // namespace gapscope::gpu

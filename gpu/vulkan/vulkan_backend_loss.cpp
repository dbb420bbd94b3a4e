// PLACEHOLDER: replaced op by op with kernels (see gpu/shaders).
#include <stdexcept>

#include "gpu/vulkan/vulkan_backend.h"

namespace gapscope::gpu {

void VulkanBackend::loss_forward_backward(Loss loss, const Tensor& output, const Tensor& target, Tensor& loss_out, Tensor* grad) {
  throw std::logic_error("native-vulkan: loss_forward_backward is not implemented yet");
}

void VulkanBackend::softmax_crossentropy_backward(Loss loss, const Tensor& probabilities, const Tensor& target, Tensor& loss_out, Tensor& grad_logits) {
  throw std::logic_error("native-vulkan: softmax_crossentropy_backward is not implemented yet");
}

void VulkanBackend::count_correct(const Tensor& output, const Tensor& target, Loss loss, Tensor& correct_out) {
  throw std::logic_error("native-vulkan: count_correct is not implemented yet");
}

}  // namespace gapscope::gpu

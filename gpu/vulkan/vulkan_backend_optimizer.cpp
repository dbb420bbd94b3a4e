// PLACEHOLDER: replaced op by op with kernels (see gpu/shaders).
#include <stdexcept>

#include "gpu/vulkan/vulkan_backend.h"

namespace gapscope::gpu {

void VulkanBackend::optimizer_update(const OptimizerConfig& config, int64_t step, Tensor& param, const Tensor& grad, std::span<Tensor> slots) {
  throw std::logic_error("native-vulkan: optimizer_update is not implemented yet");
}

}  // namespace gapscope::gpu

#include "gpu/vulkan/loader_version.h"

#include <vulkan/vulkan.h>

namespace gapscope::gpu {

std::string vulkan_loader_version() {
  uint32_t version = 0;
  if (vkEnumerateInstanceVersion(&version) != VK_SUCCESS) return "unavailable (vkEnumerateInstanceVersion failed)";
  return std::to_string(VK_API_VERSION_MAJOR(version)) + "." + std::to_string(VK_API_VERSION_MINOR(version)) + "." +
         std::to_string(VK_API_VERSION_PATCH(version));
}

}  // namespace gapscope::gpu

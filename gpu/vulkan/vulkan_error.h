// Vulkan results as exceptions: every failing call names what it was doing.
#pragma once
#include <vulkan/vulkan.h>

#include <stdexcept>
#include <string>

namespace gapscope::gpu {

class VulkanError : public std::runtime_error {
 public:
  VulkanError(const std::string& what, VkResult result);
  VkResult result() const { return result_; }

 private:
  VkResult result_;
};

const char* result_name(VkResult result);

// Throws VulkanError("<what>: VK_ERROR_...") unless result is VK_SUCCESS.
inline void check(VkResult result, const char* what) {
  if (result != VK_SUCCESS) throw VulkanError(what, result);
}

}  // namespace gapscope::gpu

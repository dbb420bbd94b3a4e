// One logical Vulkan device with a compute queue: what every other piece of the
// native-vulkan backend builds on. Created once per backend (85-150 ms on
// lavapipe), destroyed last.
#pragma once
#include <vulkan/vulkan.h>

#include <memory>
#include <string>

#include "gpu/vulkan/device_list.h"

namespace gapscope::gpu {

class VulkanContext {
 public:
  // `wanted` as choose_device(): "" = the best device. Throws NoVulkanDevice
  // when there is none or the device lacks what the kernels need.
  explicit VulkanContext(const std::string& wanted);
  ~VulkanContext();
  VulkanContext(const VulkanContext&) = delete;
  VulkanContext& operator=(const VulkanContext&) = delete;

  const DeviceInfo& info() const { return info_; }
  VkPhysicalDevice physical() const { return physical_; }
  VkDevice device() const { return device_; }
  VkQueue queue() const { return queue_; }
  uint32_t queue_family() const { return queue_family_; }
  const VkPhysicalDeviceLimits& limits() const { return properties_.limits; }
  const VkPhysicalDeviceMemoryProperties& memory() const { return memory_; }
  bool timestamps() const { return timestamp_bits_ > 0; }
  PFN_vkCmdPushDescriptorSetKHR push_descriptor_set() const { return push_descriptor_set_; }

 private:
  VulkanInstance instance_;
  DeviceInfo info_;
  VkPhysicalDevice physical_ = VK_NULL_HANDLE;
  VkPhysicalDeviceProperties properties_{};
  VkPhysicalDeviceMemoryProperties memory_{};
  VkDevice device_ = VK_NULL_HANDLE;
  VkQueue queue_ = VK_NULL_HANDLE;
  uint32_t queue_family_ = 0;
  uint32_t timestamp_bits_ = 0;
  PFN_vkCmdPushDescriptorSetKHR push_descriptor_set_ = nullptr;
};

}  // namespace gapscope::gpu

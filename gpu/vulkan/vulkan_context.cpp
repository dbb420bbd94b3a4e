#include "gpu/vulkan/vulkan_context.h"

#include <cstring>
#include <vector>

#include "gpu/vulkan/vulkan_error.h"

namespace gapscope::gpu {
namespace {

bool has_extension(VkPhysicalDevice device, const char* name) {
  uint32_t count = 0;
  vkEnumerateDeviceExtensionProperties(device, nullptr, &count, nullptr);
  std::vector<VkExtensionProperties> extensions(count);
  vkEnumerateDeviceExtensionProperties(device, nullptr, &count, extensions.data());
  for (const VkExtensionProperties& e : extensions)
    if (std::strcmp(e.extensionName, name) == 0) return true;
  return false;
}

}  // namespace

VulkanContext::VulkanContext(const std::string& wanted) {
  const std::vector<VkPhysicalDevice> devices = instance_.physical_devices();
  std::vector<DeviceInfo> infos;
  for (size_t i = 0; i < devices.size(); ++i) infos.push_back(describe_device(devices[i], static_cast<int>(i)));
  info_ = choose_device(infos, wanted);
  physical_ = devices[static_cast<size_t>(info_.index)];
  vkGetPhysicalDeviceProperties(physical_, &properties_);
  vkGetPhysicalDeviceMemoryProperties(physical_, &memory_);

  // What the kernels rely on: push descriptors (no descriptor pools) and 64-bit
  // integers (the dropout hash is the CPU's splitmix64).
  if (!has_extension(physical_, VK_KHR_PUSH_DESCRIPTOR_EXTENSION_NAME))
    throw NoVulkanDevice("Vulkan device '" + info_.name + "' lacks " VK_KHR_PUSH_DESCRIPTOR_EXTENSION_NAME);
  VkPhysicalDeviceFeatures supported{};
  vkGetPhysicalDeviceFeatures(physical_, &supported);
  if (!supported.shaderInt64) throw NoVulkanDevice("Vulkan device '" + info_.name + "' lacks shaderInt64");

  uint32_t families = 0;
  vkGetPhysicalDeviceQueueFamilyProperties(physical_, &families, nullptr);
  std::vector<VkQueueFamilyProperties> queues(families);
  vkGetPhysicalDeviceQueueFamilyProperties(physical_, &families, queues.data());
  // Prefer a compute family that also does graphics (the main queue, usually
  // the one with timestamps); any compute family otherwise.
  int chosen = -1;
  for (uint32_t i = 0; i < families; ++i) {
    if (!(queues[i].queueFlags & VK_QUEUE_COMPUTE_BIT)) continue;
    if (chosen < 0 || (queues[i].queueFlags & VK_QUEUE_GRAPHICS_BIT)) chosen = static_cast<int>(i);
    if (queues[i].queueFlags & VK_QUEUE_GRAPHICS_BIT) break;
  }
  if (chosen < 0) throw NoVulkanDevice("Vulkan device '" + info_.name + "' has no compute queue");
  queue_family_ = static_cast<uint32_t>(chosen);
  timestamp_bits_ = queues[queue_family_].timestampValidBits;

  const float priority = 1.0f;
  VkDeviceQueueCreateInfo queue{};
  queue.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO;
  queue.queueFamilyIndex = queue_family_;
  queue.queueCount = 1;
  queue.pQueuePriorities = &priority;
  VkPhysicalDeviceFeatures features{};
  features.shaderInt64 = VK_TRUE;
  const char* extensions[] = {VK_KHR_PUSH_DESCRIPTOR_EXTENSION_NAME};
  VkDeviceCreateInfo create{};
  create.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO;
  create.queueCreateInfoCount = 1;
  create.pQueueCreateInfos = &queue;
  create.enabledExtensionCount = 1;
  create.ppEnabledExtensionNames = extensions;
  create.pEnabledFeatures = &features;
  const VkResult made = vkCreateDevice(physical_, &create, nullptr, &device_);
  if (made != VK_SUCCESS)
    throw NoVulkanDevice("cannot open Vulkan device '" + info_.name + "': vkCreateDevice gave " + result_name(made));
  vkGetDeviceQueue(device_, queue_family_, 0, &queue_);
  push_descriptor_set_ = reinterpret_cast<PFN_vkCmdPushDescriptorSetKHR>(
      vkGetDeviceProcAddr(device_, "vkCmdPushDescriptorSetKHR"));
  if (!push_descriptor_set_) {
    vkDestroyDevice(device_, nullptr);
    throw NoVulkanDevice("Vulkan device '" + info_.name + "' gives no vkCmdPushDescriptorSetKHR");
  }
}

VulkanContext::~VulkanContext() {
  vkDeviceWaitIdle(device_);
  vkDestroyDevice(device_, nullptr);
}

}  // namespace gapscope::gpu

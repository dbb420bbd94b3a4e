#include "gpu/vulkan/device_list.h"

#include "gpu/vulkan/driver_pinning.h"

#include <vulkan/vulkan.h>

#include <algorithm>
#include <cctype>

namespace gapscope::gpu {
namespace {

std::string version_text(uint32_t v) {
  return std::to_string(VK_API_VERSION_MAJOR(v)) + "." + std::to_string(VK_API_VERSION_MINOR(v)) + "." +
         std::to_string(VK_API_VERSION_PATCH(v));
}

DeviceKind kind_of(VkPhysicalDeviceType type) {
  switch (type) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return DeviceKind::discrete;
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return DeviceKind::integrated;
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return DeviceKind::virtual_gpu;
    case VK_PHYSICAL_DEVICE_TYPE_CPU: return DeviceKind::software;
    default: return DeviceKind::other;
  }
}

int rank_of(DeviceKind kind) {
  switch (kind) {
    case DeviceKind::discrete: return 0;
    case DeviceKind::integrated: return 1;
    case DeviceKind::virtual_gpu: return 2;
    case DeviceKind::other: return 3;
    case DeviceKind::software: return 4;
  }
  return 5;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

DeviceInfo describe_device(VkPhysicalDevice device, int index) {
  VkPhysicalDeviceSubgroupProperties subgroup{};
  subgroup.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES;
  VkPhysicalDeviceDriverProperties driver{};
  driver.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES;
  driver.pNext = &subgroup;
  VkPhysicalDeviceProperties2 properties{};
  properties.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2;
  properties.pNext = &driver;
  vkGetPhysicalDeviceProperties2(device, &properties);
  const VkPhysicalDeviceProperties& p = properties.properties;

  DeviceInfo info;
  info.index = index;
  info.name = p.deviceName;
  info.kind = kind_of(p.deviceType);
  info.api_version = version_text(p.apiVersion);
  info.driver = std::string(driver.driverName) + (driver.driverInfo[0] ? std::string(": ") + driver.driverInfo : "");
  info.vendor_id = p.vendorID;
  info.device_id = p.deviceID;
  info.max_workgroup_invocations = p.limits.maxComputeWorkGroupInvocations;
  info.max_shared_memory_bytes = p.limits.maxComputeSharedMemorySize;
  info.subgroup_size = subgroup.subgroupSize;
  info.timestamp_period_ns = p.limits.timestampPeriod;

  VkPhysicalDeviceMemoryProperties memory;
  vkGetPhysicalDeviceMemoryProperties(device, &memory);
  for (uint32_t i = 0; i < memory.memoryHeapCount; ++i)
    if (memory.memoryHeaps[i].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT)
      info.device_local_bytes = std::max<uint64_t>(info.device_local_bytes, memory.memoryHeaps[i].size);

  uint32_t families = 0;
  vkGetPhysicalDeviceQueueFamilyProperties(device, &families, nullptr);
  std::vector<VkQueueFamilyProperties> queues(families);
  vkGetPhysicalDeviceQueueFamilyProperties(device, &families, queues.data());
  for (const VkQueueFamilyProperties& q : queues)
    if (q.queueFlags & VK_QUEUE_COMPUTE_BIT) {
      info.has_compute_queue = true;
      info.timestamps = info.timestamps || q.timestampValidBits > 0;
    }
  return info;
}

std::string device_kind_name(DeviceKind kind) {
  switch (kind) {
    case DeviceKind::discrete: return "discrete";
    case DeviceKind::integrated: return "integrated";
    case DeviceKind::virtual_gpu: return "virtual";
    case DeviceKind::software: return "software";
    case DeviceKind::other: return "other";
  }
  return "other";
}

VulkanInstance::VulkanInstance() {
  pin_vulkan_drivers_for_leak_checks();
  VkApplicationInfo app{};
  app.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO;
  app.pApplicationName = "gapscope";
  app.apiVersion = VK_API_VERSION_1_2;
  VkInstanceCreateInfo create{};
  create.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO;
  create.pApplicationInfo = &app;
  const VkResult made = vkCreateInstance(&create, nullptr, &handle_);
  if (made != VK_SUCCESS)
    throw NoVulkanDevice("Vulkan is not usable here: vkCreateInstance failed (VkResult " + std::to_string(made) +
                         "); install a Vulkan driver (e.g. mesa-vulkan-drivers for the software device lavapipe)");
}

VulkanInstance::~VulkanInstance() { vkDestroyInstance(handle_, nullptr); }

std::vector<VkPhysicalDevice> VulkanInstance::physical_devices() const {
  uint32_t count = 0;
  vkEnumeratePhysicalDevices(handle_, &count, nullptr);
  std::vector<VkPhysicalDevice> devices(count);
  vkEnumeratePhysicalDevices(handle_, &count, devices.data());
  return devices;
}

std::vector<DeviceInfo> list_devices() {
  VulkanInstance instance;
  std::vector<DeviceInfo> infos;
  const std::vector<VkPhysicalDevice> devices = instance.physical_devices();
  for (size_t i = 0; i < devices.size(); ++i) infos.push_back(describe_device(devices[i], static_cast<int>(i)));
  return infos;
}

std::vector<DeviceInfo> rank_devices(std::vector<DeviceInfo> devices) {
  std::erase_if(devices, [](const DeviceInfo& d) { return !d.has_compute_queue; });
  std::stable_sort(devices.begin(), devices.end(), [](const DeviceInfo& a, const DeviceInfo& b) {
    if (rank_of(a.kind) != rank_of(b.kind)) return rank_of(a.kind) < rank_of(b.kind);
    if (a.device_local_bytes != b.device_local_bytes) return a.device_local_bytes > b.device_local_bytes;
    return a.index < b.index;
  });
  return devices;
}

DeviceInfo choose_device(const std::vector<DeviceInfo>& devices, const std::string& wanted) {
  const std::vector<DeviceInfo> ranked = rank_devices(devices);
  if (ranked.empty())
    throw NoVulkanDevice("no Vulkan device with a compute queue" +
                         std::string(devices.empty() ? " (none at all; install a driver, e.g. mesa-vulkan-drivers)" : ""));
  if (wanted.empty()) return ranked.front();
  const bool is_index = std::all_of(wanted.begin(), wanted.end(), [](unsigned char c) { return std::isdigit(c); });
  for (const DeviceInfo& d : ranked) {
    if (is_index ? std::to_string(d.index) == wanted : lower(d.name).find(lower(wanted)) != std::string::npos)
      return d;
  }
  std::string known;
  for (const DeviceInfo& d : ranked)
    known += (known.empty() ? "" : ", ") + std::to_string(d.index) + ": " + d.name + " (" + device_kind_name(d.kind) + ")";
  throw NoVulkanDevice("no Vulkan device matches '" + wanted + "'; there are: " + known);
}

}  // namespace gapscope::gpu

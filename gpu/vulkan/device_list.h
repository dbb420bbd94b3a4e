// The Vulkan devices of this machine and the choice among them: the first
// piece of the native-vulkan backend. Software devices (Mesa's lavapipe) are
// labelled as such, so no record can pass one off as a GPU.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <vulkan/vulkan.h>

#include <string>
#include <vector>

#include "core/ops/ops_backend.h"

namespace gapscope::gpu {

enum class DeviceKind { discrete, integrated, virtual_gpu, software, other };

// "discrete", "integrated", "virtual", "software", "other".
std::string device_kind_name(DeviceKind kind);

struct DeviceInfo {
  int index = 0;            // position in vkEnumeratePhysicalDevices
  std::string name;         // "NVIDIA H100 80GB HBM3", "llvmpipe (LLVM 15.0.6, 256 bits)"
  DeviceKind kind = DeviceKind::other;
  std::string api_version;  // "1.3.230"
  std::string driver;       // driver name and info, e.g. "llvmpipe: Mesa 22.3.6"
  uint32_t vendor_id = 0, device_id = 0;
  uint64_t device_local_bytes = 0;  // largest DEVICE_LOCAL heap
  uint32_t max_workgroup_invocations = 0;
  uint32_t max_shared_memory_bytes = 0;
  uint32_t subgroup_size = 0;
  bool has_compute_queue = false;
  bool timestamps = false;  // compute queue timestamps valid
  double timestamp_period_ns = 0;
};

// No usable Vulkan (no loader, no driver, no device with a compute queue, a
// failed instance): the message says which and what to install.
class NoVulkanDevice : public BackendUnavailable {
 public:
  using BackendUnavailable::BackendUnavailable;
};

// A Vulkan 1.2 instance (no layers, no extensions); NoVulkanDevice when none
// can be made.
class VulkanInstance {
 public:
  VulkanInstance();
  ~VulkanInstance();
  VulkanInstance(const VulkanInstance&) = delete;
  VulkanInstance& operator=(const VulkanInstance&) = delete;
  VkInstance handle() const { return handle_; }
  std::vector<VkPhysicalDevice> physical_devices() const;  // enumeration order

 private:
  VkInstance handle_ = VK_NULL_HANDLE;
};

DeviceInfo describe_device(VkPhysicalDevice device, int index);

// Every physical device, in enumeration order. Throws NoVulkanDevice when the
// instance cannot be made (e.g. no ICD); an empty list is not an error here.
std::vector<DeviceInfo> list_devices();

// Best first: discrete > integrated > virtual > other > software, then more
// device-local memory, then enumeration order. Devices without a compute
// queue are dropped.
std::vector<DeviceInfo> rank_devices(std::vector<DeviceInfo> devices);

// The device to use: `wanted` empty -> the best; else an index ("1") or a
// case-insensitive part of the name ("llvmpipe", "h100"). NoVulkanDevice when
// there is none, or when `wanted` matches nothing (listing what there is).
DeviceInfo choose_device(const std::vector<DeviceInfo>& devices, const std::string& wanted);

// Where a run's choice comes from: --device, else $GAPSCOPE_VULKAN_DEVICE.
inline constexpr const char* kDeviceEnvironmentVariable = "GAPSCOPE_VULKAN_DEVICE";

}  // namespace gapscope::gpu

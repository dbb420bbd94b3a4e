// Everything one Vulkan device needs at run time, shared (shared_ptr) between
// the backend and the tensors it allocated, so a tensor outliving the backend
// still frees its memory into a live allocator.
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "gpu/vulkan/command_stream.h"
#include "gpu/vulkan/device_memory.h"
#include "gpu/vulkan/kernel_library.h"
#include "gpu/vulkan/vulkan_context.h"

namespace gapscope::gpu {

struct VulkanOptions {
  std::string device;               // as choose_device(): "" = best
  bool force_staging = false;       // keep tensors out of host-visible memory even where it is device-local
  uint64_t memory_limit_bytes = 0;  // > 0: cap on device memory for tensors
  bool timestamps = false;          // per-kernel GPU times (serialises dispatches)
};

// Errors kernels report through the status buffer (checked after every submit).
// Words: [code, value, limit, extra].
//   kStatusIdOutOfRange: value = the id (int32), limit = the table's rows.
//   kStatusClassOutOfRange: value = the target row, limit = the classes, extra = the stored value (float bits).
enum StatusCode : uint32_t { kStatusOk = 0, kStatusIdOutOfRange = 1, kStatusClassOutOfRange = 2 };

class VulkanDevice {
 public:
  explicit VulkanDevice(const VulkanOptions& options);
  ~VulkanDevice();

  VulkanContext context;
  DeviceMemory memory;
  KernelLibrary kernels;
  CommandStream stream;
  HostBuffer staging;   // uploads where tensors are not host-visible
  HostBuffer readback;  // downloads from memory the host cannot map
  HostBuffer status;    // uint32 [code, value, limit, extra], written by kernels
  uint64_t staging_used = 0;

  // Submits and waits; then resets the staging ring and throws what a kernel
  // reported (e.g. std::out_of_range for an embedding id).
  void flush();
  // Frees the range once no recorded work can still use it.
  void release_later(const DeviceRange& range);
  BufferUse status_use();
};

}  // namespace gapscope::gpu

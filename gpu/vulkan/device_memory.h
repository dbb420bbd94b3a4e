// Sub-allocation of device memory: a few large VkDeviceMemory blocks, each
// bound to one storage buffer, carved first-fit into aligned ranges (VMA is not
// packaged for Debian 12). Tensors live in these ranges for their whole life.
#pragma once
#include <vulkan/vulkan.h>

#include <cstdint>
#include <map>
#include <vector>

namespace gapscope::gpu {

class VulkanContext;

struct DeviceRange {
  VkBuffer buffer = VK_NULL_HANDLE;
  VkDeviceSize offset = 0, size = 0;  // bytes within buffer
  char* mapped = nullptr;             // host address of offset, when host-visible
  int block = -1;
};

class DeviceMemory {
 public:
  // host_visible_wanted: place tensors in memory the host can map (lavapipe,
  // integrated GPUs) so uploads skip staging. limit_bytes > 0 caps the blocks'
  // total (to test and to report what fits in a smaller device).
  DeviceMemory(const VulkanContext& context, bool host_visible_wanted, uint64_t limit_bytes);
  ~DeviceMemory();
  DeviceMemory(const DeviceMemory&) = delete;
  DeviceMemory& operator=(const DeviceMemory&) = delete;

  // Throws OutOfDeviceMemory (core/ops/ops_backend.h) naming the bytes asked for.
  DeviceRange allocate(uint64_t bytes);
  void release(const DeviceRange& range);

  bool host_visible() const { return host_visible_; }
  uint64_t bytes_in_use() const { return in_use_; }
  uint64_t peak_bytes_in_use() const { return peak_; }
  uint64_t bytes_reserved() const { return reserved_; }
  uint64_t limit_bytes() const { return limit_; }
  const char* memory_kind() const;  // "device-local", "device-local host-visible", "host"

 private:
  struct Block {
    VkDeviceMemory memory = VK_NULL_HANDLE;
    VkBuffer buffer = VK_NULL_HANDLE;
    VkDeviceSize size = 0;
    char* mapped = nullptr;
    std::map<VkDeviceSize, VkDeviceSize> free;  // offset -> size, coalesced
  };
  bool carve(int block, uint64_t bytes, DeviceRange& out);
  int add_block(uint64_t bytes);

  const VulkanContext& context_;
  uint32_t type_index_ = 0;
  bool host_visible_ = false;
  uint32_t flags_ = 0;
  uint64_t limit_ = 0, in_use_ = 0, peak_ = 0, reserved_ = 0;
  VkDeviceSize alignment_ = 256, max_range_ = 0;
  std::vector<Block> blocks_;
};

// One host-visible, coherent buffer for staging uploads or reading results back.
class HostBuffer {
 public:
  HostBuffer(const VulkanContext& context, bool for_readback);
  ~HostBuffer();
  HostBuffer(const HostBuffer&) = delete;
  HostBuffer& operator=(const HostBuffer&) = delete;
  // Makes room for `bytes` (the buffer must not be in use by the device).
  void reserve(uint64_t bytes);
  VkBuffer buffer() const { return buffer_; }
  char* data() const { return mapped_; }
  uint64_t capacity() const { return capacity_; }

 private:
  void destroy();
  const VulkanContext& context_;
  bool readback_;
  VkBuffer buffer_ = VK_NULL_HANDLE;
  VkDeviceMemory memory_ = VK_NULL_HANDLE;
  char* mapped_ = nullptr;
  uint64_t capacity_ = 0;
};

}  // namespace gapscope::gpu

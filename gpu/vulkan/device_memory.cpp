#include "gpu/vulkan/device_memory.h"

#include <algorithm>
#include <string>

#include "core/ops/ops_backend.h"
#include "gpu/vulkan/vulkan_context.h"
#include "gpu/vulkan/vulkan_error.h"

namespace gapscope::gpu {
namespace {

constexpr uint64_t kBlockBytes = 64ull << 20;
constexpr VkBufferUsageFlags kUsage =
    VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;

std::string mib(uint64_t bytes) {
  return std::to_string((bytes + (1ull << 19)) >> 20) + " MiB";
}

// The first memory type allowed by type_bits with all of `required`, preferring
// those without any of `avoid`, on the largest heap.
int find_type(const VkPhysicalDeviceMemoryProperties& memory, uint32_t type_bits, uint32_t required,
              uint32_t avoid) {
  int best = -1;
  auto score = [&](uint32_t i) {
    const VkMemoryType& t = memory.memoryTypes[i];
    return std::pair<int, VkDeviceSize>((t.propertyFlags & avoid) ? 0 : 1, memory.memoryHeaps[t.heapIndex].size);
  };
  for (uint32_t i = 0; i < memory.memoryTypeCount; ++i) {
    if (!(type_bits & (1u << i)) || (memory.memoryTypes[i].propertyFlags & required) != required) continue;
    if (best < 0 || score(i) > score(static_cast<uint32_t>(best))) best = static_cast<int>(i);
  }
  return best;
}

struct BufferAndMemory {
  VkBuffer buffer = VK_NULL_HANDLE;
  VkDeviceMemory memory = VK_NULL_HANDLE;
};

// Creates a buffer of `bytes` and binds fresh memory of type `type` to it; on
// failure returns the VkResult and leaves nothing behind.
VkResult make_buffer(VkDevice device, uint64_t bytes, uint32_t type, BufferAndMemory& out) {
  VkBufferCreateInfo info{};
  info.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO;
  info.size = bytes;
  info.usage = kUsage;
  info.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
  VkResult r = vkCreateBuffer(device, &info, nullptr, &out.buffer);
  if (r != VK_SUCCESS) return r;
  VkMemoryRequirements needs;
  vkGetBufferMemoryRequirements(device, out.buffer, &needs);
  VkMemoryAllocateInfo allocate{};
  allocate.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO;
  allocate.allocationSize = needs.size;
  allocate.memoryTypeIndex = type;
  r = vkAllocateMemory(device, &allocate, nullptr, &out.memory);
  if (r == VK_SUCCESS) r = vkBindBufferMemory(device, out.buffer, out.memory, 0);
  if (r != VK_SUCCESS) {
    vkDestroyBuffer(device, out.buffer, nullptr);
    if (out.memory) vkFreeMemory(device, out.memory, nullptr);
    out = {};
  }
  return r;
}

uint32_t buffer_type_bits(VkDevice device) {
  VkBufferCreateInfo info{};
  info.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO;
  info.size = 4096;
  info.usage = kUsage;
  VkBuffer probe;
  check(vkCreateBuffer(device, &info, nullptr, &probe), "vkCreateBuffer (probe)");
  VkMemoryRequirements needs;
  vkGetBufferMemoryRequirements(device, probe, &needs);
  vkDestroyBuffer(device, probe, nullptr);
  return needs.memoryTypeBits;
}

}  // namespace

DeviceMemory::DeviceMemory(const VulkanContext& context, bool host_visible_wanted, uint64_t limit_bytes)
    : context_(context), limit_(limit_bytes) {
  const uint32_t bits = buffer_type_bits(context.device());
  const uint32_t mappable = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
  int type = -1;
  if (host_visible_wanted)
    type = find_type(context.memory(), bits, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT | mappable, 0);
  if (type < 0)  // a discrete GPU's own memory: not mapped, on the biggest heap
    type = find_type(context.memory(), bits, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT);
  if (type < 0) type = find_type(context.memory(), bits, 0, 0);
  if (type < 0) throw VulkanError("no memory type for storage buffers", VK_ERROR_FEATURE_NOT_PRESENT);
  type_index_ = static_cast<uint32_t>(type);
  flags_ = context.memory().memoryTypes[type_index_].propertyFlags;
  host_visible_ = host_visible_wanted && (flags_ & mappable) == mappable;
  const VkPhysicalDeviceLimits& limits = context.limits();
  alignment_ = std::max<VkDeviceSize>({256, limits.minStorageBufferOffsetAlignment, limits.nonCoherentAtomSize});
  max_range_ = limits.maxStorageBufferRange;
}

DeviceMemory::~DeviceMemory() {
  for (Block& b : blocks_) {
    vkDestroyBuffer(context_.device(), b.buffer, nullptr);
    vkFreeMemory(context_.device(), b.memory, nullptr);
  }
}

const char* DeviceMemory::memory_kind() const {
  if (!(flags_ & VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT)) return "host";
  return host_visible_ ? "device-local host-visible" : "device-local";
}

bool DeviceMemory::carve(int block, uint64_t bytes, DeviceRange& out) {
  Block& b = blocks_[static_cast<size_t>(block)];
  for (auto it = b.free.begin(); it != b.free.end(); ++it) {
    if (it->second < bytes) continue;
    const VkDeviceSize offset = it->first, left = it->second - bytes;
    b.free.erase(it);
    if (left) b.free.emplace(offset + bytes, left);
    out = {b.buffer, offset, bytes, b.mapped ? b.mapped + offset : nullptr, block};
    return true;
  }
  return false;
}

int DeviceMemory::add_block(uint64_t bytes) {
  const uint64_t size = std::max(bytes, kBlockBytes);
  if (limit_ && reserved_ + bytes > limit_) return -1;
  uint64_t granted = limit_ ? std::min(size, limit_ - reserved_) : size;
  BufferAndMemory made;
  if (make_buffer(context_.device(), granted, type_index_, made) != VK_SUCCESS) {
    // A smaller block may still fit where the default one did not.
    if (granted == bytes || make_buffer(context_.device(), bytes, type_index_, made) != VK_SUCCESS) return -1;
    granted = bytes;
  }
  Block b;
  b.buffer = made.buffer;
  b.memory = made.memory;
  b.size = granted;
  if (host_visible_) {
    void* p = nullptr;
    check(vkMapMemory(context_.device(), b.memory, 0, VK_WHOLE_SIZE, 0, &p), "vkMapMemory");
    b.mapped = static_cast<char*>(p);
  }
  b.free.emplace(0, b.size);
  reserved_ += b.size;
  blocks_.push_back(std::move(b));
  return static_cast<int>(blocks_.size()) - 1;
}

DeviceRange DeviceMemory::allocate(uint64_t bytes) {
  const uint64_t rounded = std::max<uint64_t>(alignment_, (bytes + alignment_ - 1) / alignment_ * alignment_);
  auto fail = [&](const std::string& why) {
    return OutOfDeviceMemory("out of device memory on '" + context_.info().name + "': a tensor of " +
                                 std::to_string(bytes) + " bytes (" + mib(bytes) + ") " + why + "; " +
                                 mib(in_use_) + " in use",
                             bytes);
  };
  if (bytes > max_range_)
    throw fail("exceeds the device's largest storage buffer (" + mib(max_range_) + ")");
  DeviceRange out;
  for (size_t i = 0; i < blocks_.size(); ++i)
    if (carve(static_cast<int>(i), rounded, out)) break;
  if (!out.buffer) {
    const int block = add_block(rounded);
    if (block < 0)
      throw fail(limit_ ? "does not fit the limit of " + mib(limit_) + " (" + mib(reserved_) + " reserved)"
                        : "could not be allocated (" + mib(reserved_) + " reserved)");
    carve(block, rounded, out);
  }
  in_use_ += out.size;
  peak_ = std::max(peak_, in_use_);
  return out;
}

void DeviceMemory::release(const DeviceRange& range) {
  Block& b = blocks_.at(static_cast<size_t>(range.block));
  in_use_ -= range.size;
  auto next = b.free.emplace(range.offset, range.size).first;
  if (auto after = std::next(next); after != b.free.end() && next->first + next->second == after->first) {
    next->second += after->second;
    b.free.erase(after);
  }
  if (next != b.free.begin()) {
    auto before = std::prev(next);
    if (before->first + before->second == next->first) {
      before->second += next->second;
      b.free.erase(next);
    }
  }
}

HostBuffer::HostBuffer(const VulkanContext& context, bool for_readback)
    : context_(context), readback_(for_readback) {}

HostBuffer::~HostBuffer() { destroy(); }

void HostBuffer::destroy() {
  if (mapped_) vkUnmapMemory(context_.device(), memory_);
  if (buffer_) vkDestroyBuffer(context_.device(), buffer_, nullptr);
  if (memory_) vkFreeMemory(context_.device(), memory_, nullptr);
  buffer_ = VK_NULL_HANDLE;
  memory_ = VK_NULL_HANDLE;
  mapped_ = nullptr;
  capacity_ = 0;
}

void HostBuffer::reserve(uint64_t bytes) {
  if (bytes <= capacity_) return;
  destroy();
  const uint64_t size = std::max<uint64_t>(bytes + bytes / 2, 1 << 20);
  const uint32_t bits = buffer_type_bits(context_.device());
  const uint32_t mappable = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
  // Reading back wants cached memory; uploads want memory not cached on the host.
  int type = find_type(context_.memory(), bits, mappable | (readback_ ? VK_MEMORY_PROPERTY_HOST_CACHED_BIT : 0), 0);
  if (type < 0) type = find_type(context_.memory(), bits, mappable, 0);
  if (type < 0) throw VulkanError("no host-visible memory type", VK_ERROR_FEATURE_NOT_PRESENT);
  BufferAndMemory made;
  const VkResult r = make_buffer(context_.device(), size, static_cast<uint32_t>(type), made);
  if (r != VK_SUCCESS)
    throw OutOfDeviceMemory("cannot allocate a host staging buffer of " + mib(size) + ": " + result_name(r), size);
  buffer_ = made.buffer;
  memory_ = made.memory;
  void* p = nullptr;
  check(vkMapMemory(context_.device(), memory_, 0, VK_WHOLE_SIZE, 0, &p), "vkMapMemory (staging)");
  mapped_ = static_cast<char*>(p);
  capacity_ = size;
}

}  // namespace gapscope::gpu

// Records the backend's work into one command buffer and submits it only when
// the host needs a result (a download, synchronize): a training step is one
// submit. Barriers go in only where a dispatch touches bytes an earlier,
// unbarriered one wrote (or writes bytes one read). With timestamps on, every
// dispatch is bracketed by timestamps (and serialised, so times do not
// overlap) and summed into a kernel table.
#pragma once
#include <vulkan/vulkan.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace gapscope::gpu {

class VulkanContext;
class KernelLibrary;

// A storage buffer range bound for one dispatch or copy. [offset, offset+size)
// is what the descriptor covers; [touch_offset, touch_offset+touch_size) the
// bytes the operation may really read or write (a view inside the range).
struct BufferUse {
  VkBuffer buffer = VK_NULL_HANDLE;
  VkDeviceSize offset = 0, size = 0;
  VkDeviceSize touch_offset = 0, touch_size = 0;
  bool write = false;
};

struct KernelTime {
  std::string name, shape;
  int64_t count = 0;
  double total_us = 0;
};

struct StreamCounters {
  int64_t dispatches = 0, transfers = 0, barriers = 0, submits = 0;
};

class CommandStream {
 public:
  CommandStream(const VulkanContext& context, KernelLibrary& kernels);
  ~CommandStream();
  CommandStream(const CommandStream&) = delete;
  CommandStream& operator=(const CommandStream&) = delete;

  // push: kPushBytes at most. `shape` labels the kernel table row.
  void dispatch(const std::string& kernel, std::span<const BufferUse> buffers, const void* push,
                uint32_t push_bytes, uint32_t groups_x, uint32_t groups_y, uint32_t groups_z,
                const std::string& shape);
  void copy(const BufferUse& src, const BufferUse& dst, VkDeviceSize bytes);
  void fill(const BufferUse& dst, uint32_t value);

  // Submits what was recorded and waits for it; then runs the callbacks queued
  // by after_flush (e.g. releasing memory the work used). No-op when empty.
  void flush();
  bool empty() const { return !recording_; }
  void after_flush(std::function<void()> callback);
  // Whether recorded, unsubmitted work touches these bytes.
  bool pending_touches(VkBuffer buffer, VkDeviceSize offset, VkDeviceSize size) const;

  const StreamCounters& counters() const { return counters_; }
  void set_timestamps(bool on);
  bool timestamps() const { return timestamps_; }
  // Accumulated kernel times (timestamps on), most time first.
  std::vector<KernelTime> kernel_table() const;
  void clear_kernel_table() { table_.clear(); }

 private:
  struct Touch {
    VkBuffer buffer;
    VkDeviceSize begin, end;
    bool write;
  };
  VkCommandBuffer begin();
  void order_after_hazards(std::span<const BufferUse> uses);
  void barrier();
  void collect_timestamps();

  const VulkanContext& context_;
  KernelLibrary& kernels_;
  VkCommandPool pool_ = VK_NULL_HANDLE;
  VkCommandBuffer buffer_ = VK_NULL_HANDLE;
  VkFence fence_ = VK_NULL_HANDLE;
  bool recording_ = false;
  std::vector<Touch> since_barrier_, since_submit_;
  std::vector<std::function<void()>> after_flush_;
  StreamCounters counters_;

  bool timestamps_ = false;
  VkQueryPool queries_ = VK_NULL_HANDLE;
  uint32_t queries_used_ = 0;
  std::vector<std::pair<std::string, std::string>> timed_;  // (kernel, shape) per query pair
  std::map<std::pair<std::string, std::string>, KernelTime> table_;
};

}  // namespace gapscope::gpu

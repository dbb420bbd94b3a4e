#include "gpu/vulkan/command_stream.h"

#include <algorithm>

#include "gpu/vulkan/kernel_library.h"
#include "gpu/vulkan/vulkan_context.h"
#include "gpu/vulkan/vulkan_error.h"

namespace gapscope::gpu {
namespace {

constexpr uint32_t kMaxQueries = 4096;  // timestamp pairs per submit, then a flush
constexpr VkPipelineStageFlags kWorkStages = VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT;

bool overlaps(VkBuffer buffer, VkDeviceSize begin, VkDeviceSize end, VkBuffer b2, VkDeviceSize begin2,
              VkDeviceSize end2) {
  return buffer == b2 && begin < end2 && begin2 < end;
}

}  // namespace

CommandStream::CommandStream(const VulkanContext& context, KernelLibrary& kernels)
    : context_(context), kernels_(kernels) {
  VkCommandPoolCreateInfo pool{};
  pool.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO;
  pool.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
  pool.queueFamilyIndex = context.queue_family();
  check(vkCreateCommandPool(context.device(), &pool, nullptr, &pool_), "vkCreateCommandPool");
  VkCommandBufferAllocateInfo allocate{};
  allocate.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO;
  allocate.commandPool = pool_;
  allocate.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
  allocate.commandBufferCount = 1;
  check(vkAllocateCommandBuffers(context.device(), &allocate, &buffer_), "vkAllocateCommandBuffers");
  VkFenceCreateInfo fence{};
  fence.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO;
  check(vkCreateFence(context.device(), &fence, nullptr, &fence_), "vkCreateFence");
}

CommandStream::~CommandStream() {
  try {
    flush();
  } catch (...) {  // the device is gone; nothing left to wait for
  }
  if (queries_) vkDestroyQueryPool(context_.device(), queries_, nullptr);
  vkDestroyFence(context_.device(), fence_, nullptr);
  vkDestroyCommandPool(context_.device(), pool_, nullptr);
}

void CommandStream::set_timestamps(bool on) {
  if (on && !context_.timestamps())
    throw std::runtime_error("Vulkan device '" + context_.info().name + "' has no timestamps on its compute queue");
  flush();
  timestamps_ = on;
  if (on && !queries_) {
    VkQueryPoolCreateInfo info{};
    info.sType = VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO;
    info.queryType = VK_QUERY_TYPE_TIMESTAMP;
    info.queryCount = kMaxQueries;
    check(vkCreateQueryPool(context_.device(), &info, nullptr, &queries_), "vkCreateQueryPool");
  }
}

VkCommandBuffer CommandStream::begin() {
  if (recording_) return buffer_;
  VkCommandBufferBeginInfo info{};
  info.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO;
  info.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
  check(vkBeginCommandBuffer(buffer_, &info), "vkBeginCommandBuffer");
  if (timestamps_) vkCmdResetQueryPool(buffer_, queries_, 0, kMaxQueries);
  recording_ = true;
  return buffer_;
}

void CommandStream::barrier() {
  VkMemoryBarrier memory{};
  memory.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER;
  memory.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
  memory.dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_READ_BIT |
                         VK_ACCESS_TRANSFER_WRITE_BIT;
  vkCmdPipelineBarrier(buffer_, kWorkStages, kWorkStages, 0, 1, &memory, 0, nullptr, 0, nullptr);
  since_barrier_.clear();
  ++counters_.barriers;
}

bool CommandStream::pending_touches(VkBuffer buffer, VkDeviceSize offset, VkDeviceSize size) const {
  return std::any_of(since_submit_.begin(), since_submit_.end(), [&](const Touch& t) {
    return overlaps(t.buffer, t.begin, t.end, buffer, offset, offset + size);
  });
}

// Read after write, write after write and write after read each need the
// earlier work finished (and its writes visible) first; reads after reads and
// disjoint bytes need nothing. Timestamped runs serialise everything.
void CommandStream::order_after_hazards(std::span<const BufferUse> uses) {
  bool hazard = timestamps_ && counters_.dispatches + counters_.transfers > 0;
  for (const BufferUse& u : uses) {
    for (const Touch& t : since_barrier_)
      if ((t.write || u.write) &&
          overlaps(t.buffer, t.begin, t.end, u.buffer, u.touch_offset, u.touch_offset + u.touch_size))
        hazard = true;
  }
  if (hazard && !since_barrier_.empty()) barrier();
  for (const BufferUse& u : uses) {
    Touch t{u.buffer, u.touch_offset, u.touch_offset + u.touch_size, u.write};
    since_barrier_.push_back(t);
    since_submit_.push_back(t);
  }
}

void CommandStream::dispatch(const std::string& kernel, std::span<const BufferUse> buffers, const void* push,
                             uint32_t push_bytes, uint32_t groups_x, uint32_t groups_y, uint32_t groups_z,
                             const std::string& shape) {
  if (buffers.size() > kMaxBindings || push_bytes > kPushBytes)
    throw std::logic_error("kernel " + kernel + ": too many bindings or push constants");
  if (groups_x == 0 || groups_y == 0 || groups_z == 0) return;
  const VkPipeline pipeline = kernels_.pipeline(kernel);
  if (timestamps_ && queries_used_ + 2 > kMaxQueries) flush();
  VkCommandBuffer cmd = begin();
  order_after_hazards(buffers);
  VkDescriptorBufferInfo infos[kMaxBindings];
  VkWriteDescriptorSet writes[kMaxBindings];
  for (size_t i = 0; i < buffers.size(); ++i) {
    infos[i] = {buffers[i].buffer, buffers[i].offset, buffers[i].size};
    writes[i] = {};
    writes[i].sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET;
    writes[i].dstBinding = static_cast<uint32_t>(i);
    writes[i].descriptorCount = 1;
    writes[i].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
    writes[i].pBufferInfo = &infos[i];
  }
  vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline);
  context_.push_descriptor_set()(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, kernels_.layout(), 0,
                                 static_cast<uint32_t>(buffers.size()), writes);
  if (push_bytes) vkCmdPushConstants(cmd, kernels_.layout(), VK_SHADER_STAGE_COMPUTE_BIT, 0, push_bytes, push);
  if (timestamps_) {
    vkCmdWriteTimestamp(cmd, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, queries_, queries_used_++);
    timed_.emplace_back(kernel, shape);
  }
  vkCmdDispatch(cmd, groups_x, groups_y, groups_z);
  if (timestamps_) vkCmdWriteTimestamp(cmd, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, queries_, queries_used_++);
  ++counters_.dispatches;
}

void CommandStream::copy(const BufferUse& src, const BufferUse& dst, VkDeviceSize bytes) {
  VkCommandBuffer cmd = begin();
  const BufferUse uses[] = {src, dst};
  order_after_hazards(uses);
  VkBufferCopy region{src.touch_offset, dst.touch_offset, bytes};
  vkCmdCopyBuffer(cmd, src.buffer, dst.buffer, 1, &region);
  ++counters_.transfers;
}

void CommandStream::fill(const BufferUse& dst, uint32_t value) {
  VkCommandBuffer cmd = begin();
  order_after_hazards(std::span<const BufferUse>(&dst, 1));
  vkCmdFillBuffer(cmd, dst.buffer, dst.touch_offset, dst.touch_size, value);
  ++counters_.transfers;
}

void CommandStream::after_flush(std::function<void()> callback) {
  if (!recording_) {
    callback();
    return;
  }
  after_flush_.push_back(std::move(callback));
}

void CommandStream::flush() {
  if (!recording_) return;
  // Make the device's writes visible to the host that is about to read them.
  VkMemoryBarrier memory{};
  memory.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER;
  memory.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
  memory.dstAccessMask = VK_ACCESS_HOST_READ_BIT;
  vkCmdPipelineBarrier(buffer_, kWorkStages, VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &memory, 0, nullptr, 0, nullptr);
  recording_ = false;
  since_barrier_.clear();
  since_submit_.clear();
  check(vkEndCommandBuffer(buffer_), "vkEndCommandBuffer");
  VkSubmitInfo submit{};
  submit.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO;
  submit.commandBufferCount = 1;
  submit.pCommandBuffers = &buffer_;
  check(vkQueueSubmit(context_.queue(), 1, &submit, fence_), "vkQueueSubmit");
  ++counters_.submits;
  const VkResult waited = vkWaitForFences(context_.device(), 1, &fence_, VK_TRUE, UINT64_MAX);
  vkResetFences(context_.device(), 1, &fence_);
  vkResetCommandBuffer(buffer_, 0);
  check(waited, "vkWaitForFences");
  if (timestamps_) collect_timestamps();
  std::vector<std::function<void()>> callbacks;
  callbacks.swap(after_flush_);
  for (auto& c : callbacks) c();
}

void CommandStream::collect_timestamps() {
  if (queries_used_ == 0) return;
  std::vector<uint64_t> ticks(queries_used_);
  check(vkGetQueryPoolResults(context_.device(), queries_, 0, queries_used_, ticks.size() * sizeof(uint64_t),
                              ticks.data(), sizeof(uint64_t), VK_QUERY_RESULT_64_BIT | VK_QUERY_RESULT_WAIT_BIT),
        "vkGetQueryPoolResults");
  const double us_per_tick = context_.limits().timestampPeriod / 1000.0;
  for (size_t i = 0; i < timed_.size(); ++i) {
    KernelTime& row = table_[timed_[i]];
    row.name = timed_[i].first;
    row.shape = timed_[i].second;
    ++row.count;
    row.total_us += static_cast<double>(ticks[2 * i + 1] - ticks[2 * i]) * us_per_tick;
  }
  timed_.clear();
  queries_used_ = 0;
}

std::vector<KernelTime> CommandStream::kernel_table() const {
  std::vector<KernelTime> rows;
  for (const auto& [key, row] : table_) rows.push_back(row);
  std::sort(rows.begin(), rows.end(), [](const KernelTime& a, const KernelTime& b) { return a.total_us > b.total_us; });
  return rows;
}

}  // namespace gapscope::gpu

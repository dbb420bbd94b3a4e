#include "gpu/vulkan/vulkan_device.h"

#include <bit>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace gapscope::gpu {

VulkanDevice::VulkanDevice(const VulkanOptions& options)
    : context(options.device),
      memory(context, !options.force_staging && context.info().kind != DeviceKind::discrete,
             options.memory_limit_bytes),
      kernels(context),
      stream(context, kernels),
      staging(context, false),
      readback(context, true),
      status(context, true) {
  status.reserve(256);
  std::memset(status.data(), 0, 256);
  if (options.timestamps) stream.set_timestamps(true);
}

VulkanDevice::~VulkanDevice() {
  try {
    stream.flush();
  } catch (...) {  // lost device: nothing to wait for
  }
}

BufferUse VulkanDevice::status_use() {
  return {status.buffer(), 0, 256, 0, 16, true};
}

void VulkanDevice::flush() {
  stream.flush();
  staging_used = 0;
  uint32_t word[4];
  std::memcpy(word, status.data(), sizeof word);
  if (word[0] == kStatusOk) return;
  std::memset(status.data(), 0, sizeof word);
  if (word[0] == kStatusIdOutOfRange)
    throw std::out_of_range("embedding id " + std::to_string(static_cast<int32_t>(word[1])) + " is outside the table's rows [0, " +
                            std::to_string(word[2]) + ")");
  if (word[0] == kStatusClassOutOfRange) {
    char text[160];
    std::snprintf(text, sizeof text, "sparse target row %u holds %g, not a class index in [0, %u)", word[1],
                  static_cast<double>(std::bit_cast<float>(word[3])), word[2]);
    throw std::invalid_argument(text);
  }
  throw std::runtime_error("Vulkan kernel reported status " + std::to_string(word[0]));
}

void VulkanDevice::release_later(const DeviceRange& range) {
  stream.after_flush([this, range] { memory.release(range); });
}

}  // namespace gapscope::gpu

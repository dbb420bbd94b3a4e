#include "gpu/vulkan/vulkan_backend.h"

#include <algorithm>
#include <bit>
#include <stdexcept>

namespace gapscope::gpu {
namespace {

class VulkanStorage final : public Storage {
 public:
  VulkanStorage(std::shared_ptr<VulkanDevice> device, int64_t floats)
      : device_(std::move(device)),
        floats_(floats),
        range_(device_->memory.allocate(static_cast<uint64_t>(std::max<int64_t>(floats, 1)) * 4)) {}
  ~VulkanStorage() override { device_->release_later(range_); }
  float* host_data() override { return nullptr; }  // device memory: only ops touch it
  int64_t size() const override { return floats_; }
  const DeviceRange& range() const { return range_; }

 private:
  std::shared_ptr<VulkanDevice> device_;
  int64_t floats_;
  DeviceRange range_;
};

const VulkanStorage& storage_of(const Tensor& t) {
  const auto* s = dynamic_cast<const VulkanStorage*>(t.storage());
  if (!s) throw std::invalid_argument("tensor " + shape_to_string(t.shape()) + " was not allocated by native-vulkan");
  return *s;
}

void require_size(int64_t tensor, size_t host, const char* what) {
  if (tensor != static_cast<int64_t>(host))
    throw std::invalid_argument(std::string(what) + ": tensor has " + std::to_string(tensor) + " values, host span " +
                                std::to_string(host));
}

}  // namespace

VulkanBackend::VulkanBackend(const VulkanOptions& options) : device_(std::make_shared<VulkanDevice>(options)) {}

VulkanBackend::~VulkanBackend() = default;

Capabilities VulkanBackend::capabilities() const {
  const DeviceInfo& d = device_->context.info();
  return {{"device", d.name},
          {"device_type", device_kind_name(d.kind)},
          {"vulkan_api", d.api_version},
          {"driver", d.driver},
          {"tensor_memory", device_->memory.memory_kind()},
          {"timestamps", device_->stream.timestamps() ? "on" : "off"}};
}

VulkanBackend::Groups VulkanBackend::linear_groups(int64_t n, uint32_t size) {
  const int64_t groups = (std::max<int64_t>(n, 1) + size - 1) / size;
  return {static_cast<uint32_t>(std::min<int64_t>(groups, 65535)), 1, 1};
}

BufferUse VulkanBackend::use(const Tensor& t, bool write) const {
  const DeviceRange& r = storage_of(t).range();
  return {r.buffer, r.offset, r.size, r.offset + static_cast<VkDeviceSize>(t.offset()) * 4,
          static_cast<VkDeviceSize>(t.size()) * 4, write};
}

void VulkanBackend::dispatch(const std::string& kernel, std::initializer_list<Arg> args, uint32_t* offsets,
                             const void* push, uint32_t push_bytes, Groups groups, const std::string& shape,
                             bool status) {
  BufferUse uses[kMaxBindings];
  size_t n = 0;
  for (const Arg& a : args) {
    if (n >= kMaxBindings) throw std::logic_error("kernel " + kernel + " binds more than 8 buffers");
    offsets[n] = static_cast<uint32_t>(a.tensor->offset());
    uses[n++] = use(*a.tensor, a.write);
  }
  if (status) uses[n++] = device_->status_use();
  if (n > kMaxBindings) throw std::logic_error("kernel " + kernel + " binds more than 8 buffers");
  device_->stream.dispatch(kernel, std::span<const BufferUse>(uses, n), push, push_bytes, groups.x, groups.y,
                           groups.z, shape.empty() ? shape_to_string(args.begin()->tensor->shape()) : shape);
}

Tensor VulkanBackend::allocate(const Shape& shape) {
  auto storage = std::make_shared<VulkanStorage>(device_, element_count(shape));
  Tensor t(shape, storage);
  // Fresh ranges are never in use by recorded work (frees wait for the submit).
  if (const DeviceRange& r = storage->range(); r.mapped)
    std::memset(r.mapped, 0, r.size);
  else
    device_->stream.fill(use(t, true), 0);
  return t;
}

void VulkanBackend::upload(Tensor& dst, std::span<const float> src) {
  require_size(dst.size(), src.size(), "upload");
  if (src.empty()) return;
  const DeviceRange& r = storage_of(dst).range();
  const BufferUse to = use(dst, true);
  if (r.mapped && !device_->stream.pending_touches(to.buffer, to.touch_offset, to.touch_size)) {
    std::memcpy(r.mapped + dst.offset() * 4, src.data(), src.size_bytes());
    return;
  }
  // Through the staging ring, in order with the recorded work.
  const uint64_t bytes = src.size_bytes();
  if (device_->staging_used + bytes > device_->staging.capacity()) {
    device_->flush();
    device_->staging.reserve(bytes);
  }
  std::memcpy(device_->staging.data() + device_->staging_used, src.data(), bytes);
  const BufferUse from{device_->staging.buffer(), 0, device_->staging.capacity(), device_->staging_used, bytes, false};
  device_->stream.copy(from, to, bytes);
  device_->staging_used += (bytes + 255) / 256 * 256;
}

void VulkanBackend::download(const Tensor& src, std::span<float> dst) {
  require_size(src.size(), dst.size(), "download");
  if (dst.empty()) return;
  const DeviceRange& r = storage_of(src).range();
  const BufferUse from = use(src, false);
  if (r.mapped) {
    if (device_->stream.pending_touches(from.buffer, from.touch_offset, from.touch_size)) device_->flush();
    std::memcpy(dst.data(), r.mapped + src.offset() * 4, dst.size_bytes());
    return;
  }
  const uint64_t bytes = dst.size_bytes();
  if (bytes > device_->readback.capacity()) {
    device_->flush();
    device_->readback.reserve(bytes);
  }
  const BufferUse to{device_->readback.buffer(), 0, device_->readback.capacity(), 0, bytes, true};
  device_->stream.copy(from, to, bytes);
  device_->flush();
  std::memcpy(dst.data(), device_->readback.data(), bytes);
}

void VulkanBackend::fill(Tensor& t, float value) {
  if (t.size() == 0) return;
  device_->stream.fill(use(t, true), std::bit_cast<uint32_t>(value));
}

void VulkanBackend::copy(const Tensor& src, Tensor& dst) {
  require_shape(dst, src.shape(), "copy: dst");
  if (src.size() == 0) return;
  device_->stream.copy(use(src, false), use(dst, true), static_cast<VkDeviceSize>(src.size()) * 4);
}

void VulkanBackend::synchronize() { device_->flush(); }

Tensor VulkanBackend::scratch(int slot, int64_t floats) {
  if (static_cast<int>(scratch_.size()) <= slot) scratch_.resize(static_cast<size_t>(slot) + 1);
  Tensor& t = scratch_[static_cast<size_t>(slot)];
  if (t.empty() || t.size() < floats) t = allocate({std::max<int64_t>(floats, 1024)});
  return t.reshaped({t.size()}).rows(0, floats);
}

}  // namespace gapscope::gpu

// The compute kernels: SPIR-V compiled from gpu/shaders at build time and
// embedded in the binary, turned into pipelines on first use and cached for
// the life of the device. Every kernel shares one pipeline layout: up to
// kMaxBindings storage buffers pushed per dispatch (VK_KHR_push_descriptor)
// and kPushBytes of push constants, the first kMaxBindings uints of which are
// the element offsets of the bound tensor views.
#pragma once
#include <vulkan/vulkan.h>

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>

namespace gapscope::gpu {

class VulkanContext;

inline constexpr uint32_t kMaxBindings = 8;
inline constexpr uint32_t kPushBytes = 128;

// The embedded SPIR-V of a kernel by name; empty when there is none.
std::span<const uint32_t> embedded_kernel(std::string_view name);

class KernelLibrary {
 public:
  explicit KernelLibrary(const VulkanContext& context);
  ~KernelLibrary();
  KernelLibrary(const KernelLibrary&) = delete;
  KernelLibrary& operator=(const KernelLibrary&) = delete;

  VkPipelineLayout layout() const { return layout_; }
  // Creates the pipeline the first time; throws std::logic_error for a name
  // that is not embedded.
  VkPipeline pipeline(const std::string& name);
  size_t pipelines_created() const { return pipelines_.size(); }

 private:
  const VulkanContext& context_;
  VkDescriptorSetLayout set_layout_ = VK_NULL_HANDLE;
  VkPipelineLayout layout_ = VK_NULL_HANDLE;
  VkPipelineCache cache_ = VK_NULL_HANDLE;
  std::map<std::string, VkPipeline, std::less<>> pipelines_;
};

}  // namespace gapscope::gpu

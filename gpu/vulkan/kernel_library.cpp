#include "gpu/vulkan/kernel_library.h"

#include <stdexcept>

#include "gpu/vulkan/vulkan_context.h"
#include "gpu/vulkan/vulkan_error.h"

namespace gapscope::gpu {

KernelLibrary::KernelLibrary(const VulkanContext& context) : context_(context) {
  VkDescriptorSetLayoutBinding bindings[kMaxBindings]{};
  for (uint32_t i = 0; i < kMaxBindings; ++i) {
    bindings[i].binding = i;
    bindings[i].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
    bindings[i].descriptorCount = 1;
    bindings[i].stageFlags = VK_SHADER_STAGE_COMPUTE_BIT;
  }
  VkDescriptorSetLayoutCreateInfo set{};
  set.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO;
  set.flags = VK_DESCRIPTOR_SET_LAYOUT_CREATE_PUSH_DESCRIPTOR_BIT_KHR;
  set.bindingCount = kMaxBindings;
  set.pBindings = bindings;
  check(vkCreateDescriptorSetLayout(context.device(), &set, nullptr, &set_layout_), "vkCreateDescriptorSetLayout");
  VkPushConstantRange push{VK_SHADER_STAGE_COMPUTE_BIT, 0, kPushBytes};
  VkPipelineLayoutCreateInfo layout{};
  layout.sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO;
  layout.setLayoutCount = 1;
  layout.pSetLayouts = &set_layout_;
  layout.pushConstantRangeCount = 1;
  layout.pPushConstantRanges = &push;
  check(vkCreatePipelineLayout(context.device(), &layout, nullptr, &layout_), "vkCreatePipelineLayout");
  VkPipelineCacheCreateInfo cache{};
  cache.sType = VK_STRUCTURE_TYPE_PIPELINE_CACHE_CREATE_INFO;
  check(vkCreatePipelineCache(context.device(), &cache, nullptr, &cache_), "vkCreatePipelineCache");
}

KernelLibrary::~KernelLibrary() {
  for (auto& [name, pipeline] : pipelines_) vkDestroyPipeline(context_.device(), pipeline, nullptr);
  vkDestroyPipelineCache(context_.device(), cache_, nullptr);
  vkDestroyPipelineLayout(context_.device(), layout_, nullptr);
  vkDestroyDescriptorSetLayout(context_.device(), set_layout_, nullptr);
}

VkPipeline KernelLibrary::pipeline(const std::string& name) {
  if (auto found = pipelines_.find(name); found != pipelines_.end()) return found->second;
  const std::span<const uint32_t> code = embedded_kernel(name);
  if (code.empty()) throw std::logic_error("no embedded Vulkan kernel named '" + name + "'");
  VkShaderModuleCreateInfo module_info{};
  module_info.sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO;
  module_info.codeSize = code.size_bytes();
  module_info.pCode = code.data();
  VkShaderModule module;
  check(vkCreateShaderModule(context_.device(), &module_info, nullptr, &module), ("vkCreateShaderModule " + name).c_str());
  VkComputePipelineCreateInfo info{};
  info.sType = VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO;
  info.stage.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO;
  info.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
  info.stage.module = module;
  info.stage.pName = "main";
  info.layout = layout_;
  VkPipeline pipeline;
  const VkResult r = vkCreateComputePipelines(context_.device(), cache_, 1, &info, nullptr, &pipeline);
  vkDestroyShaderModule(context_.device(), module, nullptr);
  check(r, ("vkCreateComputePipelines " + name).c_str());
  pipelines_.emplace(name, pipeline);
  return pipeline;
}

}  // namespace gapscope::gpu

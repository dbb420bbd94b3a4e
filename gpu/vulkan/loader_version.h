// The Vulkan loader this process talks to, for --version: the instance API
// version it supports ("1.3.239"), or why there is none.
#pragma once
#include <string>

namespace gapscope::gpu {

std::string vulkan_loader_version();

}  // namespace gapscope::gpu

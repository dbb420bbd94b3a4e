// With timestamps on (VulkanOptions::timestamps, --kernel-times): prints a
// native-vulkan backend's kernel table (name, shape, count, total us) to
// stdout, most time first; prints nothing for any other backend.
#pragma once
#include "core/ops/ops_backend.h"

namespace gapscope::gpu {

void print_kernel_table(OpsBackend& backend);

}  // namespace gapscope::gpu

#include "gpu/vulkan/kernel_table_print.h"

#include <cstdio>

#include "gpu/vulkan/vulkan_backend.h"

namespace gapscope::gpu {

void print_kernel_table(OpsBackend& backend) {
  auto* vulkan = dynamic_cast<VulkanBackend*>(&backend);
  if (!vulkan || !vulkan->capabilities().count("timestamps") || vulkan->capabilities()["timestamps"] != "on") return;
  const auto rows = vulkan->kernel_table();
  double total = 0;
  for (const auto& r : rows) total += r.total_us;
  std::printf("\nGPU kernel times on %s (timestamps; dispatches serialised):\n", vulkan->device_info().name.c_str());
  std::printf("%-16s %-26s %8s %12s %9s %6s\n", "kernel", "shape", "count", "total us", "avg us", "%");
  for (const auto& r : rows)
    std::printf("%-16s %-26s %8lld %12.1f %9.2f %6.1f\n", r.name.c_str(), r.shape.c_str(),
                static_cast<long long>(r.count), r.total_us, r.total_us / static_cast<double>(r.count),
                total > 0 ? 100.0 * r.total_us / total : 0.0);
}

}  // namespace gapscope::gpu

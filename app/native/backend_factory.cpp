#include "app/native/backend_factory.h"

#include <cstdio>
#include <cstdlib>

#include "core/ops/cpu/cpu_backend.h"
#include "gpu/vulkan/vulkan_backend.h"

namespace gapscope::cli {

const char* backends_help() {
  return "Backend:\n"
         "  --backend ID         native-cpu (default) or native-vulkan\n"
         "  --threads N          native-cpu threads (default: all hardware threads)\n"
         "  --device NAME|INDEX  native-vulkan device (default: $GAPSCOPE_VULKAN_DEVICE, else the\n"
         "                       best: discrete > integrated > software; see `gapscope-native devices`)\n"
         "  --device-memory-mb N native-vulkan: use at most N MiB of device memory for tensors\n"
         "                       (what fits a smaller GPU; default: all there is)\n"
         "  --kernel-times       native-vulkan: time every kernel on the GPU (serialises them)\n"
         "                       and print the kernel table at the end\n";
}

std::unique_ptr<OpsBackend> make_backend(const Arguments& args) {
  const std::string id = args.get("--backend", "native-cpu");
  if (id == "native-cpu") {
    for (const char* flag : {"--device", "--device-memory-mb", "--kernel-times"})
      if (args.has(flag)) throw UsageError(std::string(flag) + " applies to --backend native-vulkan only");
    return std::make_unique<CpuBackend>(static_cast<int>(args.get_int("--threads", 0, 0, 1024)));
  }
  if (id == "native-vulkan") {
    if (args.has("--threads")) throw UsageError("--threads applies to --backend native-cpu only");
    gpu::VulkanOptions options;
    const char* env = std::getenv(gpu::kDeviceEnvironmentVariable);
    options.device = args.get("--device", env ? env : "");
    options.memory_limit_bytes = static_cast<uint64_t>(args.get_int("--device-memory-mb", 0, 0, 1 << 24)) << 20;
    options.timestamps = args.has("--kernel-times");
    return std::make_unique<gpu::VulkanBackend>(options);
  }
  throw UsageError("unknown backend '" + id + "'; available: native-cpu, native-vulkan");
}

std::string backend_summary(OpsBackend& backend) {
  Capabilities caps = backend.capabilities();
  if (caps.count("device")) return backend.id() + " (" + caps["device"] + ", " + caps["device_type"] + ")";
  return backend.id() + " (" + caps["threads"] + " threads, " + caps["simd"] + ")";
}

int backend_threads(OpsBackend& backend) {
  Capabilities caps = backend.capabilities();
  return caps.count("threads") ? std::stoi(caps["threads"]) : 1;
}

}  // namespace gapscope::cli

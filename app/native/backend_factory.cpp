#include "app/native/backend_factory.h"

#include "app/common/arguments.h"
#include "core/ops/cpu/cpu_backend.h"

namespace gapscope::cli {

const char* backends_help() {
  return "  --backend ID         native-cpu (default)\n"
         "  --threads N          CPU threads (default: all hardware threads)\n";
}

std::unique_ptr<OpsBackend> make_backend(const std::string& id, int threads) {
  if (id == "native-cpu") return std::make_unique<CpuBackend>(threads);
  if (id == "native-vulkan")
    throw UsageError("backend native-vulkan is not part of this build yet (see issue: Vulkan compute backend)");
  throw UsageError("unknown backend '" + id + "'; available: native-cpu");
}

}  // namespace gapscope::cli

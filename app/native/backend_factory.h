// Creates the ops backend a command was asked for (--backend and its flags);
// a backend that is not available says why (NoVulkanDevice for native-vulkan
// without a usable device).
#pragma once
#include <memory>
#include <set>
#include <string>

#include "app/common/arguments.h"
#include "core/ops/ops_backend.h"

namespace gapscope::cli {

// Flags every command that runs a model accepts.
inline const std::set<std::string> kBackendFlags = {"--backend", "--threads", "--device", "--device-memory-mb"};
inline const std::set<std::string> kBackendSwitches = {"--kernel-times"};

std::unique_ptr<OpsBackend> make_backend(const Arguments& args);
const char* backends_help();

// "native-cpu (2 threads, avx512)", "native-vulkan (NVIDIA H100 ..., discrete)".
std::string backend_summary(OpsBackend& backend);
// The CPU threads a backend computes on (1 for a GPU backend: one host thread records).
int backend_threads(OpsBackend& backend);

}  // namespace gapscope::cli

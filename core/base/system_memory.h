// How much memory gapscope may plan to use on this machine: Linux's
// MemAvailable (/proc/meminfo), capped by $GAPSCOPE_MEMORY_BUDGET (bytes,
// or with a K, M or G suffix) for a shared machine. Loaders and `fit` check
// what they are about to allocate against it before they allocate.
#pragma once
#include <cstdint>
#include <string>

namespace gapscope {

inline constexpr const char* kMemoryBudgetVariable = "GAPSCOPE_MEMORY_BUDGET";

// 0 when neither is known. A malformed $GAPSCOPE_MEMORY_BUDGET throws
// std::invalid_argument naming the variable.
int64_t available_memory_bytes();
// Where available_memory_bytes() came from, for messages:
// "MemAvailable" or "GAPSCOPE_MEMORY_BUDGET".
std::string memory_budget_source();

}  // namespace gapscope

#include "core/base/system_memory.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <stdexcept>

namespace gapscope {
namespace {

int64_t mem_available() {
  std::ifstream in("/proc/meminfo");
  std::string key, unit;
  int64_t kib = 0;
  while (in >> key >> kib >> unit)
    if (key == "MemAvailable:") return kib * 1024;
  return 0;
}

// -1 when the variable is unset or empty.
int64_t budget_from_environment() {
  const char* text = std::getenv(kMemoryBudgetVariable);
  if (!text || !*text) return -1;
  char* end = nullptr;
  const double value = std::strtod(text, &end);
  double scale = 1;
  if (*end == 'K' || *end == 'k') scale = 1024.0, ++end;
  else if (*end == 'M' || *end == 'm') scale = 1024.0 * 1024, ++end;
  else if (*end == 'G' || *end == 'g') scale = 1024.0 * 1024 * 1024, ++end;
  const double bytes = value * scale;
  if (end == text || *end != '\0' || !(bytes >= 1) || bytes > static_cast<double>(std::numeric_limits<int64_t>::max()))
    throw std::invalid_argument(std::string(kMemoryBudgetVariable) + "='" + text +
                                "' is not a size: give bytes, or a number with K, M or G (e.g. 512M)");
  return static_cast<int64_t>(bytes);
}

}  // namespace

int64_t available_memory_bytes() {
  const int64_t available = mem_available();
  const int64_t budget = budget_from_environment();
  if (budget < 0) return available;
  return available > 0 ? std::min(available, budget) : budget;
}

std::string memory_budget_source() {
  const int64_t budget = budget_from_environment();
  return budget >= 0 && (mem_available() == 0 || budget < mem_available()) ? kMemoryBudgetVariable : "MemAvailable";
}

}  // namespace gapscope

#include "core/sweep/sweep_size.h"

#include <stdexcept>
#include <string>

#include "core/base/checked_math.h"
#include "core/base/number_text.h"

namespace gapscope {
namespace {

std::string counted(int64_t n, const char* one, const char* many) {
  return with_thousands(n) + " " + (n == 1 ? one : many);
}

}  // namespace

void check_sweep_size(size_t depths, size_t widths, size_t backends, int64_t rounds, int64_t limit,
                      std::string_view how_to_raise) {
  const auto d = static_cast<int64_t>(depths), w = static_cast<int64_t>(widths), b = static_cast<int64_t>(backends);
  const int64_t items = saturating_mul(saturating_mul(saturating_mul(d, w), b), rounds);
  if (items <= limit) return;
  throw std::invalid_argument("sweep: " + counted(d, "depth", "depths") + " x " + counted(w, "width", "widths") +
                              " x " + counted(b, "backend", "backends") + " x " + counted(rounds, "round", "rounds") +
                              " = " + (items == kSaturated ? "more than " + with_thousands(kSaturated) : with_thousands(items)) +
                              " items, more than the limit of " + with_thousands(limit) +
                              " (use fewer depths, widths, backends or rounds" +
                              (how_to_raise.empty() ? "" : ", or " + std::string(how_to_raise)) + ")");
}

}  // namespace gapscope

// How many items a sweep may have (README, Limits): a grid a person can wait
// for and a plan that fits in memory. Both sweeps (gapscope's, over backends,
// and gapscope-native's, on one) check it before they plan or allocate.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace gapscope {

inline constexpr int64_t kMaxSweepItems = 100000;

// Throws std::invalid_argument naming every factor and the product when
// depths x widths x backends x rounds items exceed `limit`. `how_to_raise`,
// if any, is appended as the other way out (e.g. gapscope-native's
// --max-items); a smaller grid is always named.
void check_sweep_size(size_t depths, size_t widths, size_t backends, int64_t rounds,
                      int64_t limit = kMaxSweepItems, std::string_view how_to_raise = {});

}  // namespace gapscope

// Axis scales for the charts: linear with "nice" steps (1, 2, 5 x 10^k), or
// logarithmic from decade to decade with minor ticks at 2..9 x 10^k.
#pragma once
#include <string>
#include <vector>

namespace gapscope {

struct AxisTick {
  double value = 0;
  std::string label;  // empty: an unlabelled (minor) tick
};

struct ChartAxis {
  double lo = 0, hi = 1;
  bool log = false;
  std::vector<AxisTick> major;  // labelled, with a gridline
  std::vector<double> minor;    // a short tick and a faint gridline

  // Where value lies between lo (0) and hi (1). Log axes need value > 0.
  double fraction(double value) const;
};

// Covers [min, max] with about 5 nice steps; include_zero widens it to 0
// (bars must start at zero to be honest).
ChartAxis linear_axis(double min, double max, bool include_zero);
// From the decade at or below min_positive to the decade at or above max.
// Decades are labelled 0.01, 0.1, 1, 10, ... 10000, then 1e5; an axis of at
// most two decades also labels 2 and 5 x 10^k so it is never read from two
// labels alone.
ChartAxis log_axis(double min_positive, double max);

}  // namespace gapscope

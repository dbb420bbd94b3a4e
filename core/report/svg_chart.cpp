#include "core/report/svg_chart.h"

#include <algorithm>
#include <cmath>

namespace gapscope {

bool spans_orders_of_magnitude(const std::vector<double>& values) {
  double lo = INFINITY, hi = 0;
  for (const double v : values)
    if (std::isfinite(v) && v > 0) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  return hi > 0 && hi / lo > 30;
}

}  // namespace gapscope

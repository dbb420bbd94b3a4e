#include "core/report/chart_axis.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/report/report_numbers.h"

namespace gapscope {
namespace {

// 1, 2 or 5 x 10^k: the smallest at least `rough`.
double nice_step(double rough) {
  const double decade = std::pow(10.0, std::floor(std::log10(rough)));
  for (const double multiple : {1.0, 2.0, 5.0})
    if (multiple * decade >= rough * (1 - 1e-9)) return multiple * decade;
  return 10 * decade;
}

// As many decimals as the step needs, and no more: 0.25 steps give "0.25", "0.5".
std::string linear_label(double value, double step) {
  if (std::fabs(value) < step * 1e-6) return "0";
  if (std::fabs(value) >= 1e6 || std::fabs(value) < 1e-3) return format_significant(value, 3);
  const int decimals = std::max(0, -static_cast<int>(std::floor(std::log10(step) + 1e-9)));
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", std::min(decimals + 1, 9), value);
  std::string text = buffer;
  while (text.find('.') != std::string::npos && (text.back() == '0' || text.back() == '.')) {
    const bool point = text.back() == '.';
    text.pop_back();
    if (point) break;
  }
  return text;
}

std::string decade_label(int exponent) {
  if (exponent >= 0 && exponent <= 4) return linear_label(std::pow(10.0, exponent), 1);
  if (exponent < 0 && exponent >= -3) return linear_label(std::pow(10.0, exponent), std::pow(10.0, exponent));
  return "1e" + std::to_string(exponent);
}

}  // namespace

double ChartAxis::fraction(double value) const {
  if (log) return (std::log10(value) - std::log10(lo)) / (std::log10(hi) - std::log10(lo));
  return (value - lo) / (hi - lo);
}

ChartAxis linear_axis(double min, double max, bool include_zero) {
  if (!std::isfinite(min) || !std::isfinite(max)) min = max = 0;
  if (min > max) std::swap(min, max);
  if (include_zero) {
    min = std::min(min, 0.0);
    max = std::max(max, 0.0);
  }
  if (max - min <= 0) {  // one value: give it some room
    const double pad = min == 0 ? 1 : std::fabs(min) * 0.5;
    if (include_zero && min >= 0) max += 2 * pad;
    else min -= pad, max += pad;
  }
  const double step = nice_step((max - min) / 5);
  ChartAxis axis;
  const double first = std::floor(min / step + 1e-9), last = std::ceil(max / step - 1e-9);
  axis.lo = first * step;
  axis.hi = last * step;
  // Count steps instead of adding them up: no 0.30000000000000004.
  for (double k = first; k <= last + 1e-9; ++k) axis.major.push_back({k * step, linear_label(k * step, step)});
  return axis;
}

ChartAxis log_axis(double min_positive, double max) {
  if (!(min_positive > 0) || !std::isfinite(min_positive)) min_positive = 1;
  if (!(max >= min_positive) || !std::isfinite(max)) max = min_positive;
  int low = static_cast<int>(std::floor(std::log10(min_positive) + 1e-12));
  int high = static_cast<int>(std::ceil(std::log10(max) - 1e-12));
  if (high <= low) high = low + 1;
  ChartAxis axis;
  axis.log = true;
  axis.lo = std::pow(10.0, low);
  axis.hi = std::pow(10.0, high);
  const bool few_decades = high - low <= 2;
  for (int exponent = low; exponent <= high; ++exponent) {
    const double decade = std::pow(10.0, exponent);
    axis.major.push_back({decade, decade_label(exponent)});
    if (exponent == high) break;
    for (int multiple = 2; multiple <= 9; ++multiple) {
      const double value = multiple * decade;
      if (few_decades && (multiple == 2 || multiple == 5))
        axis.major.push_back({value, format_significant(value, 1)});
      else
        axis.minor.push_back(value);
    }
  }
  std::sort(axis.major.begin(), axis.major.end(),
            [](const AxisTick& a, const AxisTick& b) { return a.value < b.value; });
  return axis;
}

}  // namespace gapscope

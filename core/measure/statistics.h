// Summary of a sample of timings: median and spread, as every record reports them.
#pragma once
#include <cstdint>
#include <vector>

namespace gapscope {

struct SampleSummary {
  int64_t n = 0;
  double median = 0, p10 = 0, p90 = 0, mean = 0, min = 0, max = 0;
};

// Percentiles by linear interpolation between order statistics.
SampleSummary summarize(std::vector<double> values);
double percentile(const std::vector<double>& sorted, double q);
double geometric_mean(const std::vector<double>& values);

}  // namespace gapscope

// Summary statistics of a sample, exactly as docs/measurement-schema.md and
// core/measure/statistics.cpp define them: median, p10 and p90 interpolate
// linearly between order statistics (position q * (n - 1) in the sorted
// sample), mean is the arithmetic mean, min/max the extremes. An empty sample
// summarises to zeros with n = 0, as the native side does.
(function (root) {
  'use strict';
  const parts = root.gapscopeParts || (root.gapscopeParts = {});

  function percentile(sorted, q) {
    if (sorted.length === 0) return 0;
    const pos = q * (sorted.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(lo + 1, sorted.length - 1);
    const frac = pos - lo;
    return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
  }

  function summarize(samples) {
    const n = samples.length;
    if (n === 0) return {median: 0, p10: 0, p90: 0, mean: 0, min: 0, max: 0, n: 0};
    const sorted = Array.from(samples).sort((a, b) => a - b);
    let sum = 0;
    for (const v of sorted) sum += v;
    return {
      median: percentile(sorted, 0.5),
      p10: percentile(sorted, 0.1),
      p90: percentile(sorted, 0.9),
      mean: sum / n,
      min: sorted[0],
      max: sorted[n - 1],
      n,
    };
  }

  parts.stats = {percentile, summarize};
  if (typeof module !== 'undefined' && module.exports) module.exports = parts.stats;
})(typeof window !== 'undefined' ? window : globalThis);

// What the native benchmarks share: a median timer and seeded random tensors.
#pragma once
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <vector>

#include "core/base/random.h"
#include "core/ops/ops_backend.h"

namespace gapscope::bench {

// Milliseconds of `runs` calls after `warmup` calls, sorted. While other
// processes share the cores: GAPSCOPE_BENCH_MIN=1 makes median_ms report the
// minimum, and GAPSCOPE_BENCH_CPU=1 times the calling thread's CPU time
// (right for 1 thread only).
inline std::vector<double> sorted_times_ms(const std::function<void()>& call, int runs, int warmup = 5) {
  static const bool cpu_time = std::getenv("GAPSCOPE_BENCH_CPU") != nullptr;
  auto now_ms = [] {
    if (cpu_time) {
      timespec t;
      clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
      return t.tv_sec * 1e3 + t.tv_nsec * 1e-6;
    }
    return std::chrono::duration<double, std::milli>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  };
  for (int i = 0; i < warmup; ++i) call();
  std::vector<double> times;
  for (int r = 0; r < runs; ++r) {
    const double t0 = now_ms();
    call();
    times.push_back(now_ms() - t0);
  }
  std::sort(times.begin(), times.end());
  return times;
}

inline double median_ms(const std::function<void()>& call, int runs, int warmup = 5) {
  static const bool minimum = std::getenv("GAPSCOPE_BENCH_MIN") != nullptr;
  const std::vector<double> times = sorted_times_ms(call, runs, warmup);
  return minimum ? times.front() : times[times.size() / 2];
}

inline Tensor random_tensor(OpsBackend& ops, const Shape& shape, uint64_t seed) {
  Rng rng(seed);
  std::vector<float> v(static_cast<size_t>(element_count(shape)));
  for (float& x : v) x = rng.uniform(-1.0f, 1.0f);
  Tensor t = ops.allocate(shape);
  ops.upload(t, v);
  return t;
}

}  // namespace gapscope::bench

// measure_peak_gflops(): a sane number for every SIMD level and thread count
// (no timing assertions: the machine may be busy).
#include "core/ops/cpu/peak_flops.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "core/ops/cpu/sgemm.h"
#include "core/ops/cpu/thread_pool.h"

namespace gapscope {

TEST_CASE("measure_peak_gflops is positive and finite on every SIMD level", "[peak_flops]") {
  ThreadPool two(2);
  for (const std::string& level : sgemm_available_simd_levels()) {
    INFO("simd level " << level);
    REQUIRE(sgemm_force_simd_level(level.c_str()));
    for (int threads : {1, 2}) {
      INFO("threads " << threads);
      const double peak = measure_peak_gflops(threads, &two);
      CHECK(std::isfinite(peak));
      CHECK(peak > 0.0);
    }
  }
  sgemm_force_simd_level(nullptr);
}

TEST_CASE("measure_peak_gflops caps threads at what the pool has", "[peak_flops]") {
  ThreadPool two(2);
  const double without_pool = measure_peak_gflops(4, nullptr);  // runs 1 thread
  const double capped = measure_peak_gflops(16, &two);          // runs 2 threads
  CHECK(std::isfinite(without_pool));
  CHECK(without_pool > 0.0);
  CHECK(std::isfinite(capped));
  CHECK(capped > 0.0);
}

}  // namespace gapscope

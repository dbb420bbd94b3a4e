// CPU utilisation over a window long enough to mean something: busy loops of
// a known thread count read as that many cores, and a ratio above the
// hardware threads says why instead of passing as a fact.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "core/measure/cpu_utilisation.h"
#include "core/measure/process_stats.h"

namespace gapscope::test {
namespace {

// `threads` threads spin until the window is long enough.
Measurement busy(int threads) {
  UtilisationWindow window;
  window.start();
  std::atomic<bool> stop{false};
  std::vector<std::thread> spinners;
  for (int t = 1; t < threads; ++t)
    spinners.emplace_back([&] {
      volatile uint64_t x = 0;
      while (!stop.load(std::memory_order_relaxed)) x = x + 1;
    });
  volatile uint64_t x = 0;
  while (!window.long_enough()) x = x + 1;
  stop = true;
  for (std::thread& s : spinners) s.join();
  return window.finish("busy_loop");
}

}  // namespace

TEST_CASE("busy loops of a known thread count read as that many busy cores", "[measure]") {
  const int hardware = hardware_threads();
  REQUIRE(hardware >= 1);
  for (int threads : {1, std::min(2, hardware)}) {
    const Measurement m = busy(threads);
    CHECK(m.phase == "cpu_utilisation");
    CHECK(m.details["cpu_measure"] == "busy_loop");
    CHECK(m.details["wall_seconds"].get<double>() >= kUtilisationWindowSeconds);
    CHECK(m.details["hardware_threads"] == hardware);
    // Tests running beside this one (ctest -j) take cores too: at least half
    // a core per spinner, never more than one each, and never more than the
    // hardware threads without saying why.
    CHECK(m.summary.median >= 0.5);
    CHECK(m.summary.median <= threads + 0.05);
    CHECK(m.details.contains("above_hardware_threads") == (m.summary.median > hardware + 0.05));
  }
}

TEST_CASE("a utilisation above the hardware threads says why", "[measure]") {
  const int hardware = hardware_threads();
  const Measurement over = cpu_utilisation_measurement(2.0 * hardware, 0.5, "training_steps");
  CHECK(over.summary.median == Approx(4.0 * hardware));
  REQUIRE(over.details.contains("above_hardware_threads"));
  CHECK(over.details["above_hardware_threads"].get<std::string>().find("quota") != std::string::npos);
  const Measurement within = cpu_utilisation_measurement(0.5, 1.0, "training_steps");
  CHECK(within.summary.median == Approx(0.5));
  CHECK_FALSE(within.details.contains("above_hardware_threads"));
  CHECK(cpu_utilisation_measurement(1.0, 0.0, "training_steps").summary.median == 0);
}

}  // namespace gapscope::test

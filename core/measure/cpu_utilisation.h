// CPU utilisation: process CPU time / wall time (2.0 = two busy cores), over a
// window long enough to mean something. Over a few milliseconds the figure is
// noise: a container's CPU quota is enforced per 100 ms period, so a process
// may run on more cores than its quota for part of one (seen: 3.59 "busy
// cores" on a 2-thread machine over a --quick run's training steps).
#pragma once
#include <chrono>

#include "core/measure/measurement.h"

namespace gapscope {

// At least three of the kernel's 100 ms quota periods.
inline constexpr double kUtilisationWindowSeconds = 0.3;

// A cpu_utilisation record from CPU and wall seconds: details say what was
// measured (`cpu_measure`), the seconds, the machine's hardware threads, and,
// where the ratio is above them, `above_hardware_threads` saying why it can be.
Measurement cpu_utilisation_measurement(double cpu_seconds, double wall_seconds, const std::string& cpu_measure);

// This process's utilisation from start() on; long_enough() once the window
// has lasted kUtilisationWindowSeconds (callers go on working until it is).
class UtilisationWindow {
 public:
  void start();
  bool long_enough() const;
  Measurement finish(const std::string& cpu_measure) const;

 private:
  double wall_seconds() const;

  double cpu_start_ = 0;
  std::chrono::steady_clock::time_point wall_start_;
};

}  // namespace gapscope

#include "core/measure/cpu_utilisation.h"

#include "core/measure/process_stats.h"

namespace gapscope {

Measurement cpu_utilisation_measurement(double cpu_seconds, double wall_seconds, const std::string& cpu_measure) {
  Measurement m = make_measurement("cpu_utilisation", "ratio", {wall_seconds > 0 ? cpu_seconds / wall_seconds : 0});
  const int threads = hardware_threads();
  m.details = {{"cpu_measure", cpu_measure},
               {"cpu_seconds", cpu_seconds},
               {"wall_seconds", wall_seconds},
               {"hardware_threads", threads}};
  if (threads > 0 && m.summary.median > threads + 0.05)
    m.details["above_hardware_threads"] =
        "the process had more CPU time than " + std::to_string(threads) +
        " hardware threads give in that wall time: a container's CPU quota lets a process burst onto more cores "
        "than it is given, or the CPU count seen here is a quota, not the cores the process ran on";
  return m;
}

void UtilisationWindow::start() {
  cpu_start_ = process_cpu_seconds();
  wall_start_ = std::chrono::steady_clock::now();
}

double UtilisationWindow::wall_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start_).count();
}

bool UtilisationWindow::long_enough() const { return wall_seconds() >= kUtilisationWindowSeconds; }

Measurement UtilisationWindow::finish(const std::string& cpu_measure) const {
  const double wall = wall_seconds();
  return cpu_utilisation_measurement(process_cpu_seconds() - cpu_start_, wall, cpu_measure);
}

}  // namespace gapscope

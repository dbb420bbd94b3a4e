#include "app/common/measurement_output.h"

#include <iostream>

namespace gapscope::cli {

void print_json_line(const nlohmann::json& record) { std::cout << record.dump() << std::endl; }

std::string human_value(double value, const std::string& unit) {
  char buf[48];
  if (unit == "ms") {
    if (value < 1)
      std::snprintf(buf, sizeof buf, "%.2f us", value * 1000);
    else
      std::snprintf(buf, sizeof buf, "%.3f ms", value);
  } else if (unit == "bytes") {
    if (value >= 1 << 20)
      std::snprintf(buf, sizeof buf, "%.2f MiB", value / (1 << 20));
    else
      std::snprintf(buf, sizeof buf, "%.1f KiB", value / 1024);
  } else {
    std::snprintf(buf, sizeof buf, "%.3f %s", value, unit.c_str());
  }
  return buf;
}

void print_measurement_table(const std::vector<Measurement>& records, std::FILE* out) {
  std::fprintf(out, "%-18s %-10s %14s %14s %14s %6s\n", "phase", "backend", "median", "p10", "p90", "n");
  for (const Measurement& m : records) {
    std::string phase = m.format.empty() ? m.phase : m.phase + " (" + m.format + ")";
    std::fprintf(out, "%-18s %-10s %14s %14s %14s %6lld\n", phase.c_str(), m.backend.c_str(),
                 human_value(m.summary.median, m.unit).c_str(),
                 human_value(m.summary.p10, m.unit).c_str(),
                 human_value(m.summary.p90, m.unit).c_str(), static_cast<long long>(m.summary.n));
  }
}

}  // namespace gapscope::cli

#include "app/common/history_tables.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <tuple>

#include "app/common/measurement_output.h"
#include "core/base/terminal_text.h"
#include "core/measure/statistics.h"

namespace gapscope::cli {
namespace {

using PointKey = std::tuple<std::string, int64_t, int64_t, std::string>;  // preset, depth, width, backend

std::string point_label(const std::string& preset, int64_t depth, int64_t width) {
  return preset + " " + std::to_string(depth) + "x" + std::to_string(width);
}

}  // namespace

std::string medians_table(const StoredRun& run) {
  const std::vector<std::string> phases = {"load", "warmup", "infer", "train"};
  std::map<PointKey, std::map<std::string, const PooledMeasurement*>> rows;
  const auto pooled = pool_rounds(run);
  for (const PooledMeasurement& m : pooled)
    if (m.phase != "file_size" || m.format == "tfjs") rows[{m.preset, m.depth, m.width, m.backend}][m.phase] = &m;
  std::string text = text_line("%-22s %-14s", "configuration", "backend");
  for (const auto& phase : phases) text += text_line(" %12s", phase.c_str());
  text += text_line(" %12s\n", "tfjs bytes");
  for (const auto& [key, by_phase] : rows) {
    const auto& [preset, depth, width, backend] = key;
    text += text_line("%-22s %-14s", point_label(preset, depth, width).c_str(), backend.c_str());
    for (const std::string phase : {"load", "warmup", "infer", "train", "file_size"}) {
      auto it = by_phase.find(phase);
      text += text_line(" %12s", it == by_phase.end() ? "-" : human_value(it->second->summary.median, it->second->unit).c_str());
    }
    text += "\n";
  }
  return text;
}

std::string failures_table(const StoredRun& run) {
  std::string text;
  for (const StoredConfiguration& c : run.configurations)
    if (c.status == ConfigurationStatus::failed)
      text += text_line("  #%-5lld %-14s %-24s %-12s %s\n", static_cast<long long>(c.plan.index), c.plan.backend.c_str(),
                   c.plan.model.c_str(), c.failure_reason.value_or("?").c_str(),
                   c.failure_message.value_or("").substr(0, 160).c_str());
  return text;
}

std::string comparison_table(const StoredRun& a, const StoredRun& b) {
  using Key = std::tuple<std::string, int64_t, int64_t, std::string, std::string, std::string>;
  std::map<Key, PooledMeasurement> left;
  for (auto& m : pool_rounds(a)) left[{m.preset, m.depth, m.width, m.backend, m.phase, m.format}] = m;
  std::string text = text_line("A = %s (%s), B = %s (%s)\n", a.summary.id.c_str(), a.summary.created.c_str(),
                          b.summary.id.c_str(), b.summary.created.c_str());
  text += text_line("%-22s %-14s %-14s %12s %12s %8s\n", "configuration", "backend", "phase", "A median", "B median", "B/A");
  std::map<std::pair<std::string, std::string>, std::vector<double>> ratios;
  size_t matched = 0;
  for (const PooledMeasurement& m : pool_rounds(b)) {
    auto it = left.find({m.preset, m.depth, m.width, m.backend, m.phase, m.format});
    if (it == left.end()) continue;
    ++matched;
    const double ratio = it->second.summary.median > 0 ? m.summary.median / it->second.summary.median : NAN;
    if (std::isfinite(ratio) && ratio > 0) ratios[{m.backend, m.phase}].push_back(ratio);
    const std::string phase = m.format.empty() ? m.phase : m.phase + "/" + m.format;
    text += text_line("%-22s %-14s %-14s %12s %12s %8.3g\n", point_label(m.preset, m.depth, m.width).c_str(),
                 m.backend.c_str(), phase.c_str(), human_value(it->second.summary.median, m.unit).c_str(),
                 human_value(m.summary.median, m.unit).c_str(), ratio);
  }
  if (matched == 0) return text + "no configuration and phase is in both runs\n";
  text += "\ngeometric mean B/A per backend and phase:\n";
  for (const auto& [key, values] : ratios)
    text += text_line("  %-14s %-14s %8.3g (%zu)\n", key.first.c_str(), key.second.c_str(), geometric_mean(values), values.size());
  return text;
}

}  // namespace gapscope::cli

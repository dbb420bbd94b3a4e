// add_method_section: how the numbers were taken, from the records themselves
// (n and warm-up runs as measured, not as planned) and the capabilities each
// backend really had.
#include <algorithm>
#include <map>
#include <set>

#include "core/measure/capability_summary.h"
#include "core/report/report_vocabulary.h"
#include "core/report/run_report.h"

namespace gapscope {
namespace {

// "100", or "15–100" when records differ.
std::string range_text(const std::set<int64_t>& values) {
  if (values.empty()) return "–";
  if (values.size() == 1) return std::to_string(*values.begin());
  return std::to_string(*values.begin()) + "–" + std::to_string(*values.rbegin());
}

struct PhaseCounts {
  std::set<int64_t> n, warmup, pooled_n;
  int64_t records = 0;
};

std::string list_text(const nlohmann::json& values) {
  if (!values.is_array()) return values.is_string() ? values.get<std::string>() : values.dump();
  std::string text;
  for (const auto& v : values) text += (text.empty() ? "" : ", ") + (v.is_string() ? v.get<std::string>() : v.dump());
  return text;
}

void add_sweep_grid(HtmlDocument& doc, const nlohmann::json& grid) {
  if (!grid.is_object()) return;
  std::vector<std::pair<std::string, std::string>> items;
  for (const auto& [key, label] : std::vector<std::pair<std::string, std::string>>{
           {"name", "Sweep"}, {"model", "Model family"}, {"depths", "Depths"}, {"widths", "Widths"},
           {"backends", "Backends"}, {"tasks", "Tasks"}, {"batch", "Batch size (train)"}, {"rounds", "Rounds"},
           {"runs_scale", "Runs scale"}, {"seed", "Seed"}})
    if (grid.contains(key)) items.emplace_back(label, list_text(grid.at(key)));
  doc.heading(3, "Grid");
  doc.definition_list(items);
}

}  // namespace

void add_method_section(HtmlDocument& doc, const StoredRun& run) {
  doc.heading(2, "Method", "method");
  doc.paragraph(
      "Every backend runs the same model with the same weights under the same protocol, timing each phase "
      "separately. Backends run one after another, never at the same time. Each figure is a sample of n timed runs "
      "made after w untimed warm-up runs; a timed browser step includes reading its results back.");

  std::map<std::string, PhaseCounts> counts;
  std::set<int64_t> rounds, planned_rounds;
  std::map<std::string, std::map<std::string, std::set<std::string>>> capabilities;  // backend -> key -> values
  std::map<std::string, Capabilities> first_capabilities;
  for (const StoredConfiguration& c : run.configurations) {
    const GridPoint point = grid_point(c);
    if (point.round) rounds.insert(*point.round);
    if (c.plan.config.is_object() && c.plan.config.contains("rounds") && c.plan.config["rounds"].is_number_integer())
      planned_rounds.insert(c.plan.config["rounds"].get<int64_t>());
    for (const Measurement& m : c.measurements) {
      PhaseCounts& phase = counts[m.phase];
      phase.n.insert(m.summary.n);
      phase.warmup.insert(m.warmup);
      ++phase.records;
      const std::string& backend = m.backend.empty() ? c.plan.backend : m.backend;
      for (const auto& [key, value] : m.capabilities) capabilities[backend][key].insert(value);
      if (!m.capabilities.empty() && !first_capabilities.count(backend)) first_capabilities[backend] = m.capabilities;
    }
  }
  for (const PooledMeasurement& p : pool_rounds(run)) counts[p.phase].pooled_n.insert(p.summary.n);

  doc.heading(3, "Phases");
  Table phases{"What each phase times, and how often it was sampled",
               {"Phase", "What one sample is", "Unit", "Warm-up runs", "n per record", "Records", "n pooled"},
               {},
               {false, false, false, true, true, true, true}};
  std::vector<std::string> measured;
  for (const auto& [phase, _] : counts) measured.push_back(phase);
  for (const std::string& phase : in_report_order(measured)) {
    const PhaseCounts& c = counts[phase];
    std::string unit;
    for (const StoredConfiguration& conf : run.configurations)
      for (const Measurement& m : conf.measurements)
        if (m.phase == phase && unit.empty()) unit = m.unit;
    phases.rows.push_back({phase, phase_info(phase).what, unit, range_text(c.warmup), range_text(c.n),
                           std::to_string(c.records), range_text(c.pooled_n)});
  }
  if (phases.rows.empty())
    doc.paragraph("No measurements were recorded.");
  else
    doc.table(phases);

  doc.heading(3, "Rounds and interleaving");
  const int64_t round_count = std::max<int64_t>(
      static_cast<int64_t>(rounds.size()), planned_rounds.empty() ? 1 : *planned_rounds.rbegin());
  if (round_count > 1)
    doc.paragraph("The run repeated its whole grid in " + std::to_string(round_count) +
                  " rounds (A B A B), each making its share of the protocol's runs, and at every grid point the order "
                  "of the backends rotates from point to point and round to round, so slow drift of the machine "
                  "(heat, background load) spreads over every backend instead of biasing the one that runs last. "
                  "The samples of every round of a grid point and backend are pooled before any statistic is taken.");
  else
    doc.paragraph("The configurations ran once each (a single round), one after another in plan order.");
  if (run.summary.metadata.is_object() && run.summary.metadata.contains("sweep"))
    add_sweep_grid(doc, run.summary.metadata["sweep"]);

  doc.heading(3, "Statistics");
  doc.paragraph(
      "Each value is the median of the pooled samples, with the 10th and 90th percentiles (p10-p90, linear "
      "interpolation between order statistics) as its spread; n counts the pooled samples. A ratio is the browser "
      "backend's median divided by the native backend's median at the same grid point and task. Times are shown in "
      "µs, ms or s; sizes in decimal units (1 KB = 1000 bytes, 1 MB = 10^6 bytes). Charts switch to a log axis "
      "when their values span more than a factor of 30.");

  doc.heading(3, "Capabilities per backend");
  doc.paragraph("What each backend really ran with, as its records report it (never a silent fallback). "
                "Where records of one backend differ, every value is listed.");
  Table table{"Capabilities each backend reported", {"Backend", "Ran on", "Capabilities"}, {}, {}};
  std::vector<std::string> backends;
  for (const auto& [backend, _] : capabilities) backends.push_back(backend);
  std::sort(backends.begin(), backends.end(), backend_before);
  for (const std::string& backend : backends) {
    std::string all;
    for (const auto& [key, values] : capabilities[backend]) {
      std::string joined;
      for (const std::string& v : values) joined += (joined.empty() ? "" : " | ") + v;
      all += (all.empty() ? "" : "; ") + key + "=" + joined;
    }
    table.rows.push_back({backend, capability_summary(backend, first_capabilities[backend]), all});
  }
  if (table.rows.empty())
    doc.paragraph("No backend recorded its capabilities.");
  else
    doc.table(table);
}

}  // namespace gapscope

// run_report_html and the small sections around the measurements: summary,
// failures, appendix.
#include "core/report/run_report.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/measure/statistics.h"
#include "core/report/report_numbers.h"
#include "core/report/report_vocabulary.h"

namespace gapscope {
namespace {

std::string optional_text(const std::optional<int64_t>& value) { return value ? std::to_string(*value) : ""; }

std::string configuration_text(const StoredConfiguration& c) {
  const GridPoint point = grid_point(c);
  return point_label(point.preset, point.depth.value_or(0), point.width.value_or(0));
}

std::string joined(const std::set<std::string>& values) {
  std::string text;
  for (const std::string& v : values) text += (text.empty() ? "" : ", ") + v;
  return text;
}

// The data the run computed on, from its configurations' "data" (the
// workbench records its choice); runs without one used seeded synthetic rows.
std::string data_text(const StoredRun& run) {
  std::set<std::string> sources;
  for (const StoredConfiguration& c : run.configurations) {
    const auto data = c.plan.config.find("data");
    if (data == c.plan.config.end() || !data->is_object()) {
      sources.insert("synthetic rows, seeded (times do not depend on the values)");
      continue;
    }
    std::string text = data->value("source", "unknown");
    if (text == "synthetic") text = "synthetic rows, seeded (times do not depend on the values)";
    if (data->contains("path") && (*data)["path"].is_string()) text += " (" + (*data)["path"].get<std::string>() + ")";
    if (data->contains("window") && (*data)["window"].is_number_integer())
      text += ", windows of " + std::to_string((*data)["window"].get<int64_t>()) + " characters";
    sources.insert(text);
  }
  return sources.empty() ? "none" : joined(sources);
}

// "tfjs-wasm 66x, tfjs-cpu 120x native-cpu's time for training; ...": each
// browser backend's geometric mean ratio per task, the run's result in a line.
std::string headline_text(const RatioAnalysis& analysis) {
  std::map<std::pair<std::string, std::string>, std::vector<double>> ratios;  // (task, backend)
  std::map<std::pair<std::string, std::string>, std::string> references;
  for (const RatioPoint& p : analysis.points) {
    ratios[{p.task, p.backend}].push_back(p.ratio);
    references[{p.task, p.backend}] = p.reference;
  }
  std::string text;
  for (const char* task : {"train", "infer"}) {
    std::vector<std::pair<std::string, std::string>> parts;  // backend, "66x native-cpu's"
    for (const auto& [key, values] : ratios) {
      if (key.first != task) continue;
      parts.push_back({key.second, format_ratio(geometric_mean(values)) + " " + references[key] + "'s time"});
    }
    if (parts.empty()) continue;
    std::sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return backend_before(a.first, b.first); });
    std::string line;
    for (const auto& [backend, ratio] : parts) line += (line.empty() ? "" : ", ") + backend + " " + ratio;
    text += (text.empty() ? "" : "; ") + line + (std::string(task) == "train" ? " for training" : " for inference");
  }
  return text;
}

}  // namespace

void add_summary_section(HtmlDocument& doc, const StoredRun& run, const std::vector<std::string>& notes,
                         const RatioAnalysis& analysis) {
  int64_t done = 0, failed = 0, pending = 0;
  std::set<std::string> backend_set, models;
  for (const StoredConfiguration& c : run.configurations) {
    done += c.status == ConfigurationStatus::done;
    failed += c.status == ConfigurationStatus::failed;
    pending += c.status == ConfigurationStatus::pending;
    backend_set.insert(c.plan.backend);
    models.insert(grid_point(c).preset);
  }
  std::vector<std::string> backends(backend_set.begin(), backend_set.end());
  std::sort(backends.begin(), backends.end(), backend_before);
  std::string backend_text;
  for (const std::string& b : backends) backend_text += (backend_text.empty() ? "" : ", ") + b;

  doc.heading(2, "Summary", "summary");
  std::vector<std::pair<std::string, std::string>> items;
  if (const std::string headline = headline_text(analysis); !headline.empty())
    items.emplace_back("Result", headline + " (geometric mean over the configurations)");
  items.emplace_back("Run", run.summary.id.empty() ? "not recorded" : run.summary.id);
  items.emplace_back("Kind", run.summary.kind.empty() ? "run" : run.summary.kind);
  if (!run.summary.label.empty()) items.emplace_back("Label", run.summary.label);
  if (!run.summary.created.empty()) items.emplace_back("Recorded", run.summary.created);
  items.emplace_back("Configurations", std::to_string(run.configurations.size()) + ": " + std::to_string(done) +
                                           " done, " + std::to_string(failed) + " failed" +
                                           (pending ? ", " + std::to_string(pending) + " never finished" : ""));
  items.emplace_back("Backends", backend_text.empty() ? "none" : backend_text);
  items.emplace_back("Models", models.empty() ? "none" : joined(models));
  items.emplace_back("Data", data_text(run));
  doc.definition_list(items);
  if (!notes.empty()) {
    doc.paragraph("Notes:");
    doc.bullet_list(notes);
  }
}

void add_failures_section(HtmlDocument& doc, const StoredRun& run) {
  doc.heading(2, "Failures", "failures");
  Table table{"Configurations that failed", {"#", "Backend", "Model", "Configuration", "Round", "Reason", "Message"},
              {}, {true, false, false, false, true, false, false}};
  int64_t pending = 0;
  for (const StoredConfiguration& c : run.configurations) {
    pending += c.status == ConfigurationStatus::pending;
    if (c.status != ConfigurationStatus::failed) continue;
    table.rows.push_back({std::to_string(c.plan.index), c.plan.backend, c.plan.model, configuration_text(c),
                          optional_text(grid_point(c).round), c.failure_reason.value_or("not recorded"),
                          c.failure_message.value_or("")});
  }
  if (table.rows.empty())
    doc.paragraph("No configuration failed.");
  else
    doc.table(table);
  if (pending)
    doc.paragraph(std::to_string(pending) + " configuration(s) never finished (the run was interrupted or is still "
                  "going); whatever they recorded is not in this report's figures unless marked done.");
}

void add_appendix_section(HtmlDocument& doc, const StoredRun& run, const RatioAnalysis& analysis) {
  doc.heading(2, "Appendix", "appendix");
  doc.heading(3, "Configurations");
  Table table{"Every configuration of the run, in plan order",
              {"#", "Model", "Backend", "Configuration", "Batch", "Round", "Status", "Records"},
              {},
              {true, false, false, false, true, true, false, true}};
  for (const StoredConfiguration& c : run.configurations) {
    const GridPoint point = grid_point(c);
    table.rows.push_back({std::to_string(c.plan.index), c.plan.model, c.plan.backend, configuration_text(c),
                          optional_text(point.batch), optional_text(point.round), to_string(c.status),
                          std::to_string(c.measurements.size())});
  }
  doc.table(table);
  if (analysis.tree) {
    doc.heading(3, "Regression tree as text");
    doc.paragraph("Leaf values are log10 of the ratio.");
    doc.preformatted(analysis.tree->to_text());
  }
  doc.heading(3, "Run record");
  doc.preformatted(run.summary.metadata.is_null()
                       ? "not recorded"
                       : run.summary.metadata.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::string run_report_html(const StoredRun& run, const RatioAnalysis& analysis, const ReportOptions& options) {
  const std::string title = !options.title.empty() ? options.title
                            : !run.summary.label.empty() ? "gapscope report: " + run.summary.label
                                                         : "gapscope report: run " + run.summary.id;
  HtmlDocument doc(title);
  add_summary_section(doc, run, options.notes, analysis);
  add_metadata_section(doc, run);
  add_method_section(doc, run);
  add_phase_sections(doc, run);
  add_ratio_section(doc, analysis);
  add_failures_section(doc, run);
  if (options.extra_sections) options.extra_sections(doc);
  add_appendix_section(doc, run, analysis);
  return doc.html();
}

}  // namespace gapscope

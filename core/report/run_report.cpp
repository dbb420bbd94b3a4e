// run_report_html and the small sections around the measurements: summary,
// failures, appendix.
#include "core/report/run_report.h"

#include <algorithm>
#include <set>

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

}  // namespace

void add_summary_section(HtmlDocument& doc, const StoredRun& run, const std::vector<std::string>& notes) {
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
  std::vector<std::pair<std::string, std::string>> items = {
      {"Run", run.summary.id.empty() ? "not recorded" : run.summary.id},
      {"Kind", run.summary.kind.empty() ? "run" : run.summary.kind},
  };
  if (!run.summary.label.empty()) items.emplace_back("Label", run.summary.label);
  if (!run.summary.created.empty()) items.emplace_back("Recorded", run.summary.created);
  items.emplace_back("Configurations", std::to_string(run.configurations.size()) + ": " + std::to_string(done) +
                                           " done, " + std::to_string(failed) + " failed" +
                                           (pending ? ", " + std::to_string(pending) + " never finished" : ""));
  items.emplace_back("Backends", backend_text.empty() ? "none" : backend_text);
  items.emplace_back("Models", models.empty() ? "none" : joined(models));
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
  add_summary_section(doc, run, options.notes);
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

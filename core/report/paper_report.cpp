#include "core/report/paper_report.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "core/analysis/ratio_analysis.h"
#include "core/measure/backend_catalog.h"
#include "core/measure/statistics.h"
#include "core/report/html_document.h"
#include "core/report/paper_zoo_section.h"
#include "core/report/report_numbers.h"
#include "core/report/run_report.h"
#include "core/report/svg_chart.h"
#include "core/report/tree_diagram.h"

namespace gapscope {
namespace {

std::string sweep_name(const StoredRun& run) {
  const auto& sweep = run.summary.metadata.value("sweep", nlohmann::json::object());
  return sweep.value("name", "");
}

const StoredRun* find_section4(const std::vector<StoredRun>& runs) {
  for (const StoredRun& run : runs)
    if (sweep_name(run) == "paper-fig1-4") return &run;
  return nullptr;
}

// The gap sweeps as one run: their configurations side by side (the preset
// tells them apart, and becomes a factor of the tree).
StoredRun merged_gap_runs(const std::vector<StoredRun>& runs) {
  StoredRun merged;
  for (const StoredRun& run : runs) {
    if (sweep_name(run).rfind("paper-gap-", 0) != 0) continue;
    if (merged.configurations.empty()) merged.summary = run.summary;
    merged.configurations.insert(merged.configurations.end(), run.configurations.begin(), run.configurations.end());
  }
  return merged;
}

std::string config_label(int64_t depth, int64_t width) { return std::to_string(depth) + "x" + std::to_string(width); }

// The values the paper's text states for one figure, table or section, as
// sentences ("" if none).
std::string stated_values(const std::string& figure) {
  std::string text;
  for (const PaperValue& v : paper_values())
    if (v.figure == figure && v.config.empty() && v.value)  // per-configuration values go in their table
      text += (text.empty() ? "" : " ") + (v.framework.empty() ? std::string() : v.framework + ": ") + v.what + " " +
              format_significant(*v.value) + " " + v.unit + ".";
  return text;
}

// What the paper states for one figure or table; a figure it only draws says
// so once, with what its text says about it elsewhere (the section on it).
std::string paper_says(const std::string& figure) {
  const std::string text = stated_values(figure);
  if (!text.empty()) return "The paper: " + text;
  std::string says = "The paper draws " + figure + " only as a chart; its text states no number for it.";
  const std::string section = figure == "Figure 1" ? "Section 4.2" : figure == "Figure 4" ? "Section 4.3" : "";
  if (!section.empty()) says += " " + section + " of its text: " + stated_values(section);
  return says;
}

// One grouped-bar chart of a phase over the Section 4 grid: a group per
// configuration, a bar per backend with its p10-p90 whiskers.
void add_phase_figure(HtmlDocument& doc, const std::vector<PooledMeasurement>& pooled, const std::string& phase,
                      const std::string& figure, const std::string& title) {
  std::set<std::pair<int64_t, int64_t>> configs;
  std::map<std::string, std::map<std::pair<int64_t, int64_t>, const PooledMeasurement*>> by_backend;
  for (const PooledMeasurement& m : pooled) {
    if (m.phase != phase) continue;
    configs.insert({m.depth, m.width});
    by_backend[m.backend][{m.depth, m.width}] = &m;
  }
  doc.heading(2, figure + ": " + title, "figure-" + phase);
  if (configs.empty()) {
    doc.paragraph("Not measured: no backend produced a " + phase + " record in this reproduction.");
    return;
  }
  BarChart chart;
  chart.title = figure + " (reproduced): " + title;
  chart.y_label = phase == "train" ? "ms per batch" : phase == "infer" ? "ms per sample" : "ms";
  for (const auto& [depth, width] : configs) chart.categories.push_back(config_label(depth, width));
  std::vector<double> all;
  Table table;
  table.caption = figure + " (reproduced): median (p10-p90) in ms, pooled over rounds";
  table.header = {"backend"};
  for (const auto& c : chart.categories) table.header.push_back("paper-dnn " + c);
  table.numeric_columns.assign(table.header.size(), true);
  table.numeric_columns[0] = false;
  for (const std::string& backend : backend_ids()) {
    auto it = by_backend.find(backend);
    if (it == by_backend.end()) continue;
    ChartSeries series{backend, {}, {}, {}};
    std::vector<std::string> row = {backend};
    for (const auto& config : configs) {
      auto m = it->second.find(config);
      const bool has = m != it->second.end() && m->second->summary.n > 0;
      series.values.push_back(has ? m->second->summary.median : NAN);
      series.low.push_back(has ? m->second->summary.p10 : NAN);
      series.high.push_back(has ? m->second->summary.p90 : NAN);
      if (has) all.push_back(m->second->summary.median);
      row.push_back(has ? format_milliseconds(m->second->summary.median) + " (" +
                              format_milliseconds(m->second->summary.p10) + "-" +
                              format_milliseconds(m->second->summary.p90) + ")"
                        : "-");
    }
    chart.series.push_back(std::move(series));
    table.rows.push_back(std::move(row));
  }
  chart.log_y = spans_orders_of_magnitude(all);
  doc.figure(render_svg(chart), chart.title + (chart.log_y ? " (log scale)" : ""));
  doc.paragraph(paper_says(figure));
  doc.table(table);
}

// Table 1: the seven frameworks, what the paper says of each and whether they run here.
void add_table1(HtmlDocument& doc) {
  doc.heading(2, "Table 1: the frameworks the paper surveyed", "table-1");
  Table table;
  table.caption = "The paper's Table 1 (status and last commit as of late 2018) and what gapscope runs of each";
  table.header = {"framework", "status", "last commit", "trains", "WebGL", "networks", "library", "here"};
  table.numeric_columns = {false, false, false, false, false, false, true, false};
  for (const PaperFramework& f : paper_table1()) {
    std::string here;
    for (const std::string& backend : f.backends) here += (here.empty() ? "runs as " : ", ") + backend;
    if (here.empty()) here = "not run: " + f.not_run_reason;
    table.rows.push_back({f.name, f.status, f.last_commit, f.trains ? "yes" : "no", f.gpu ? "yes" : "no",
                          f.network_types, f.library_size, here});
  }
  doc.table(table);
}

void add_cpu_table(HtmlDocument& doc, const std::vector<PooledMeasurement>& pooled) {
  doc.heading(2, "Table 2: CPU utilisation while training", "table-2");
  std::map<std::string, std::vector<double>> by_backend;
  for (const PooledMeasurement& m : pooled)
    if (m.phase == "cpu_utilisation" && m.summary.n > 0) by_backend[m.backend].push_back(m.summary.median);
  Table table;
  table.caption = "CPU time / wall time (1.0 = one busy core), median over the grid; the paper's value where stated";
  table.header = {"backend", "here (median)", "min", "max", "configurations", "paper"};
  table.numeric_columns = {false, true, true, true, true, false};
  for (const std::string& backend : backend_ids()) {
    auto it = by_backend.find(backend);
    if (it == by_backend.end()) continue;
    std::vector<double> v = it->second;
    const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
    std::string paper = "not stated";
    for (const PaperValue& p : paper_values())
      if (p.figure == "Table 2" && p.framework == backend && p.value)
        paper = format_significant(*p.value) + " " + p.unit;
    table.rows.push_back({backend, format_significant(summarize(v).median), format_significant(*lo),
                          format_significant(*hi), std::to_string(v.size()), paper});
  }
  if (table.rows.empty()) {
    doc.paragraph("Not measured: no run recorded cpu_utilisation.");
    return;
  }
  doc.table(table);
  doc.paragraph("Native runs measure their own process over the timed training steps; browser runs measure the "
                "page's renderer process over the whole job (the page cannot see CPU time). " + paper_says("Table 2"));
}

// "1.3 MB / 0.2 MB" from the paper's Table 3 for a paper-dnn configuration, or "-".
std::string paper_sizes(const std::string& config) {
  std::optional<double> json, binary;
  for (const PaperValue& v : paper_values()) {
    if (v.figure != "Table 3" || v.config != config) continue;
    if (v.framework == "convnetjs") json = v.value;
    if (v.framework == "tfjs-cpu") binary = v.value;
  }
  if (!json || !binary) return "-";
  return format_significant(*json) + " MB / " + format_significant(*binary) + " MB";
}

void add_file_size_table(HtmlDocument& doc, const std::vector<PooledMeasurement>& pooled) {
  doc.heading(2, "Table 3: model file size per format", "table-3");
  std::set<std::pair<int64_t, int64_t>> configs;
  std::map<std::pair<int64_t, int64_t>, std::map<std::string, double>> sizes;
  for (const PooledMeasurement& m : pooled)
    if (m.phase == "file_size" && m.backend == "native-cpu" && m.summary.n > 0) {
      configs.insert({m.depth, m.width});
      sizes[{m.depth, m.width}][m.format] = m.summary.median;
    }
  if (configs.empty()) {
    doc.paragraph("Not measured: native-cpu recorded no file sizes.");
    return;
  }
  Table table;
  table.caption = "Bytes on disk of the same model and weights in each format (native binary, JSON with weights as "
                  "numbers, the TF.js layers format that the browser frameworks load)";
  table.header = {"model", "native binary", "JSON", "TF.js (model.json + shards)", "JSON / TF.js",
                  "paper: ConvNetJS (JSON) / TF.js"};
  table.numeric_columns = {false, true, true, true, true, true};
  for (const auto& config : configs) {
    auto& s = sizes[config];
    auto cell = [&](const char* format) { return s.count(format) ? format_bytes(s[format]) : std::string("-"); };
    const bool both = s.count("json") && s.count("tfjs") && s["tfjs"] > 0;
    table.rows.push_back({"paper-dnn " + config_label(config.first, config.second), cell("native"), cell("json"),
                          cell("tfjs"), both ? format_ratio(s["json"] / s["tfjs"]) : "-",
                          paper_sizes(config_label(config.first, config.second))});
  }
  doc.table(table);
  doc.paragraph(paper_says("Table 3"));
}

// Figure 6: one tree per task, as the paper draws them, on log10(ratio).
void add_trees(HtmlDocument& doc, const RatioAnalysis& analysis) {
  doc.heading(2, "Figure 6: what explains the browser/native gap", "figure-6");
  std::set<std::string> presets;
  for (const RatioPoint& p : analysis.points) presets.insert(p.preset);
  const auto as_ratio = [](double log_ratio) { return format_ratio(std::pow(10.0, log_ratio)); };
  bool any = false;
  for (const std::string task : {"train", "infer"}) {
    std::vector<Factor> factors = {{"backend", true}, {"depth", false}, {"width", false}};
    if (presets.size() > 1) factors.push_back({"model", true});
    std::vector<Sample> samples;
    for (const RatioPoint& p : analysis.points) {
      if (p.task != task) continue;
      Sample s;
      s.values = {p.backend, static_cast<double>(p.depth), static_cast<double>(p.width)};
      if (presets.size() > 1) s.values.emplace_back(p.preset);
      s.target = std::log10(p.ratio);
      samples.push_back(std::move(s));
    }
    if (samples.size() < 2) continue;
    any = true;
    const RegressionTree tree = RegressionTree::fit(factors, samples);
    const std::string title = std::string(task == "train" ? "Training" : "Inference") +
                              ": browser/native time ratio (leaves: geometric mean ratio)";
    doc.figure(render_tree_svg(tree, title, as_ratio), title);
  }
  if (!any) doc.paragraph("Not measured: the gap sweeps have fewer than two browser/native ratios per task.");
  doc.paragraph(paper_says("Figure 6") + " Trees here are fit on log10 of the ratio (ratios span orders of magnitude), "
                "with depth limited to the number of factors as in the paper.");
  doc.paragraph(paper_says("Section 5.2.3"));
}

void add_findings(HtmlDocument& doc, const std::vector<FindingCheck>& findings) {
  doc.heading(2, "Table 6: the paper's findings on this machine", "findings");
  Table table;
  table.caption = "Table 6 of the paper, each finding in our words with the numbers the paper states for it, beside "
                  "what this machine measured; A1-A3 are gapscope's additions, claims from the paper's Sections 4 "
                  "and 5 outside Table 6";
  table.header = {"#", "finding", "paper", "here", "verdict"};
  table.numeric_columns = {false, false, false, false, false};
  int confirmed = 0, judged = 0;
  for (const FindingCheck& check : findings) {
    if (!check.finding.addition()) {
      confirmed += check.verdict == Verdict::confirmed;
      judged += check.verdict != Verdict::not_measured;
    }
    std::string verdict = to_string(check.verdict);
    std::replace(verdict.begin(), verdict.end(), '_', ' ');
    const std::string numbers = paper_numbers(check.finding.id);
    table.rows.push_back({check.finding.id, check.finding.name + ": " + check.finding.statement,
                          (numbers.empty() ? "no number in the text" : numbers) + " [" + check.finding.source + "]",
                          check.evidence, verdict});
  }
  doc.paragraph("Of Table 6's eight findings, " + std::to_string(judged) + " could be judged on this machine and " +
                std::to_string(confirmed) + " were confirmed; the others say why they could not be measured here.");
  doc.table(table);
}

}  // namespace

std::string paper_report_html(const PaperReportInput& input) {
  HtmlDocument doc("Reproducing \"Moving Deep Learning into Web Browser: How Far Can We Go?\" (WWW'19)");
  const StoredRun* section4 = find_section4(input.runs);
  const StoredRun gap = merged_gap_runs(input.runs);
  const StoredRun* first = section4 ? section4 : input.runs.empty() ? nullptr : &input.runs.front();

  doc.paragraph(std::string("gapscope re-ran the paper's experiments on this machine (") +
                (input.quick ? "--quick: the corners of each grid, one round, 5% of the runs" : "the default size") +
                ", " + std::to_string(static_cast<int>(input.seconds / 60)) + " min " +
                std::to_string(static_cast<int>(input.seconds) % 60) +
                " s). The paper compared TF.js in Chrome with TensorFlow in Python on 2018 hardware; here the native "
                "side is gapscope's own engine and, as the paper's mainstream framework, PyTorch (pytorch-cpu), and "
                "the browser is QtWebEngine. Absolute times differ; the findings are about relations, and those are "
                "what is checked.");
  add_findings(doc, input.findings);

  add_table1(doc);
  if (section4) {
    const auto pooled = pool_rounds(*section4);
    add_phase_figure(doc, pooled, "train", "Figure 1", "training time per batch (batch 64)");
    add_phase_figure(doc, pooled, "load", "Figure 2", "model load time");
    add_phase_figure(doc, pooled, "warmup", "Figure 3", "warm-up time (first inference of a fresh model)");
    add_phase_figure(doc, pooled, "infer", "Figure 4", "inference time per sample");
    add_cpu_table(doc, pooled);
    add_file_size_table(doc, pooled);
  } else {
    doc.heading(2, "Figures 1-4, Tables 2-3", "section-4");
    doc.paragraph("Not measured: the reproduction has no Section 4 sweep (paper-fig1-4).");
  }

  add_zoo_section(doc, input.zoo_runs);

  const RatioAnalysis analysis = analyse_ratios(gap);
  add_trees(doc, analysis);
  if (!analysis.points.empty()) add_ratio_section(doc, analysis);

  if (first) {
    add_metadata_section(doc, *first);
    add_method_section(doc, *first);
  }
  std::vector<std::string> notes;
  for (const StoredRun& run : input.runs) {
    const auto& sweep = run.summary.metadata.value("sweep", nlohmann::json::object());
    for (const auto& note : sweep.value("notes", nlohmann::json::array()))
      notes.push_back(sweep.value("name", run.summary.id) + ": " + note.get<std::string>());
  }
  if (!notes.empty()) {
    doc.heading(2, "The grids: which source each follows, and what differs from the paper's", "grids");
    for (const std::string& note : notes) doc.paragraph(note);
  }
  for (const StoredRun& run : input.runs) add_failures_section(doc, run);
  return doc.html();
}

}  // namespace gapscope

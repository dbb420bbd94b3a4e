// add_ratio_section: how many times slower each browser backend is than
// native, per grid point and task, and which factors explain it.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "core/measure/statistics.h"
#include "core/report/report_numbers.h"
#include "core/report/report_vocabulary.h"
#include "core/report/run_report.h"
#include "core/report/svg_chart.h"
#include "core/report/tree_diagram.h"

namespace gapscope {
namespace {

// One heatmap per (preset, backend, reference, task).
using Group = std::tuple<std::string, std::string, std::string, std::string>;

bool point_before(const RatioPoint& a, const RatioPoint& b) {
  if (a.backend != b.backend) return backend_before(a.backend, b.backend);
  return std::tie(a.task, a.preset, a.depth, a.width, a.reference) <
         std::tie(b.task, b.preset, b.depth, b.width, b.reference);
}

void add_summary_table(HtmlDocument& doc, const std::vector<RatioPoint>& points) {
  std::map<std::tuple<std::string, std::string, std::string>, std::vector<double>> ratios;
  std::vector<std::tuple<std::string, std::string, std::string>> order;
  for (const RatioPoint& p : points) {
    const auto key = std::make_tuple(p.backend, p.reference, p.task);
    if (!ratios.count(key)) order.push_back(key);
    ratios[key].push_back(p.ratio);
  }
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    if (std::get<0>(a) != std::get<0>(b)) return backend_before(std::get<0>(a), std::get<0>(b));
    return std::tie(std::get<2>(a), std::get<1>(a)) < std::tie(std::get<2>(b), std::get<1>(b));
  });
  Table table{"Browser / native time per backend and task, over every grid point",
              {"Backend", "Divided by", "Task", "Points", "Geometric mean", "Min", "Max"},
              {},
              {false, false, false, true, true, true, true}};
  for (const auto& key : order) {
    const std::vector<double>& values = ratios[key];
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    table.rows.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), std::to_string(values.size()),
                          format_ratio(geometric_mean(values)), format_ratio(*lo), format_ratio(*hi)});
  }
  doc.table(table);
}

void add_heatmaps(HtmlDocument& doc, const std::vector<RatioPoint>& points) {
  std::set<std::string> presets;
  for (const RatioPoint& p : points) presets.insert(p.preset);
  std::map<Group, std::vector<const RatioPoint*>> groups;
  std::vector<Group> order;
  for (const RatioPoint& p : points) {
    const Group key{p.preset, p.backend, p.reference, p.task};
    if (!groups.count(key)) order.push_back(key);
    groups[key].push_back(&p);
  }
  std::sort(order.begin(), order.end(), [](const Group& a, const Group& b) {
    if (std::get<1>(a) != std::get<1>(b)) return backend_before(std::get<1>(a), std::get<1>(b));
    return std::tie(std::get<3>(a), std::get<0>(a), std::get<2>(a)) < std::tie(std::get<3>(b), std::get<0>(b), std::get<2>(b));
  });
  for (const Group& key : order) {
    const auto& [preset, backend, reference, task] = key;
    const auto& members = groups[key];
    std::set<int64_t> depths, widths;
    for (const RatioPoint* p : members) {
      depths.insert(p->depth);
      widths.insert(p->width);
    }
    Heatmap map;
    map.title = backend + " / " + reference + ", " + task + (presets.size() > 1 ? " (" + preset + ")" : "");
    map.row_label = "depth (layers)";
    map.column_label = "width (units per layer)";
    map.value_label = "times slower than " + reference;
    for (const int64_t depth : depths) map.rows.push_back(std::to_string(depth));
    for (const int64_t width : widths) map.columns.push_back(std::to_string(width));
    map.values.assign(depths.size(), std::vector<double>(widths.size(), NAN));
    std::vector<double> all;
    for (const RatioPoint* p : members) {
      const auto r = static_cast<size_t>(std::distance(depths.begin(), depths.find(p->depth)));
      const auto c = static_cast<size_t>(std::distance(widths.begin(), widths.find(p->width)));
      map.values[r][c] = p->ratio;
      all.push_back(p->ratio);
    }
    map.log_scale = spans_orders_of_magnitude(all);
    doc.figure(render_svg(map), "How many times longer " + backend + " takes than " + reference + " for " + task +
                                    (task == "train" ? " (one step per batch)" : " (one sample)") +
                                    ", per depth and width. Empty cells were not measured on both sides.");
  }
}

void add_points_table(HtmlDocument& doc, std::vector<RatioPoint> points) {
  std::sort(points.begin(), points.end(), point_before);
  Table table{"Every ratio: browser median / native median at the same grid point and task",
              {"Configuration", "Backend", "Divided by", "Task", "Browser median", "Native median", "Ratio"},
              {},
              {false, false, false, false, true, true, true}};
  for (const RatioPoint& p : points)
    table.rows.push_back({point_label(p.preset, p.depth, p.width), p.backend, p.reference, p.task,
                          format_milliseconds(p.browser_ms), format_milliseconds(p.native_ms), format_ratio(p.ratio)});
  doc.table(table);
}

void add_tree(HtmlDocument& doc, const RatioAnalysis& analysis) {
  doc.heading(3, "What explains the ratio", "ratio-tree");
  if (!analysis.tree) {
    doc.paragraph("Too few ratios (fewer than 2) to fit a regression tree.");
    return;
  }
  const RegressionTree& tree = *analysis.tree;
  doc.paragraph(
      "A regression tree (CART, least squares) fit on log10 of the ratio, its depth limited to the number of "
      "factors as in the paper. Each split sends the configurations that pass its test to the left (yes); a leaf "
      "shows the geometric mean ratio of its configurations and how many there are. Importance is each factor's "
      "share of the variance the splits remove.");
  doc.figure(render_tree_svg(tree, "Regression tree of the browser / native ratio",
                             [](double log_ratio) { return format_ratio(std::pow(10.0, log_ratio)); }),
             "Regression tree of log10(browser / native); leaves show the ratio 10^value and n.");
  const std::vector<double> importance = tree.importance(), decrease = tree.sse_decrease();
  Table table{"Factor importance", {"Factor", "Importance", "SSE decrease (log10 ratio)"}, {}, {false, true, true}};
  std::vector<size_t> order(importance.size());
  for (size_t f = 0; f < order.size(); ++f) order[f] = f;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return importance[a] > importance[b]; });
  for (const size_t f : order)
    table.rows.push_back({tree.factors()[f].name, format_significant(importance[f] * 100) + "%",
                          format_significant(f < decrease.size() ? decrease[f] : NAN)});
  doc.table(table);
}

}  // namespace

void add_ratio_section(HtmlDocument& doc, const RatioAnalysis& analysis) {
  doc.heading(2, "Browser / native ratio", "ratios");
  doc.paragraph(
      "The ratio is a browser backend's median time divided by the native backend's median time for the same model, "
      "grid point and task (train: one step per batch; infer: one sample). Above 1 the browser is slower.");
  if (analysis.points.empty()) {
    doc.paragraph("No ratios: this run has no browser and native measurements of the same grid point and task.");
  } else {
    add_summary_table(doc, analysis.points);
    doc.heading(3, "Ratio by depth and width", "ratio-heatmaps");
    add_heatmaps(doc, analysis.points);
    add_points_table(doc, analysis.points);
    add_tree(doc, analysis);
  }
  if (!analysis.notes.empty()) {
    doc.heading(3, "Notes on the ratios");
    doc.bullet_list(analysis.notes);
  }
}

}  // namespace gapscope

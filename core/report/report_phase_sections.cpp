// add_phase_sections: per phase, a chart and a table of the pooled medians.
// A grid with several widths is drawn as lines over width (a series per
// backend and depth); anything else as grouped bars, a group per
// configuration and a bar per backend (per format for file sizes).
#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "core/report/report_numbers.h"
#include "core/report/report_vocabulary.h"
#include "core/report/run_report.h"
#include "core/report/svg_chart.h"

namespace gapscope {
namespace {

constexpr size_t kMaxSeriesPerChart = 8;  // beyond this, styles repeat: split into one chart per depth

using Records = std::vector<const PooledMeasurement*>;

// How one line or bar series is told apart: backend, and format for file sizes.
struct SeriesKey {
  std::string preset, backend, format;
  int64_t depth = 0;
  bool operator<(const SeriesKey& o) const {
    if (preset != o.preset) return preset < o.preset;
    if (backend != o.backend) return backend_before(backend, o.backend);
    if (format != o.format) return format < o.format;
    return depth < o.depth;
  }
};

struct PointKey {
  std::string preset;
  int64_t depth = 0, width = 0;
  auto operator<=>(const PointKey&) const = default;
};

struct Dimensions {
  std::set<std::string> presets, formats;
  std::set<int64_t> depths, widths;
};

Dimensions dimensions_of(const Records& records) {
  Dimensions d;
  for (const PooledMeasurement* r : records) {
    d.presets.insert(r->preset);
    d.formats.insert(r->format);
    d.depths.insert(r->depth);
    d.widths.insert(r->width);
  }
  return d;
}

// Lines over width only where some depth was measured at several widths;
// isolated points would be lines of one point each.
bool varies_in_width(const Records& records) {
  std::map<std::pair<std::string, int64_t>, std::set<int64_t>> widths;  // (preset, depth) -> widths
  for (const PooledMeasurement* r : records)
    if (r->width > 0 && widths[{r->preset, r->depth}].insert(r->width).second &&
        widths[{r->preset, r->depth}].size() > 1)
      return true;
  return false;
}

// any_backend: file sizes every backend agrees on, one series per format.
SeriesKey series_key(const PooledMeasurement& r, bool by_depth, bool any_backend) {
  return {r.preset, any_backend ? std::string() : r.backend, r.format, by_depth ? r.depth : 0};
}

std::string series_name(const SeriesKey& key, const Dimensions& d, bool by_depth) {
  std::string name = key.backend;
  if (!key.format.empty()) name += (name.empty() ? "" : ", ") + key.format + " format";
  if (by_depth) name += ", depth " + std::to_string(key.depth);
  if (d.presets.size() > 1) name += " (" + key.preset + ")";
  return name;
}

double largest_median(const Records& records) {
  double largest = 0;
  for (const PooledMeasurement* r : records)
    if (std::isfinite(r->summary.median)) largest = std::max(largest, std::fabs(r->summary.median));
  return largest;
}

std::string axis_label(const PhaseInfo& info, const DisplayUnit& unit) {
  return unit.label.empty() ? info.axis : info.axis + " (" + unit.label + ")";
}

// File sizes do not depend on the backend: one bar per format is enough when
// every backend that wrote a format agrees on its size.
bool sizes_agree_across_backends(const Records& records) {
  std::map<std::tuple<PointKey, std::string>, double> size;
  for (const PooledMeasurement* r : records) {
    const auto key = std::make_tuple(PointKey{r->preset, r->depth, r->width}, r->format);
    const auto [it, inserted] = size.emplace(key, r->summary.median);
    if (!inserted && it->second != r->summary.median) return false;
  }
  return true;
}

void add_line_charts(HtmlDocument& doc, const PhaseInfo& info, const Records& records, const DisplayUnit& unit) {
  const Dimensions d = dimensions_of(records);
  const bool merge_backends = info.phase == "file_size" && sizes_agree_across_backends(records);
  const bool by_depth = d.depths.size() > 1;
  std::set<SeriesKey> keys;
  for (const PooledMeasurement* r : records) {
    keys.insert(series_key(*r, by_depth, merge_backends));
  }
  // Small multiples when one chart would need more than the distinct styles.
  std::vector<std::optional<int64_t>> panels = {std::nullopt};
  if (keys.size() > kMaxSeriesPerChart && by_depth) {
    panels.clear();
    for (const int64_t depth : d.depths) panels.emplace_back(depth);
  }
  const std::vector<double> x(d.widths.begin(), d.widths.end());
  for (const auto& panel : panels) {
    LineChart chart;
    chart.title = info.title + " by width" + (panel ? ", depth " + std::to_string(*panel) : "");
    chart.x_label = "width (units per layer)";
    chart.y_label = axis_label(info, unit);
    chart.x = x;
    std::map<SeriesKey, size_t> index;
    for (const SeriesKey& key : keys) {
      if (panel && key.depth != *panel) continue;
      index[key] = chart.series.size();
      chart.series.push_back({series_name(key, d, by_depth && !panel), std::vector<double>(x.size(), NAN)});
    }
    std::vector<double> all;
    for (const PooledMeasurement* r : records) {
      const auto it = index.find(series_key(*r, by_depth, merge_backends));
      if (it == index.end()) continue;
      const size_t column = static_cast<size_t>(std::find(x.begin(), x.end(), static_cast<double>(r->width)) - x.begin());
      const double value = r->summary.n > 0 ? r->summary.median * unit.scale : NAN;
      chart.series[it->second].values[column] = value;
      all.push_back(value);
    }
    chart.log_y = spans_orders_of_magnitude(all);
    chart.log_x = spans_orders_of_magnitude(x);
    doc.figure(render_svg(chart), info.title + ": median of every round's samples pooled, by layer width" +
                                      (chart.log_y ? " (log scale)" : "") + ". The table gives p10-p90 and n.");
  }
}

void add_bar_chart(HtmlDocument& doc, const PhaseInfo& info, const Records& records, const DisplayUnit& unit) {
  const bool merge_backends = info.phase == "file_size" && sizes_agree_across_backends(records);
  std::set<PointKey> points;
  std::set<SeriesKey> keys;
  for (const PooledMeasurement* r : records) {
    points.insert({r->preset, r->depth, r->width});
    keys.insert(series_key(*r, false, merge_backends));
  }
  BarChart chart;
  chart.title = info.title + (points.size() > 1 ? " per configuration" : "");
  chart.y_label = axis_label(info, unit);
  std::vector<PointKey> ordered(points.begin(), points.end());
  for (const PointKey& p : ordered) chart.categories.push_back(point_label(p.preset, p.depth, p.width));
  std::map<SeriesKey, size_t> index;
  Dimensions naming = dimensions_of(records);
  naming.presets.clear();  // the category already names the preset
  for (const SeriesKey& key : keys) {
    index[key] = chart.series.size();
    const size_t n = ordered.size();
    chart.series.push_back({series_name(key, naming, false), std::vector<double>(n, NAN), std::vector<double>(n, NAN),
                            std::vector<double>(n, NAN)});
  }
  std::vector<double> all;
  for (const PooledMeasurement* r : records) {
    ChartSeries& series = chart.series[index.at(series_key(*r, false, merge_backends))];
    const size_t column = static_cast<size_t>(
        std::find(ordered.begin(), ordered.end(), PointKey{r->preset, r->depth, r->width}) - ordered.begin());
    if (r->summary.n == 0) continue;
    series.values[column] = r->summary.median * unit.scale;
    series.low[column] = r->summary.p10 * unit.scale;
    series.high[column] = r->summary.p90 * unit.scale;
    all.push_back(series.values[column]);
  }
  chart.log_y = spans_orders_of_magnitude(all);
  doc.figure(render_svg(chart), info.title + ": median of every round's samples pooled; whiskers span p10-p90" +
                                    std::string(chart.log_y ? " (log scale)." : "."));
}

void add_phase_table(HtmlDocument& doc, const PhaseInfo& info, Records records) {
  const bool formats = std::any_of(records.begin(), records.end(), [](auto* r) { return !r->format.empty(); });
  std::sort(records.begin(), records.end(), [](const PooledMeasurement* a, const PooledMeasurement* b) {
    if (a->preset != b->preset) return a->preset < b->preset;
    if (a->depth != b->depth) return a->depth < b->depth;
    if (a->width != b->width) return a->width < b->width;
    if (a->backend != b->backend) return backend_before(a->backend, b->backend);
    return a->format < b->format;
  });
  Table table;
  table.caption = info.title + ": median, p10-p90 and n of the pooled samples";
  table.header = {"Configuration", "Backend"};
  if (formats) table.header.push_back("Format");
  for (const char* column : {"Median", "p10 - p90", "n"}) table.header.push_back(column);
  table.numeric_columns.assign(table.header.size(), false);
  for (size_t c = table.header.size() - 3; c < table.header.size(); ++c) table.numeric_columns[c] = true;
  for (const PooledMeasurement* r : records) {
    std::vector<std::string> row = {point_label(r->preset, r->depth, r->width), r->backend};
    if (formats) row.push_back(r->format);
    const bool empty = r->summary.n == 0;
    row.push_back(empty ? "n/a" : format_measure(r->summary.median, r->unit));
    row.push_back(empty ? "n/a" : format_measure(r->summary.p10, r->unit) + " - " + format_measure(r->summary.p90, r->unit));
    row.push_back(std::to_string(r->summary.n));
    table.rows.push_back(std::move(row));
  }
  doc.table(table);
}

}  // namespace

void add_phase_sections(HtmlDocument& doc, const StoredRun& run) {
  const std::vector<PooledMeasurement> pooled = pool_rounds(run);
  std::map<std::string, Records> by_phase;
  for (const PooledMeasurement& p : pooled) by_phase[p.phase].push_back(&p);

  doc.heading(2, "Measurements by phase", "phases");
  std::vector<std::string> phases;
  for (const auto& [phase, _] : by_phase) phases.push_back(phase);
  phases = in_report_order(phases);
  std::vector<std::string> missing;
  for (const PhaseInfo& info : known_phases())
    if (!by_phase.count(info.phase) && info.phase != "device_memory" && info.phase != "js_memory")
      missing.push_back(info.phase);
  if (phases.empty()) {
    doc.paragraph("This run recorded no measurements.");
    return;
  }
  doc.paragraph("Every round of a configuration is pooled before the median is taken. Charts show medians; the "
                "tables give the spread (p10-p90) and the number of pooled samples n.");
  if (!missing.empty()) {
    std::string list;
    for (const std::string& phase : missing) list += (list.empty() ? "" : ", ") + phase;
    doc.paragraph("Not measured in this run: " + list + ".");
  }

  for (const std::string& phase : phases) {
    const PhaseInfo info = phase_info(phase);
    const Records& records = by_phase[phase];
    doc.heading(3, info.title, "phase-" + phase);
    doc.paragraph("One sample: " + info.what + ".");
    const DisplayUnit unit = display_unit(records.front()->unit, largest_median(records));
    if (varies_in_width(records))
      add_line_charts(doc, info, records, unit);
    else
      add_bar_chart(doc, info, records, unit);
    add_phase_table(doc, info, records);
  }
}

}  // namespace gapscope

// render_svg(const BarChart&): grouped bars, a group per category.
#include <algorithm>
#include <cmath>

#include "core/report/chart_frame.h"
#include "core/report/chart_style.h"
#include "core/report/svg_chart.h"
#include "core/report/svg_writer.h"

namespace gapscope {

using namespace chart_detail;

namespace {

void check_sizes(const BarChart& chart) {
  for (const ChartSeries& s : chart.series) {
    if (s.values.size() != chart.categories.size())
      size_error(chart.title, "series '" + s.name + "' has " + std::to_string(s.values.size()) + " values for " +
                                  std::to_string(chart.categories.size()) + " categories");
    check_whiskers(chart.title, s);
  }
}

double at(const std::vector<double>& values, size_t i) { return i < values.size() ? values[i] : NAN; }

// Whisker from low to high with caps, clipped to what the axis can show.
std::string whisker(const ChartAxis& axis, const PlotArea& area, double x, double cap, double low, double high) {
  if (!plottable(low, axis.log) && !plottable(high, axis.log)) return "";
  const double y_low = plottable(low, axis.log) ? y_of(axis, area, low) : area.bottom();
  const double y_high = plottable(high, axis.log) ? y_of(axis, area, high) : y_low;
  return svg::line(x, y_low, x, y_high, "#000", 1, "", "whisker") + svg::line(x - cap, y_low, x + cap, y_low, "#000", 1) +
         svg::line(x - cap, y_high, x + cap, y_high, "#000", 1);
}

}  // namespace

std::string render_svg(const BarChart& chart) {
  check_sizes(chart);
  const double width = kChartWidth;
  const std::string prefix = id_prefix(chart.title, chart.series);

  std::vector<double> bar_values, extent;
  for (const ChartSeries& s : chart.series) {
    bar_values.insert(bar_values.end(), s.values.begin(), s.values.end());
    extent.insert(extent.end(), s.values.begin(), s.values.end());
    extent.insert(extent.end(), s.low.begin(), s.low.end());
    extent.insert(extent.end(), s.high.begin(), s.high.end());
  }
  int dropped = 0, ignored = 0;
  const ChartAxis axis = value_axis(extent, chart.log_y, true, ignored);
  for (const double v : bar_values)
    if (!std::isnan(v) && !plottable(v, chart.log_y)) ++dropped;

  std::string body;
  double y = 8;
  const Block title = title_block(chart.title, y, width);
  body += title.svg;
  y += title.height;
  const Block legend = legend_block(chart.series, LegendSwatch::bar, prefix, y, width);
  body += legend.svg;
  y += legend.height + 10;

  const double left = y_axis_margin(axis);
  const PlotArea area{left, y, width - left - 16, kPlotHeight};
  body += y_axis_svg(axis, area, chart.y_label);

  const size_t categories = std::max<size_t>(1, chart.categories.size());
  const size_t series = std::max<size_t>(1, chart.series.size());
  const double group = area.width / static_cast<double>(categories);
  const double bar_width = std::min(36.0, group * 0.8 / static_cast<double>(series));
  const double baseline =
      axis.log ? area.bottom() : y_of(axis, area, std::clamp(0.0, axis.lo, axis.hi));

  for (size_t c = 0; c < chart.categories.size(); ++c) {
    const double group_left = area.left + group * static_cast<double>(c) +
                              (group - bar_width * static_cast<double>(chart.series.size())) / 2;
    for (size_t s = 0; s < chart.series.size(); ++s) {
      const ChartSeries& data = chart.series[s];
      const double value = data.values[c];
      const double x = group_left + bar_width * static_cast<double>(s), centre = x + bar_width / 2;
      if (std::isnan(value)) {  // missing: say so where the bar would stand, never draw a zero
        body += svg::text(centre, baseline - 4, "n/a",
                          {.size = 10, .rotate = -90, .centre_vertically = true, .css_class = "missing"});
        continue;
      }
      if (!plottable(value, axis.log)) continue;  // counted in the footnote
      const double top = y_of(axis, area, value);
      body += svg::rect(x, std::min(top, baseline), bar_width, std::fabs(baseline - top), bar_fill(prefix, s), "#000",
                        0.5, "bar");
      body += whisker(axis, area, centre, std::min(bar_width * 0.3, 6.0), at(data.low, c), at(data.high, c));
    }
  }
  body += svg::line(area.left, baseline, area.right(), baseline, "#000", 1);

  // Category labels: level if they fit their group, else slanted.
  double widest = 0;
  for (const std::string& category : chart.categories) widest = std::max(widest, svg::text_width(category, kTickFont));
  const bool slanted = widest > group - 6;
  for (size_t c = 0; c < chart.categories.size(); ++c) {
    const double centre = area.left + group * (static_cast<double>(c) + 0.5);
    if (slanted)
      body += svg::text(centre + 4, area.bottom() + 12, chart.categories[c],
                        {.size = kTickFont, .anchor = "end", .rotate = -40, .css_class = "category"});
    else
      body += svg::text(centre, area.bottom() + 18, chart.categories[c],
                        {.size = kTickFont, .anchor = "middle", .css_class = "category"});
  }
  y = area.bottom() + (slanted ? widest * 0.65 + 22 : 26);

  std::vector<std::string> notes;
  if (dropped) notes.push_back(dropped_note(dropped, "axis"));
  if (chart.categories.empty() || chart.series.empty()) notes.push_back("No values to show.");
  const Block footnotes = footnote_block(notes, y, width);
  body += footnotes.svg;
  y += footnotes.height + 8;

  return svg::begin(width, y, chart.title, "chart bar-chart") + hatch_defs(prefix, chart.series.size()) + body +
         svg::end();
}

}  // namespace gapscope

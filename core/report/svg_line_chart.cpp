// render_svg(const LineChart&): one dashed, marked line per series; a missing
// value breaks the line.
#include <algorithm>
#include <cmath>
#include <set>

#include "core/report/chart_frame.h"
#include "core/report/chart_style.h"
#include "core/report/report_numbers.h"
#include "core/report/svg_chart.h"
#include "core/report/svg_writer.h"

namespace gapscope {

using namespace chart_detail;

namespace {

void check_sizes(const LineChart& chart) {
  for (const ChartSeries& s : chart.series) {
    if (s.values.size() != chart.x.size())
      size_error(chart.title, "series '" + s.name + "' has " + std::to_string(s.values.size()) + " values for " +
                                  std::to_string(chart.x.size()) + " x values");
    check_whiskers(chart.title, s);
  }
}

// An x axis over a few grid values (widths 64, 128, 256) reads best with a
// tick at each of them, on a log axis too (doublings then stand evenly
// apart); otherwise nice steps, or decades.
ChartAxis x_axis_for(const LineChart& chart, double plot_width, int& dropped) {
  ChartAxis axis = value_axis(chart.x, chart.log_x, false, dropped);
  std::set<double> distinct;
  for (const double x : chart.x)
    if (plottable(x, chart.log_x)) distinct.insert(x);
  if (distinct.size() < 2 || distinct.size() > 10) return axis;
  const double lo = *distinct.begin(), hi = *distinct.rbegin();
  ChartAxis data_axis;
  data_axis.log = chart.log_x;
  if (chart.log_x) {
    const double pad = std::pow(hi / lo, 0.04);
    data_axis.lo = lo / pad;
    data_axis.hi = hi * pad;
  } else {
    const double pad = (hi - lo) * 0.04;
    data_axis.lo = lo - pad;
    data_axis.hi = hi + pad;
  }
  double previous_right = -INFINITY;
  for (const double x : distinct) {
    const std::string label = format_plain(x);
    const double centre = plot_width * data_axis.fraction(x), half = svg::text_width(label, kTickFont) / 2;
    if (centre - half < previous_right + 4) return axis;  // labels would collide
    previous_right = centre + half;
    data_axis.major.push_back({x, label});
  }
  return data_axis;
}

}  // namespace

std::string render_svg(const LineChart& chart) {
  check_sizes(chart);
  const double width = kChartWidth;
  const std::string prefix = id_prefix(chart.title, chart.series);

  std::vector<double> extent;
  for (const ChartSeries& s : chart.series) extent.insert(extent.end(), s.values.begin(), s.values.end());
  int dropped_y = 0, dropped_x = 0;
  // Times are never negative: a linear y axis from zero shows ratios honestly.
  const bool all_non_negative = std::none_of(extent.begin(), extent.end(), [](double v) { return v < 0; });
  const ChartAxis y_axis = value_axis(extent, chart.log_y, all_non_negative, dropped_y);

  std::string body;
  double y = 8;
  const Block title = title_block(chart.title, y, width);
  body += title.svg;
  y += title.height;
  const Block legend = legend_block(chart.series, LegendSwatch::line, prefix, y, width);
  body += legend.svg;
  y += legend.height + 10;

  const double left = y_axis_margin(y_axis);
  PlotArea area{left, y, width - left - 20, kPlotHeight};
  const ChartAxis x_axis = x_axis_for(chart, area.width, dropped_x);
  body += y_axis_svg(y_axis, area, chart.y_label);
  const Block x_block = x_axis_svg(x_axis, area, chart.x_label);
  body += x_block.svg;

  int dropped_points = 0;  // a log axis leaves these out
  for (size_t s = 0; s < chart.series.size(); ++s) {
    const SeriesStyle style = series_style(s);
    const std::vector<double>& values = chart.series[s].values;
    std::string path, markers;
    bool pen_down = false;
    for (size_t i = 0; i < values.size(); ++i) {
      const double xv = chart.x[i], yv = values[i];
      const bool usable = plottable(xv, chart.log_x) && plottable(yv, chart.log_y);
      if (!usable) {
        if (!std::isnan(xv) && !std::isnan(yv)) ++dropped_points;
        pen_down = false;  // a gap, not a line across the missing point
        continue;
      }
      const double px = x_of(x_axis, area, xv), py = y_of(y_axis, area, yv);
      path += (pen_down ? " L" : " M") + svg::number(px) + " " + svg::number(py);
      pen_down = true;
      markers += marker_svg(style.marker, px, py, 7, style.colour);
    }
    if (!path.empty()) {
      body += "<path class=\"series-line\" d=\"" + path.substr(1) + "\" fill=\"none\" stroke=\"" + style.colour +
              "\" stroke-width=\"2\"" + (style.dash.empty() ? "" : " stroke-dasharray=\"" + style.dash + "\"") +
              "/>\n";
    }
    body += "<g class=\"points\">" + markers + "</g>\n";
  }
  y = area.bottom() + x_block.height;

  std::vector<std::string> notes;
  if (dropped_points) {
    std::string axes = chart.log_x && chart.log_y ? "axes" : "axis";
    notes.push_back(std::to_string(dropped_points) + (dropped_points == 1 ? " point" : " points") +
                    " with a value of zero or less not shown on the log " + axes + ".");
  }
  if (chart.x.empty() || chart.series.empty()) notes.push_back("No values to show.");
  const Block footnotes = footnote_block(notes, y, width);
  body += footnotes.svg;
  y += footnotes.height + 8;

  return svg::begin(width, y, chart.title, "chart line-chart") + body + svg::end();
}

}  // namespace gapscope

// Charts as self-contained SVG text for the HTML report (and, through
// Chromium, its PDF): black text of at least 10 px, gridlines, axis labels
// with units, a legend, and series told apart by colour AND by marker, dash
// or hatch so grey-scale print still separates them. A missing value (NaN) is
// a gap or an absent bar, never a zero.
#pragma once
#include <string>
#include <vector>

namespace gapscope {

struct ChartSeries {
  std::string name;
  std::vector<double> values;  // NaN = missing
  // Optional spread drawn as whiskers (bar charts), e.g. p10 and p90: empty,
  // or as many as values (NaN = none at that point).
  std::vector<double> low = {}, high = {};
};

// Grouped bars: one group per category, one bar per series.
struct BarChart {
  std::string title, y_label;
  std::vector<std::string> categories;
  std::vector<ChartSeries> series;
  bool log_y = false;
};

struct LineChart {
  std::string title, x_label, y_label;
  std::vector<double> x;
  std::vector<ChartSeries> series;
  bool log_x = false, log_y = false;
};

// Each cell shows its number as well as its colour; a colour scale legend
// goes under the grid.
struct Heatmap {
  std::string title, row_label, column_label, value_label;
  std::vector<std::string> rows, columns;
  std::vector<std::vector<double>> values;  // [row][column]
  bool log_scale = false;
};

// Throw std::invalid_argument naming the chart's title when sizes disagree
// (a series' values vs the categories or x, whiskers vs values, a heatmap's
// rows vs its values). On a log axis, non-positive values are left out and a
// footnote inside the SVG says how many.
std::string render_svg(const BarChart& chart);
std::string render_svg(const LineChart& chart);
std::string render_svg(const Heatmap& chart);

// Should a log axis be used? True when the positive finite values span more
// than a factor of 30.
bool spans_orders_of_magnitude(const std::vector<double>& values);

}  // namespace gapscope

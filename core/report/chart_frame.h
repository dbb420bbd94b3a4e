// The parts every chart of svg_chart.h shares: title, legend, value axes with
// gridlines, footnotes, size checks. Internal to core/report.
#pragma once
#include <string>
#include <vector>

#include "core/report/chart_axis.h"
#include "core/report/svg_chart.h"

namespace gapscope::chart_detail {

inline constexpr double kChartWidth = 640;  // fits an A4 page's text width at 96 dpi
inline constexpr double kPlotHeight = 250;
inline constexpr double kTickFont = 11, kLabelFont = 12, kTitleFont = 14, kFootnoteFont = 10;

// A piece of a chart laid out from some top y: its SVG and how tall it is.
struct Block {
  std::string svg;
  double height = 0;
};

struct PlotArea {
  double left = 0, top = 0, width = 0, height = 0;
  double bottom() const { return top + height; }
  double right() const { return left + width; }
};

// Pattern ids of different charts in one HTML page must not clash: derived
// from the chart's content, so the same chart always renders the same text.
std::string id_prefix(const std::string& title, const std::vector<ChartSeries>& series);

Block title_block(const std::string& title, double top, double width);
enum class LegendSwatch { bar, line };
Block legend_block(const std::vector<ChartSeries>& series, LegendSwatch swatch, const std::string& id_prefix,
                   double top, double width);
Block footnote_block(const std::vector<std::string>& notes, double top, double width);

// Axis for these values; NaN skipped, and on a log axis the non-positive
// ones too (counted in dropped).
ChartAxis value_axis(const std::vector<double>& values, bool log, bool include_zero, int& dropped);
// Room the y tick labels and the rotated axis title need left of the plot.
double y_axis_margin(const ChartAxis& axis);
// Gridlines, ticks and labels of a vertical value axis, and its title.
std::string y_axis_svg(const ChartAxis& axis, const PlotArea& area, const std::string& label);
// The same along the bottom (line charts); returns the height used below the plot.
Block x_axis_svg(const ChartAxis& axis, const PlotArea& area, const std::string& label);
double y_of(const ChartAxis& axis, const PlotArea& area, double value);
double x_of(const ChartAxis& axis, const PlotArea& area, double value);

// The usable value: finite, and positive on a log axis.
bool plottable(double value, bool log);
// "chart 'T': series 'S' has 3 values for 4 categories".
[[noreturn]] void size_error(const std::string& title, const std::string& what);
void check_whiskers(const std::string& title, const ChartSeries& series);
std::string dropped_note(int dropped, const std::string& axis);

}  // namespace gapscope::chart_detail

// render_svg(const Heatmap&): a grid of coloured cells, each with its number,
// and a colour scale under it. The colour map (viridis) darkens steadily, so
// grey-scale print keeps the order; the printed numbers keep the values.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/report/chart_frame.h"
#include "core/report/colour_map.h"
#include "core/report/report_numbers.h"
#include "core/report/svg_chart.h"
#include "core/report/svg_writer.h"

namespace gapscope {

using namespace chart_detail;

namespace {

std::string hex(const Rgb& c) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "#%02x%02x%02x", static_cast<int>(std::lround(c.r)),
                static_cast<int>(std::lround(c.g)), static_cast<int>(std::lround(c.b)));
  return buffer;
}

void check_sizes(const Heatmap& chart) {
  if (chart.values.size() != chart.rows.size())
    size_error(chart.title, std::to_string(chart.values.size()) + " rows of values for " +
                                std::to_string(chart.rows.size()) + " row labels");
  for (size_t r = 0; r < chart.values.size(); ++r)
    if (chart.values[r].size() != chart.columns.size())
      size_error(chart.title, "row '" + chart.rows[r] + "' has " + std::to_string(chart.values[r].size()) +
                                  " values for " + std::to_string(chart.columns.size()) + " columns");
}

}  // namespace

std::string render_svg(const Heatmap& chart) {
  check_sizes(chart);
  std::vector<double> all;
  for (const auto& row : chart.values) all.insert(all.end(), row.begin(), row.end());
  int dropped = 0;
  const ChartAxis scale = value_axis(all, chart.log_scale, false, dropped);
  const bool any_value = std::any_of(all.begin(), all.end(), [&](double v) { return plottable(v, chart.log_scale); });

  double widest_row = 0;  // the row title is rotated, so only the row labels count
  for (const std::string& row : chart.rows) widest_row = std::max(widest_row, svg::text_width(row, kTickFont));
  double widest_cell = 0;
  for (const double v : all) widest_cell = std::max(widest_cell, svg::text_width(format_significant(v), kTickFont));
  double widest_column = 0;
  for (const std::string& column : chart.columns)
    widest_column = std::max(widest_column, svg::text_width(column, kTickFont));

  const double left = 28 + widest_row + 10;
  const size_t columns = std::max<size_t>(1, chart.columns.size());
  double cell_width = std::clamp((kChartWidth - left - 16) / static_cast<double>(columns), 48.0, 96.0);
  cell_width = std::max(cell_width, widest_cell + 10);
  const double cell_height = 28;
  const double width = std::max(kChartWidth, left + cell_width * static_cast<double>(columns) + 16);

  std::string body;
  double y = 8;
  const Block title = title_block(chart.title, y, width);
  body += title.svg;
  y += title.height + 8;
  const PlotArea grid{left, y, cell_width * static_cast<double>(chart.columns.size()),
                      cell_height * static_cast<double>(chart.rows.size())};

  for (size_t r = 0; r < chart.rows.size(); ++r) {
    const double top = grid.top + cell_height * static_cast<double>(r);
    body += svg::text(left - 8, top + cell_height / 2, chart.rows[r],
                      {.size = kTickFont, .anchor = "end", .centre_vertically = true, .css_class = "row-label"});
    for (size_t c = 0; c < chart.columns.size(); ++c) {
      const double x = left + cell_width * static_cast<double>(c), value = chart.values[r][c];
      const double centre_x = x + cell_width / 2, centre_y = top + cell_height / 2;
      if (!plottable(value, chart.log_scale)) {  // missing (or unplottable on a log scale)
        body += svg::rect(x, top, cell_width, cell_height, "#fff", "#9e9e9e", 0.8, "cell missing");
        body += svg::text(centre_x, centre_y, std::isnan(value) ? "n/a" : format_significant(value),
                          {.size = kTickFont, .anchor = "middle", .centre_vertically = true, .css_class = "cell-value"});
        continue;
      }
      const Rgb colour = viridis(scale.fraction(value));
      body += svg::rect(x, top, cell_width, cell_height, hex(colour), "#fff", 1, "cell");
      body += svg::text(centre_x, centre_y, format_significant(value),
                        {.size = kTickFont, .anchor = "middle", .fill = needs_light_text(colour) ? "#fff" : "#000",
                         .centre_vertically = true, .css_class = "cell-value"});
    }
  }
  body += svg::text(14, grid.top + grid.height / 2, chart.row_label,
                    {.size = kLabelFont, .anchor = "middle", .rotate = -90, .css_class = "axis-label"});

  // Column labels under the grid, slanted if they do not fit their cell.
  const bool slanted = widest_column > cell_width - 6;
  for (size_t c = 0; c < chart.columns.size(); ++c) {
    const double centre = left + cell_width * (static_cast<double>(c) + 0.5);
    if (slanted)
      body += svg::text(centre + 4, grid.bottom() + 12, chart.columns[c],
                        {.size = kTickFont, .anchor = "end", .rotate = -40, .css_class = "column-label"});
    else
      body += svg::text(centre, grid.bottom() + 16, chart.columns[c],
                        {.size = kTickFont, .anchor = "middle", .css_class = "column-label"});
  }
  y = grid.bottom() + (slanted ? widest_column * 0.65 + 18 : 22);
  body += svg::text(left + grid.width / 2, y + 10, chart.column_label,
                    {.size = kLabelFont, .anchor = "middle", .css_class = "axis-label"});
  y += 26;

  // The colour scale: stepped (no gradient ids to clash between charts).
  if (any_value) {
    const int steps = 48;
    const double bar_width = 288, step_width = bar_width / steps, bar_left = left;
    body += svg::text(bar_left, y + 10, chart.value_label + (chart.log_scale ? " (log scale)" : ""),
                      {.size = kTickFont, .css_class = "axis-label"});
    y += 16;
    for (int k = 0; k < steps; ++k)
      body += svg::rect(bar_left + step_width * k, y, step_width + 0.3, 12, hex(viridis((k + 0.5) / steps)));
    body += svg::rect(bar_left, y, bar_width, 12, "none", "#000", 0.6, "colour-scale");
    const PlotArea legend_area{bar_left, y, bar_width, 12};
    for (const AxisTick& tick : scale.major) {
      if (tick.label.empty()) continue;
      const double x = x_of(scale, legend_area, tick.value);
      body += svg::line(x, y + 12, x, y + 16, "#000", 1, "", "tick-major");
      body += svg::text(x, y + 28, tick.label, {.size = kTickFont, .anchor = "middle", .css_class = "tick-label"});
    }
    y += 34;
  }

  std::vector<std::string> notes;
  if (dropped) notes.push_back(dropped_note(dropped, "scale") + " Their cells show the number uncoloured.");
  if (!any_value) notes.push_back("No values to show.");
  const Block footnotes = footnote_block(notes, y, width);
  body += footnotes.svg;
  y += footnotes.height + 8;

  return svg::begin(width, y, chart.title, "chart heatmap") + body + svg::end();
}

}  // namespace gapscope

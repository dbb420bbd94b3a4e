#include "core/report/chart_frame.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "core/report/chart_style.h"
#include "core/report/svg_writer.h"

namespace gapscope::chart_detail {

std::string id_prefix(const std::string& title, const std::vector<ChartSeries>& series) {
  uint64_t hash = 1469598103934665603ull;  // FNV-1a
  auto mix = [&](const void* data, size_t size) {
    const auto* bytes = static_cast<const unsigned char*>(data);
    for (size_t i = 0; i < size; ++i) hash = (hash ^ bytes[i]) * 1099511628211ull;
  };
  mix(title.data(), title.size());
  for (const ChartSeries& s : series) {
    mix(s.name.data(), s.name.size() + 1);
    for (const double v : s.values) mix(&v, sizeof v);
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "c%012llx", static_cast<unsigned long long>(hash & 0xFFFFFFFFFFFFull));
  return buffer;
}

Block title_block(const std::string& title, double top, double width) {
  Block block;
  if (title.empty()) return block;
  double y = top + kTitleFont + 4;
  for (const std::string& line : svg::wrap(title, width - 20, kTitleFont)) {
    block.svg += svg::text(width / 2, y, line, {.size = kTitleFont, .anchor = "middle", .bold = true, .css_class = "title"});
    y += kTitleFont + 4;
  }
  block.height = y - top;
  return block;
}

Block legend_block(const std::vector<ChartSeries>& series, LegendSwatch swatch, const std::string& prefix,
                   double top, double width) {
  Block block;
  if (series.empty()) return block;
  const double row_height = 18, swatch_width = swatch == LegendSwatch::line ? 30 : 16;
  double x = 10, y = top + 6;
  for (size_t index = 0; index < series.size(); ++index) {
    const std::string& name = series[index].name;
    const double entry = swatch_width + 6 + svg::text_width(name, kTickFont) + 16;
    if (x > 10 && x + entry > width - 10) {
      x = 10;
      y += row_height;
    }
    const SeriesStyle style = series_style(index);
    const double mid = y + row_height / 2;
    if (swatch == LegendSwatch::line) {
      block.svg += svg::line(x, mid, x + swatch_width, mid, style.colour, 2, style.dash);
      block.svg += marker_svg(style.marker, x + swatch_width / 2, mid, 7, style.colour);
    } else {
      block.svg += svg::rect(x, mid - 6, swatch_width, 12, bar_fill(prefix, index), "#000", 0.6);
    }
    block.svg += svg::text(x + swatch_width + 6, mid, name,
                           {.size = kTickFont, .centre_vertically = true, .css_class = "legend"});
    x += entry;
  }
  block.height = y + row_height - top + 4;
  return block;
}

Block footnote_block(const std::vector<std::string>& notes, double top, double width) {
  Block block;
  double y = top;
  for (const std::string& note : notes)
    for (const std::string& line : svg::wrap(note, width - 20, kFootnoteFont)) {
      y += kFootnoteFont + 4;
      block.svg += svg::text(10, y, line, {.size = kFootnoteFont, .css_class = "footnote"});
    }
  block.height = y - top + (notes.empty() ? 0 : 4);
  return block;
}

bool plottable(double value, bool log) { return std::isfinite(value) && (!log || value > 0); }

ChartAxis value_axis(const std::vector<double>& values, bool log, bool include_zero, int& dropped) {
  double lo = INFINITY, hi = -INFINITY;
  for (const double v : values) {
    if (std::isnan(v)) continue;
    if (!plottable(v, log)) {
      ++dropped;
      continue;
    }
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  if (lo > hi) return log ? log_axis(1, 10) : linear_axis(0, 1, true);  // nothing to plot
  return log ? log_axis(lo, hi) : linear_axis(lo, hi, include_zero);
}

double y_of(const ChartAxis& axis, const PlotArea& area, double value) {
  return area.bottom() - axis.fraction(value) * area.height;
}

double x_of(const ChartAxis& axis, const PlotArea& area, double value) {
  return area.left + axis.fraction(value) * area.width;
}

double y_axis_margin(const ChartAxis& axis) {
  double widest = 0;
  for (const AxisTick& tick : axis.major) widest = std::max(widest, svg::text_width(tick.label, kTickFont));
  return 26 + widest + 8;
}

std::string y_axis_svg(const ChartAxis& axis, const PlotArea& area, const std::string& label) {
  std::string out;
  for (const double value : axis.minor) {
    const double y = y_of(axis, area, value);
    out += svg::line(area.left, y, area.right(), y, "#e4e4e4", 0.6);
    out += svg::line(area.left - 3, y, area.left, y, "#000", 0.8, "", "tick-minor");
  }
  for (const AxisTick& tick : axis.major) {
    const double y = y_of(axis, area, tick.value);
    out += svg::line(area.left, y, area.right(), y, "#bdbdbd", 0.8);
    out += svg::line(area.left - 5, y, area.left, y, "#000", 1, "", "tick-major");
    out += svg::text(area.left - 8, y, tick.label,
                     {.size = kTickFont, .anchor = "end", .centre_vertically = true, .css_class = "tick-label"});
  }
  out += svg::line(area.left, area.top, area.left, area.bottom(), "#000", 1);
  out += svg::text(14, area.top + area.height / 2, label,
                   {.size = kLabelFont, .anchor = "middle", .rotate = -90, .css_class = "axis-label"});
  return out;
}

Block x_axis_svg(const ChartAxis& axis, const PlotArea& area, const std::string& label) {
  Block block;
  for (const double value : axis.minor) {
    const double x = x_of(axis, area, value);
    block.svg += svg::line(x, area.top, x, area.bottom(), "#e4e4e4", 0.6);
    block.svg += svg::line(x, area.bottom(), x, area.bottom() + 3, "#000", 0.8, "", "tick-minor");
  }
  for (const AxisTick& tick : axis.major) {
    const double x = x_of(axis, area, tick.value);
    block.svg += svg::line(x, area.top, x, area.bottom(), "#bdbdbd", 0.8);
    block.svg += svg::line(x, area.bottom(), x, area.bottom() + 5, "#000", 1, "", "tick-major");
    block.svg += svg::text(x, area.bottom() + 18, tick.label,
                           {.size = kTickFont, .anchor = "middle", .css_class = "tick-label"});
  }
  block.svg += svg::line(area.left, area.bottom(), area.right(), area.bottom(), "#000", 1);
  block.svg += svg::text(area.left + area.width / 2, area.bottom() + 38, label,
                         {.size = kLabelFont, .anchor = "middle", .css_class = "axis-label"});
  block.height = 46;
  return block;
}

void size_error(const std::string& title, const std::string& what) {
  throw std::invalid_argument("chart '" + title + "': " + what);
}

void check_whiskers(const std::string& title, const ChartSeries& series) {
  for (const auto* bound : {&series.low, &series.high})
    if (!bound->empty() && bound->size() != series.values.size())
      size_error(title, "series '" + series.name + "' has " + std::to_string(bound->size()) + " whisker ends for " +
                            std::to_string(series.values.size()) + " values");
}

std::string dropped_note(int dropped, const std::string& axis) {
  return std::to_string(dropped) + (dropped == 1 ? " value" : " values") + " of zero or less not shown on the log " +
         axis + ".";
}

}  // namespace gapscope::chart_detail

#include "core/report/chart_style.h"

#include <array>

#include "core/report/svg_writer.h"

namespace gapscope {
namespace {

constexpr std::array<const char*, 8> kColours = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                                 "#E69F00", "#56B4E9", "#000000", "#882255"};
constexpr std::array<const char*, 8> kDashes = {"", "7 3", "2 2", "9 3 2 3", "4 4", "1 3", "12 3 2 3 2 3", "14 5"};
constexpr std::array<MarkerShape, 8> kMarkers = {MarkerShape::circle,   MarkerShape::square, MarkerShape::triangle,
                                                 MarkerShape::diamond,  MarkerShape::triangle_down,
                                                 MarkerShape::cross,    MarkerShape::plus, MarkerShape::ring};
constexpr int kHatches = 8;

std::string polygon(const std::string& points, const std::string& colour) {
  return "<polygon points=\"" + points + "\" fill=\"" + colour + "\" stroke=\"#000\" stroke-width=\"0.6\"/>\n";
}

std::string point(double x, double y) { return svg::number(x) + "," + svg::number(y) + " "; }

// The lines drawn over a bar's colour for hatch k, in a 8x8 tile.
std::string hatch_strokes(int hatch) {
  const std::string white = "stroke=\"#fff\" stroke-width=\"1.6\"";
  switch (hatch) {
    case 1: return "<path d=\"M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4\" " + white + "/>";  // /
    case 2: return "<path d=\"M-2,6 l4,4 M0,0 l8,8 M6,-2 l4,4\" " + white + "/>";    // backslash
    case 3: return "<path d=\"M0,4 h8\" " + white + "/>";                            // horizontal
    case 4: return "<path d=\"M0,0 l8,8 M8,0 l-8,8\" stroke=\"#fff\" stroke-width=\"1.2\"/>";  // cross-hatch
    case 5: return "<circle cx=\"4\" cy=\"4\" r=\"1.6\" fill=\"#fff\"/>";             // dots
    case 6: return "<path d=\"M4,0 v8\" " + white + "/>";                            // vertical
    case 7: return "<path d=\"M0,4 h8 M4,0 v8\" stroke=\"#fff\" stroke-width=\"1.2\"/>";  // grid
    default: return "";
  }
}

}  // namespace

SeriesStyle series_style(size_t index) {
  const size_t n = kColours.size();
  const size_t round = index / n;  // after 8, shift the cues against each other
  return {kColours[index % n], kDashes[(index + round) % n], kMarkers[(index + 3 * round) % n],
          static_cast<int>((index + 5 * round) % kHatches)};
}

std::string marker_svg(MarkerShape shape, double x, double y, double size, const std::string& colour) {
  const double r = size / 2;
  switch (shape) {
    case MarkerShape::circle:
      return "<circle cx=\"" + svg::number(x) + "\" cy=\"" + svg::number(y) + "\" r=\"" + svg::number(r) +
             "\" fill=\"" + colour + "\" stroke=\"#000\" stroke-width=\"0.6\"/>\n";
    case MarkerShape::ring:
      return "<circle cx=\"" + svg::number(x) + "\" cy=\"" + svg::number(y) + "\" r=\"" + svg::number(r) +
             "\" fill=\"#fff\" stroke=\"" + colour + "\" stroke-width=\"2\"/>\n";
    case MarkerShape::square:
      return svg::rect(x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8, colour, "#000", 0.6);
    case MarkerShape::triangle:
      return polygon(point(x, y - r * 1.15) + point(x + r * 1.1, y + r * 0.8) + point(x - r * 1.1, y + r * 0.8), colour);
    case MarkerShape::triangle_down:
      return polygon(point(x, y + r * 1.15) + point(x + r * 1.1, y - r * 0.8) + point(x - r * 1.1, y - r * 0.8), colour);
    case MarkerShape::diamond:
      return polygon(point(x, y - r * 1.25) + point(x + r, y) + point(x, y + r * 1.25) + point(x - r, y), colour);
    case MarkerShape::cross:
      return svg::line(x - r, y - r, x + r, y + r, colour, 2.2) + svg::line(x - r, y + r, x + r, y - r, colour, 2.2);
    case MarkerShape::plus:
      return svg::line(x - r * 1.2, y, x + r * 1.2, y, colour, 2.2) + svg::line(x, y - r * 1.2, x, y + r * 1.2, colour, 2.2);
  }
  return "";
}

std::string hatch_defs(const std::string& id_prefix, size_t series_count) {
  std::string defs;
  for (size_t index = 0; index < series_count; ++index) {
    const SeriesStyle style = series_style(index);
    if (style.hatch == 0) continue;
    defs += "<pattern id=\"" + id_prefix + "-h" + std::to_string(index) +
            "\" patternUnits=\"userSpaceOnUse\" width=\"8\" height=\"8\"><rect width=\"8\" height=\"8\" fill=\"" +
            style.colour + "\"/>" + hatch_strokes(style.hatch) + "</pattern>\n";
  }
  return defs.empty() ? "" : "<defs>\n" + defs + "</defs>\n";
}

std::string bar_fill(const std::string& id_prefix, size_t index) {
  const SeriesStyle style = series_style(index);
  return style.hatch == 0 ? style.colour : "url(#" + id_prefix + "-h" + std::to_string(index) + ")";
}

}  // namespace gapscope

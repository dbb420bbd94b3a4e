// How a chart tells its series apart: a colour (Okabe-Ito, safe for colour
// blindness) AND a second cue that survives grey-scale print - a dash pattern
// and a marker shape for lines, a hatch pattern for bars.
#pragma once
#include <cstddef>
#include <string>

namespace gapscope {

enum class MarkerShape { circle, square, triangle, diamond, triangle_down, cross, plus, ring };

struct SeriesStyle {
  std::string colour;
  std::string dash;  // stroke-dasharray; empty = solid
  MarkerShape marker = MarkerShape::circle;
  int hatch = 0;     // 0 = solid fill
};

// Distinct for the first 8 series; later ones combine the cues differently.
SeriesStyle series_style(size_t index);

// A marker of about `size` px centred on (x, y).
std::string marker_svg(MarkerShape shape, double x, double y, double size, const std::string& colour);

// The <defs> with one fill pattern per hatched series; pattern ids start with
// id_prefix, which must be unique within the document (several SVGs share one).
std::string hatch_defs(const std::string& id_prefix, size_t series_count);
// What to fill series `index`'s bars with: its colour, or its hatch pattern.
std::string bar_fill(const std::string& id_prefix, size_t index);

}  // namespace gapscope

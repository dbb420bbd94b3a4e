// The colour map of every heatmap, in reports (SVG) and in the workbench:
// viridis, which darkens steadily from high to low, so grey-scale print keeps
// the order and colour-blind readers see it too.
#pragma once

namespace gapscope {

struct Rgb {
  double r = 0, g = 0, b = 0;  // 0..255
};

// t in [0, 1] (clamped; NaN as 0): dark purple at 0 to yellow at 1.
Rgb viridis(double t);
// Whether text on this colour should be white (it is dark) rather than black.
bool needs_light_text(const Rgb& colour);

}  // namespace gapscope

#include "core/report/colour_map.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace gapscope {
namespace {

// Viridis at five stops, from low (dark purple) to high (yellow).
constexpr std::array<Rgb, 5> kStops = {Rgb{68, 1, 84}, Rgb{59, 82, 139}, Rgb{33, 145, 140}, Rgb{94, 201, 98},
                                       Rgb{253, 231, 37}};

}  // namespace

Rgb viridis(double t) {
  t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0) * (kStops.size() - 1);
  const size_t i = std::min(static_cast<size_t>(t), kStops.size() - 2);
  const double f = t - static_cast<double>(i);
  const Rgb& a = kStops[i];
  const Rgb& b = kStops[i + 1];
  return {a.r + (b.r - a.r) * f, a.g + (b.g - a.g) * f, a.b + (b.b - a.b) * f};
}

bool needs_light_text(const Rgb& c) { return (0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b) / 255 < 0.45; }

}  // namespace gapscope

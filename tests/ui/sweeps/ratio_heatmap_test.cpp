// The ratio heatmap as drawn: the reports' colour map with its scale, and
// every row's depth label readable whatever the cells above it hold.
#include <catch2/catch.hpp>

#include <QImage>

#include "core/report/colour_map.h"
#include "ui/sweeps/ratio_heatmap.h"

namespace gapscope::test {
namespace {

// Dark pixels (text) in a rectangle of the image.
int dark_pixels(const QImage& image, const QRect& area) {
  int dark = 0;
  for (int y = area.top(); y <= area.bottom(); ++y)
    for (int x = area.left(); x <= area.right(); ++x)
      if (qGray(image.pixel(x, y)) < 100) ++dark;
  return dark;
}

QColor qcolour(const Rgb& c) { return QColor(qRound(c.r), qRound(c.g), qRound(c.b)); }

}  // namespace

TEST_CASE("The heatmap uses the reports' viridis scale and keeps every depth label readable", "[sweep-gui]") {
  ui::RatioHeatmap heatmap;
  heatmap.resize(640, 420);
  // Every cell filled: the darkest cell (lowest ratio) sits at the end of row 0.
  heatmap.setCells("tfjs-wasm / native-cpu, train", {1, 2, 4}, {8, 16},
                   {{1, 8, 3.0}, {1, 16, 1.0}, {2, 8, 10.0}, {2, 16, 30.0}, {4, 8, 100.0}, {4, 16, 300.0}});
  CHECK(heatmap.colourOf(1.0) == qcolour(viridis(0.0)));  // the lowest decade: dark purple
  CHECK(heatmap.colourOf(1000.0) == qcolour(viridis(1.0)));  // 300 rounds up to the 1000 decade: yellow
  CHECK(heatmap.colourOf(10.0) == qcolour(viridis(1.0 / 3)));

  const QImage image = heatmap.grab().toImage();
  for (size_t row = 0; row < 3; ++row) {
    INFO("row " << row);
    const QRect cell = heatmap.cellRect(row, 0);
    CHECK(dark_pixels(image, QRect(0, cell.top(), cell.left() - 2, cell.height())) > 5);  // the depth label
  }
  // The colour scale under the grid, from dark to light.
  const QRect last = heatmap.cellRect(2, 0);
  const int scale_y = last.bottom() + 14;
  CHECK(qGray(image.pixel(last.left() + 4, scale_y)) < 60);
  CHECK(qGray(image.pixel(last.left() + 300, scale_y)) > 150);
}

}  // namespace gapscope::test

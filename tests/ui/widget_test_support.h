// Pieces the widget tests share: letting Qt paint outside exec(), counting
// pixels of a grabbed image, and where screenshots go (build/ui-screenshots/,
// for a person to look at).
#pragma once
#include <QColor>
#include <QImage>
#include <QString>

namespace gapscope::test {

// Lets Qt lay out and paint, as the event loop would. Outside exec() a
// deleteLater never runs by itself, and Qt Charts removes a replaced axis's
// labels and grid with one.
void settle(int ms = 200);
// Pixels of exactly this colour (antialiasing is off, so lines keep their pen colour).
int pixelsOf(const QImage& image, QColor colour);
// Pixels that differ from the top-left one (a blank image has none).
int pixelsUnlikeCorner(const QImage& image);
// build/ui-screenshots/<name>, the directory made if needed.
QString screenshotPath(const QString& name);

}  // namespace gapscope::test

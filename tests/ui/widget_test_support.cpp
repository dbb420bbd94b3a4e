#include "tests/ui/widget_test_support.h"

#include <QApplication>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QThread>

namespace gapscope::test {

void settle(int ms) {
  QElapsedTimer timer;
  timer.start();
  while (timer.elapsed() < ms) {
    QApplication::processEvents();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    QThread::msleep(10);
  }
}

int pixelsOf(const QImage& image, QColor colour) {
  int count = 0;
  for (int y = 0; y < image.height(); ++y)
    for (int x = 0; x < image.width(); ++x) count += image.pixelColor(x, y).rgb() == colour.rgb();
  return count;
}

int pixelsUnlikeCorner(const QImage& image) {
  const QRgb corner = image.pixel(0, 0);
  int count = 0;
  for (int y = 0; y < image.height(); ++y)
    for (int x = 0; x < image.width(); ++x) count += image.pixel(x, y) != corner;
  return count;
}

QString screenshotPath(const QString& name) {
  const QString dir = QCoreApplication::applicationDirPath() + "/ui-screenshots";
  QDir().mkpath(dir);
  return dir + "/" + name;
}

}  // namespace gapscope::test

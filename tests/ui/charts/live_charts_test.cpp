// The live training charts: each point lands in its backend's line of the right
// chart, the log toggle swaps axes without losing points, and the widget draws
// something (a PNG in the build tree, ui-screenshots/, for a person to look at).
#include <catch2/catch.hpp>

#include <QApplication>
#include <QCheckBox>
#include <QChart>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QImage>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QThread>
#include <QValueAxis>
#include <cmath>
#include <limits>

#include "tests/ui/widget_test_support.h"
#include "ui/charts/live_charts.h"

namespace gapscope::test {
namespace {

using ui::LiveCharts;
constexpr double kUnknown = std::numeric_limits<double>::quiet_NaN();

// A plausible training curve: loss falls, accuracy rises, timings jitter.
void addTrainingRun(LiveCharts& charts, const QString& backend, int steps, double ms, double speed) {
  for (int step = 1; step <= steps; ++step) {
    const double loss = 2.3 * std::exp(-speed * step) + 0.05 + 0.02 * std::sin(step * 0.7);
    const double accuracy = step % 10 == 0 ? 1 - 0.9 * std::exp(-speed * step) : kUnknown;
    charts.addStep(backend, step, loss, accuracy, ms * (1 + 0.1 * std::sin(step * 1.3)));
  }
}

}  // namespace

TEST_CASE("live charts put each point in its backend's line of the right chart", "[charts]") {
  LiveCharts charts;
  for (int step = 0; step < 10; ++step) charts.addStep("native-cpu", step, 1.0 / (step + 1), 0.5, 2.0);
  for (int step = 0; step < 4; ++step)
    charts.addStep("tfjs-wasm", step, 0.9, step % 2 == 0 ? 0.25 : kUnknown, 8.0);

  CHECK(charts.pointCount("native-cpu", "loss") == 10);
  CHECK(charts.pointCount("native-cpu", "accuracy") == 10);
  CHECK(charts.pointCount("native-cpu", "ms") == 10);
  CHECK(charts.pointCount("tfjs-wasm", "loss") == 4);
  CHECK(charts.pointCount("tfjs-wasm", "accuracy") == 2);  // NaN accuracy: no point
  CHECK(charts.pointCount("tfjs-wasm", "ms") == 4);
  CHECK(charts.pointCount("tfjs-webgl", "loss") == 0);
  CHECK(charts.pointCount("native-cpu", "no-such-chart") == 0);

  SECTION("one line per backend, named after it, in the backend's colour") {
    charts.flush();  // points reach the chart lines once a frame
    const QList<QAbstractSeries*> series = charts.chart("ms")->series();
    REQUIRE(series.size() == 2);
    auto* wasm = qobject_cast<QLineSeries*>(series[1]);
    REQUIRE(wasm != nullptr);
    CHECK(wasm->name().toStdString() == "tfjs-wasm");
    CHECK(wasm->count() == 4);
    CHECK(wasm->pen().color() == ui::backendColor("tfjs-wasm"));
    CHECK(wasm->at(3) == QPointF(3, 8.0));
  }
  SECTION("the value axis covers every point") {
    auto* axis = qobject_cast<QValueAxis*>(charts.valueAxis("loss"));
    REQUIRE(axis != nullptr);
    CHECK(axis->min() <= 0.1);
    CHECK(axis->max() >= 1.0);
  }
  SECTION("hover names backend, step and the nearest point's value") {
    CHECK(charts.hoverText("native-cpu", "loss", QPointF(3.2, 0.7)).toStdString() == "native-cpu, step 3: 0.25");
    CHECK(charts.hoverText("tfjs-wasm", "ms", QPointF(0.6, 5)).toStdString() == "tfjs-wasm, step 1: 8 ms");
    CHECK(charts.hoverText("tfjs-wasm", "ms", QPointF(99, 5)).toStdString() == "tfjs-wasm, step 3: 8 ms");
    CHECK(charts.hoverText("tfjs-webgl", "ms", QPointF(1, 5)).isEmpty());
  }
  SECTION("clear empties every chart") {
    charts.flush();
    charts.clear();
    CHECK(charts.pointCount("native-cpu", "loss") == 0);
    CHECK(charts.chart("accuracy")->series().isEmpty());
    charts.addStep("native-cpu", 0, 1, 1, 1);
    CHECK(charts.pointCount("native-cpu", "loss") == 1);
  }
}

TEST_CASE("live charts skip values a log axis cannot show, on both scales", "[charts]") {
  LiveCharts charts;
  charts.addStep("native-cpu", 0, 0.0, 0.0, 0.0);   // zero loss and ms: skipped; zero accuracy is fine
  charts.addStep("native-cpu", 1, -1.0, 0.5, -3.0);
  charts.addStep("native-cpu", 2, kUnknown, kUnknown, std::numeric_limits<double>::infinity());
  CHECK(charts.pointCount("native-cpu", "loss") == 0);
  CHECK(charts.pointCount("native-cpu", "ms") == 0);
  CHECK(charts.pointCount("native-cpu", "accuracy") == 2);
}

TEST_CASE("log scale swaps the loss and ms axes and keeps every point", "[charts]") {
  LiveCharts charts;
  addTrainingRun(charts, "native-cpu", 50, 2.0, 0.05);
  addTrainingRun(charts, "tfjs-wasm", 30, 8.0, 0.05);

  charts.flush();
  charts.setLogScale(true);
  CHECK(charts.logScale());
  CHECK(charts.valueAxis("loss")->type() == QAbstractAxis::AxisTypeLogValue);
  CHECK(charts.valueAxis("ms")->type() == QAbstractAxis::AxisTypeLogValue);
  CHECK(charts.valueAxis("accuracy")->type() == QAbstractAxis::AxisTypeValue);
  CHECK(charts.pointCount("native-cpu", "loss") == 50);
  CHECK(charts.pointCount("tfjs-wasm", "ms") == 30);
  CHECK(charts.pointCount("native-cpu", "accuracy") == 5);
  for (QAbstractSeries* series : charts.chart("ms")->series()) {
    CHECK(series->attachedAxes().contains(charts.valueAxis("ms")));
    CHECK(static_cast<QLineSeries*>(series)->count() == (series->name() == "native-cpu" ? 50 : 30));
  }
  CHECK(charts.chart("ms")->axes(Qt::Vertical).size() == 1);  // the old axis is gone

  auto* log_axis = qobject_cast<QLogValueAxis*>(charts.valueAxis("ms"));
  REQUIRE(log_axis != nullptr);
  CHECK(log_axis->min() == Approx(1));  // whole decades around 1.8 .. 8.8 ms
  CHECK(log_axis->max() == Approx(10));

  // Points arriving while log is on still rescale the axis.
  charts.addStep("tfjs-wasm", 31, 0.5, kUnknown, 150.0);
  CHECK(log_axis->max() == Approx(1000));

  // The checkbox and setLogScale agree, both ways.
  auto* checkbox = charts.findChild<QCheckBox*>();
  REQUIRE(checkbox != nullptr);
  CHECK(checkbox->isChecked());
  checkbox->click();
  CHECK_FALSE(charts.logScale());
  CHECK(charts.valueAxis("loss")->type() == QAbstractAxis::AxisTypeValue);
  CHECK(charts.pointCount("native-cpu", "loss") == 50);
  CHECK(charts.pointCount("tfjs-wasm", "ms") == 31);
}

TEST_CASE("live charts take thousands of points per backend", "[charts]") {
  LiveCharts charts;
  charts.resize(1280, 800);
  charts.show();
  QElapsedTimer timer;
  timer.start();
  // As in a live run: the event loop turns between steps, so frames get drawn.
  for (const QString backend : {"native-cpu", "tfjs-wasm", "tfjs-webgl"})
    for (int step = 1; step <= 3000; ++step) {
      charts.addStep(backend, step, 1.0 / step, step % 10 == 0 ? 0.9 : kUnknown, 5 + step % 7);
      QApplication::processEvents();
    }
  charts.flush();
  const qint64 elapsed = timer.elapsed();
  CHECK(charts.pointCount("tfjs-webgl", "loss") == 3000);
  CHECK(charts.pointCount("native-cpu", "accuracy") == 300);
  CHECK(static_cast<QLineSeries*>(charts.chart("ms")->series()[2])->count() == 3000);
  // Not a benchmark: a bound loose enough for any machine, tight enough to catch
  // a re-layout of every line at each step (QLineSeries::append per step: about 25 s here).
  INFO("9000 steps took " << elapsed << " ms");
  CHECK(elapsed < 10'000);
  WARN("live charts: 9000 steps with the window shown took " << elapsed << " ms");
  charts.hide();
}

TEST_CASE("live charts render to a PNG with the backends' lines in it", "[charts]") {
  LiveCharts charts;
  charts.resize(1280, 800);
  addTrainingRun(charts, "native-cpu", 400, 2.0, 0.025);
  addTrainingRun(charts, "tfjs-wasm", 400, 9.0, 0.02);
  addTrainingRun(charts, "tfjs-webgl", 250, 25.0, 0.015);
  charts.show();
  settle();
  charts.flush();

  const QString path = screenshotPath("live_charts.png");
  REQUIRE(charts.grab().save(path));
  REQUIRE(QFileInfo(path).size() > 0);
  const QImage image(path);
  REQUIRE(image.size() == QSize(1280, 800));
  CHECK(pixelsUnlikeCorner(image) > image.width() * image.height() / 100);
  CHECK(pixelsOf(image, ui::backendColor("native-cpu")) > 1000);
  CHECK(pixelsOf(image, ui::backendColor("tfjs-webgl")) > 1000);

  charts.setLogScale(true);
  settle(50);
  CHECK(charts.grab().save(screenshotPath("live_charts_log.png")));
  charts.hide();
}

}  // namespace gapscope::test

namespace gapscope::test {

TEST_CASE("live charts: coinciding lines stay visible, the step axis fits, a missing accuracy is named", "[charts]") {
  ui::LiveCharts charts;
  auto step_axis = [&](const char* chart) {
    return qobject_cast<QValueAxis*>(charts.chart(chart)->axes(Qt::Horizontal).front());
  };
  // Empty: whole steps 0..10, never the labels 0 0 0 1 1 1 of a 0..1 axis in steps of 0.2.
  CHECK(step_axis("loss")->max() == Approx(10));
  CHECK(step_axis("loss")->tickInterval() >= 1);

  // Same weights, same data: identical losses on three backends; convnetjs reports no accuracy.
  for (int step = 1; step <= 35; ++step)
    for (const char* backend : {"native-cpu", "tfjs-wasm", "convnetjs"})
      charts.addStep(backend, step, 2.0 / step, std::string(backend) == "convnetjs" ? NAN : 0.5, 1.0);
  charts.flush();
  CHECK(step_axis("loss")->max() == Approx(40));  // 35 steps: the axis ends at 40, not 50
  CHECK(charts.chart("accuracy")->title() == "Accuracy per step (not reported by convnetjs)");
  std::vector<double> widths;
  for (QAbstractSeries* s : charts.chart("loss")->series()) widths.push_back(qobject_cast<QLineSeries*>(s)->pen().widthF());
  REQUIRE(widths.size() == 3);
  CHECK(widths[0] > widths[1]);  // each later line thinner, drawn over the ones before: all stay visible
  CHECK(widths[1] > widths[2]);
  charts.clear();
  CHECK(charts.chart("accuracy")->title() == "Accuracy per step");
}

}  // namespace gapscope::test

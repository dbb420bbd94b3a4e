// The compare view: one row per backend with medians, spread and the ratio to
// native-cpu; failures as rows that say why; CSV that parses back; grouped bars
// on a linear or log axis; and a PNG in the build tree (ui-screenshots/).
#include <catch2/catch.hpp>

#include <QApplication>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QClipboard>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QImage>
#include <QPushButton>
#include <QTableWidget>
#include <QThread>

#include "core/measure/measurement.h"
#include "tests/ui/widget_test_support.h"
#include "ui/charts/compare_view.h"
#include "ui/charts/live_charts.h"  // backendColor

namespace gapscope::test {
namespace {

using ui::CompareView;

Measurement record(const std::string& backend, const std::string& phase, std::vector<double> samples,
                   const std::string& unit = "ms") {
  Measurement m = make_measurement(phase, unit, std::move(samples));
  m.backend = backend;
  m.run_id = "run-1";
  m.model = "paper-dnn-2x128";
  if (backend == "native-cpu") m.capabilities = {{"threads", "2"}, {"simd", "avx2+fma"}};
  m.config = {{"threads", backend == "native-cpu" ? 2 : 1}};
  return m;
}

// native-cpu trains a batch in 2 ms (median), tfjs-wasm in 8: 4.00x.
std::vector<Measurement> nativeAndWasm() {
  return {record("native-cpu", "load", {10, 11, 12}),      record("native-cpu", "warmup", {4, 5, 6}),
          record("native-cpu", "infer", {0.4, 0.5, 0.6}),  record("native-cpu", "train", {1.9, 2, 2.1}),
          record("native-cpu", "memory", {5e7}, "bytes"),  record("tfjs-wasm", "load", {30, 40, 50}),
          record("tfjs-wasm", "warmup", {20}),              record("tfjs-wasm", "infer", {1, 1.5, 2}),
          record("tfjs-wasm", "train", {7, 8, 9})};
}

int column(QTableWidget* table, const QString& title) {
  for (int c = 0; c < table->columnCount(); ++c)
    if (table->horizontalHeaderItem(c)->text() == title) return c;
  FAIL("no column " << title.toStdString());
  return -1;
}

struct CsvLine {
  QString backend, phase, unit;
  double median, p10, p90;
  int n;
  QString ratio;
};

std::vector<CsvLine> parseCsv(const QString& csv) {
  QStringList lines = csv.split('\n');
  REQUIRE(lines.takeFirst().toStdString() == "backend,phase,unit,median,p10,p90,n,ratio_to_native_cpu");
  REQUIRE(lines.takeLast().isEmpty());  // the text ends with a newline
  std::vector<CsvLine> parsed;
  for (const QString& line : lines) {
    const QStringList f = line.split(',');
    REQUIRE(f.size() == 8);
    bool ok[4] = {};
    parsed.push_back({f[0], f[1], f[2], f[3].toDouble(&ok[0]), f[4].toDouble(&ok[1]), f[5].toDouble(&ok[2]),
                      f[6].toInt(&ok[3]), f[7]});
    CHECK((ok[0] && ok[1] && ok[2] && ok[3]));
  }
  return parsed;
}

}  // namespace

TEST_CASE("compare view: one row per backend, ratios to native-cpu", "[charts]") {
  CompareView view;
  view.setResults(nativeAndWasm());

  REQUIRE(view.rowCount() == 2);
  CHECK(view.backends() == QStringList{"native-cpu", "tfjs-wasm"});
  QTableWidget* table = view.table();
  // The headers say what the ratio after each median is relative to.
  const int train = column(table, "train / batch ms (× native-cpu)");
  const int infer = column(table, "infer / sample ms (× native-cpu)");
  const int ran = column(table, "what ran");
  const int threads = column(table, "threads");

  auto text = [&](int row, int column) { return table->item(row, column)->text().toStdString(); };
  CHECK(text(0, 0) == "native-cpu");
  CHECK(text(0, train) == "2.000 ms [1.920\u20132.080]");  // median [p10-p90]; no ratio to itself
  CHECK(text(1, train) == "8.000 ms [7.200\u20138.800]  4.00x");
  CHECK(table->item(1, train)->data(Qt::UserRole).toDouble() == Approx(8));
  CHECK(text(0, infer) == "500.00 us [420.00\u2013580.00]");  // under a millisecond: microseconds
  CHECK(text(1, infer) == "1.500 ms [1.100\u20131.900]  3.00x");
  CHECK(text(0, threads) == "2");
  CHECK(text(1, threads) == "1");
  CHECK(text(0, ran) == "2 threads, avx2+fma");
  CHECK(text(1, ran) == "capabilities unknown");

  SECTION("the bars: one set per backend over the four phases") {
    const QList<QAbstractSeries*> series = view.chart()->series();
    REQUIRE(series.size() == 1);
    auto* bars = qobject_cast<QBarSeries*>(series.front());
    REQUIRE(bars != nullptr);
    REQUIRE(bars->count() == 2);
    QBarSet* wasm = bars->barSets()[1];
    CHECK(wasm->label().toStdString() == "tfjs-wasm");
    CHECK(wasm->count() == 4);
    CHECK(wasm->at(3) == Approx(8));
    CHECK(wasm->color() == ui::backendColor("tfjs-wasm"));
  }
  SECTION("log scale swaps the value axis and keeps the bars") {
    // Medians from 0.5 ms to 40 ms span more than 30x: a log axis from the start, as in the reports.
    CHECK(view.logScale());
    CHECK(view.valueAxis()->type() == QAbstractAxis::AxisTypeLogValue);
    view.setLogScale(false);
    CHECK(view.valueAxis()->type() == QAbstractAxis::AxisTypeValue);
    view.setLogScale(true);
    CHECK(view.valueAxis()->type() == QAbstractAxis::AxisTypeLogValue);
    CHECK(view.chart()->axes(Qt::Vertical).size() == 1);
    auto* bars = qobject_cast<QBarSeries*>(view.chart()->series().front());
    REQUIRE(bars != nullptr);
    CHECK(bars->count() == 2);
    CHECK(bars->barSets()[0]->at(0) == Approx(11));
    view.setLogScale(false);
    CHECK(view.valueAxis()->type() == QAbstractAxis::AxisTypeValue);
  }
}

TEST_CASE("compare view CSV: one line per backend and phase, parses back", "[charts]") {
  CompareView view;
  view.setResults(nativeAndWasm());
  const QString csv = view.toCsv();

  CHECK(csv.contains("\nnative-cpu,train,ms,2,1.92,2.08,3,1\n"));
  CHECK(csv.contains("\ntfjs-wasm,train,ms,8,7.2,8.8,3,4\n"));
  CHECK(csv.contains("\ntfjs-wasm,warmup,ms,20,20,20,1,4\n"));
  CHECK_FALSE(csv.contains("memory"));  // bytes are not compared here

  const std::vector<CsvLine> lines = parseCsv(csv);
  REQUIRE(lines.size() == 8);
  for (const CsvLine& line : lines) {
    CHECK(line.unit == "ms");
    CHECK(line.p10 <= line.median);
    CHECK(line.median <= line.p90);
  }
  const CsvLine& wasm_infer = lines[6];
  CHECK(wasm_infer.backend == "tfjs-wasm");
  CHECK(wasm_infer.phase == "infer");
  CHECK(wasm_infer.median == Approx(1.5));
  CHECK(wasm_infer.n == 3);
  CHECK(wasm_infer.ratio.toDouble() == Approx(3));

  SECTION("Copy as CSV puts it on the clipboard") {
    QGuiApplication::clipboard()->clear();
    QPushButton* copy = nullptr;
    for (QPushButton* button : view.findChildren<QPushButton*>())
      if (button->text() == "Copy as CSV") copy = button;
    REQUIRE(copy != nullptr);
    copy->click();
    CHECK(QGuiApplication::clipboard()->text().toStdString() == csv.toStdString());
  }
}

TEST_CASE("compare view without native-cpu has no ratios", "[charts]") {
  CompareView view;
  view.setResults({record("tfjs-wasm", "train", {7, 8, 9}), record("tfjs-webgl", "train", {20})});
  CHECK(view.rowCount() == 2);
  CHECK_FALSE(view.table()->item(1, column(view.table(), "train / batch ms"))->text().contains('x'));
  CHECK_FALSE(view.logScale());  // 8 ms against 20 ms: a linear axis shows both
  CHECK(view.toCsv().contains("\ntfjs-webgl,train,ms,20,20,20,1,\n"));
}

TEST_CASE("compare view shows a failed backend as a row that says why", "[charts]") {
  CompareView view;
  view.setResults(nativeAndWasm());
  view.addFailure("brainjs", "unsupported",
                  "brainjs: unsupported by brainjs: activation 'softmax' (dense layer 'dense_3')\nsecond line");

  REQUIRE(view.rowCount() == 3);
  CHECK(view.backends().last().toStdString() == "brainjs");
  QTableWidget* table = view.table();
  CHECK(table->item(2, column(table, "train / batch ms (× native-cpu)"))->text().toStdString() == "-");
  QTableWidgetItem* why = table->item(2, column(table, "what ran"));
  CHECK(why->text().toStdString() ==
        "failed (unsupported): brainjs: unsupported by brainjs: activation 'softmax' (dense layer 'dense_3')");
  CHECK(why->toolTip().endsWith("second line"));
  CHECK_FALSE(view.toCsv().contains("brainjs"));  // no numbers, no CSV lines
  auto* bars = qobject_cast<QBarSeries*>(view.chart()->series().front());
  REQUIRE(bars != nullptr);
  CHECK(bars->count() == 2);  // nothing to draw for it

  SECTION("a new result set replaces the failures too") {
    view.setResults(nativeAndWasm());
    CHECK(view.rowCount() == 2);
  }
}

TEST_CASE("compare view takes empty input", "[charts]") {
  CompareView view;
  view.setResults({});
  CHECK(view.rowCount() == 0);
  CHECK(view.backends().isEmpty());
  CHECK(view.toCsv().toStdString() == "backend,phase,unit,median,p10,p90,n,ratio_to_native_cpu\n");
  view.setLogScale(true);
  CHECK(view.valueAxis()->type() == QAbstractAxis::AxisTypeLogValue);
  view.resize(640, 400);
  CHECK_FALSE(view.grab().isNull());
}

TEST_CASE("compare view renders to a PNG with the backends' bars in it", "[charts]") {
  CompareView view;
  std::vector<Measurement> records = nativeAndWasm();
  for (Measurement m : {record("tfjs-webgl", "load", {120, 130, 150}), record("tfjs-webgl", "warmup", {300, 320}),
                        record("tfjs-webgl", "infer", {3, 3.5, 4}), record("tfjs-webgl", "train", {25, 27, 30})})
    records.push_back(m);
  view.setResults(records);
  view.addFailure("brainjs", "unsupported", "brainjs: unsupported by brainjs: activation 'softmax'");
  view.resize(1280, 800);
  view.show();
  settle();

  const QString path = screenshotPath("compare_view.png");
  REQUIRE(view.grab().save(path));
  REQUIRE(QFileInfo(path).size() > 0);
  const QImage image(path);
  REQUIRE(image.size() == QSize(1280, 800));
  CHECK(pixelsOf(image, ui::backendColor("tfjs-webgl")) > 1000);

  // On a log axis native-cpu's short bars (0.5 ms against webgl's 310) get their height.
  view.setLogScale(true);
  settle(50);
  const QString log_path = screenshotPath("compare_view_log.png");
  REQUIRE(view.grab().save(log_path));
  CHECK(pixelsOf(QImage(log_path), ui::backendColor("native-cpu")) > 1000);
  view.hide();
}

}  // namespace gapscope::test

// The workbench window driven like a user would: run native-cpu and tfjs-wasm
// from it, watch charts and the compare table fill, stay responsive, close it
// mid-run without losing finished results, and render it to a PNG.
#include <catch2/catch.hpp>

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QUndoStack>
#include <QLineEdit>
#include <QMessageBox>
#include <QProcess>

#include "core/base/sanitizers.h"
#include "tests/ui/browser/browser_test_support.h"
#include "tests/ui/widget_test_support.h"
#include "tests/ui/sweeps/sweep_window_support.h"
#include "ui/charts/run_picker.h"
#include "ui/builder/model_builder_widget.h"
#include "ui/builder/spec_document.h"
#include "ui/charts/compare_view.h"
#include "ui/charts/live_charts.h"
#include "ui/data/data_panel.h"
#include "ui/workbench/backends_panel.h"
#include "ui/sweeps/sweep_grid_editor.h"
#include "ui/sweeps/sweep_panel.h"
#include "ui/workbench/main_window.h"
#include "ui/runs/run_controller.h"

namespace gapscope::test {
namespace {

// A window whose backends have been probed, set to a quick protocol.
std::unique_ptr<ui::MainWindow> ready_window(const std::vector<std::string>& backends) {
  QStandardPaths::setTestModeEnabled(true);  // results and settings go to a test location
  auto window = std::make_unique<ui::MainWindow>();
  window->resize(1280, 800);
  window->show();
  REQUIRE(wait_until([&] { return !window->backends()->probing(); }, 120000));
  window->backends()->setChecked(backends);
  window->runsScaleSpin()->setValue(0.05);
  return window;
}

std::vector<nlohmann::json> result_lines(const QString& path) {
  QFile file(path);
  REQUIRE(file.open(QIODevice::ReadOnly));
  std::vector<nlohmann::json> lines;
  for (const QByteArray& line : file.readAll().split('\n'))
    if (!line.isEmpty()) lines.push_back(nlohmann::json::parse(line.toStdString()));
  return lines;
}

// MobileNetV2 at 32x32 with `classes` outputs and batch 2: a zoo model small enough for a test run.
void apply_small_zoo_model(ui::MainWindow& window, int classes) {
  window.builder()->presetCombo()->setCurrentText("mobilenet-v2");
  window.builder()->inputSizeSpin()->setValue(32);
  window.builder()->classesSpin()->setValue(classes);
  window.builder()->applyPresetButton()->click();
  REQUIRE(window.document()->isValid());
  window.batchSpin()->setValue(2);
}

// Runs the window's model to the end; the records of `phase` (a failure record fails the test).
std::vector<nlohmann::json> run_to_end(ui::MainWindow& window, const std::string& phase) {
  window.runButton()->click();
  REQUIRE(wait_until([&] { return !window.controller()->running(); }, 300000));
  std::vector<nlohmann::json> records;
  for (const nlohmann::json& line : result_lines(window.resultsPath())) {
    if (line.value("kind", "") == "failure") FAIL(line.dump());
    if (line.value("phase", "") == phase) records.push_back(line);
  }
  return records;
}

}  // namespace

TEST_CASE("A run of native-cpu and tfjs-wasm from the window fills the charts and the compare table",
          "[workbench]") {
  auto window = ready_window({"native-cpu", "tfjs-wasm"});
  CHECK(window->backends()->description("tfjs-wasm").contains("SIMD"));

  // The event loop keeps turning while the native backend runs (in its child
  // process): a 10 ms timer's ticks and gaps. A run on the UI thread would
  // stall it for the whole run. Not a latency bound: the child uses both of a
  // 2-core machine's cores, so single gaps of 100+ ms happen under load.
  QElapsedTimer since_tick, native_clock;
  qint64 worst_gap_ms = 0, native_ms = 0, native_ticks = 0;
  bool native_running = false;
  QTimer ticker;
  QObject::connect(&ticker, &QTimer::timeout, [&] {
    if (native_running) {
      worst_gap_ms = std::max(worst_gap_ms, since_tick.elapsed());
      ++native_ticks;
    }
    since_tick.restart();
  });
  QObject::connect(window->controller(), &ui::RunController::backendStarted, [&](const QString& b) {
    native_running = b == "native-cpu";
    since_tick.restart();
    native_clock.restart();
  });
  QObject::connect(window->controller(), &ui::RunController::backendFinished, [&] {
    if (native_running) native_ms = native_clock.elapsed();
    native_running = false;
  });
  ticker.start(10);

  REQUIRE(window->runButton()->isEnabled());
  window->runButton()->click();
  REQUIRE(wait_until([&] { return !window->controller()->running(); }, 300000));
  ticker.stop();

  CHECK(window->liveCharts()->pointCount("native-cpu", "loss") > 0);
  CHECK(window->liveCharts()->pointCount("tfjs-wasm", "loss") > 0);
  CHECK(window->liveCharts()->pointCount("native-cpu", "ms") > 0);
  CHECK(window->compareView()->rowCount() == 2);
  CHECK(window->compareView()->backends() == QStringList{"native-cpu", "tfjs-wasm"});
  INFO("native run " << native_ms << " ms: " << native_ticks << " ticks of 10 ms, worst gap " << worst_gap_ms
                      << " ms");
  // A run blocking the UI thread lets the timer fire at most once, after it.
  CHECK(native_ticks >= 2);
  // No freeze a user would notice. Under ASan (an instrumented UI thread) one
  // gap of 1.3-1.7 s shows on this Zen 5 machine as the native child's last
  // records arrive and are written to the history; Release stays under 150 ms.
  CHECK(worst_gap_ms < (kAddressSanitizer ? 3000 : 500));

  // Every record is on disk, one JSON line each.
  const auto lines = result_lines(window->resultsPath());
  CHECK(lines.front()["kind"] == "run");
  CHECK(lines.size() == window->records().size() + 1);

  // The whole workspace survives a save and an open in a new window.
  QTemporaryDir dir;
  const QString workspace = dir.filePath("run.gapscope.json");
  // The view goes with it: the scales, the live curves and the Sweep tab's grid.
  window->liveCharts()->setLogScale(true);
  window->compareView()->setLogScale(false);
  REQUIRE(window->sweepPanel() != nullptr);
  window->sweepPanel()->editor()->depthsEdit()->setText("1, 3");
  Q_EMIT window->sweepPanel()->editor()->depthsEdit()->editingFinished();
  REQUIRE(window->saveWorkspace(workspace));
  {
    ui::MainWindow reopened;
    REQUIRE(reopened.openWorkspace(workspace));
    CHECK(reopened.liveCharts()->logScale());
    CHECK_FALSE(reopened.compareView()->logScale());
    CHECK(reopened.liveCharts()->pointCount("native-cpu", "loss") == window->liveCharts()->pointCount("native-cpu", "loss"));
    CHECK(reopened.liveCharts()->pointCount("tfjs-wasm", "ms") == window->liveCharts()->pointCount("tfjs-wasm", "ms"));
    REQUIRE(reopened.sweepPanel() != nullptr);
    CHECK(reopened.sweepPanel()->editor()->depthsEdit()->text() == "1, 3");
    CHECK(reopened.compareView()->backends() == QStringList{"native-cpu", "tfjs-wasm"});
    CHECK(reopened.records().size() == window->records().size());
    CHECK(reopened.backends()->checkedBackends() == std::vector<std::string>{"native-cpu", "tfjs-wasm"});
    REQUIRE(wait_until([&] { return !reopened.backends()->probing(); }, 120000));
  }

  // Anyone can look at it: build/main_window.png, 1280x800.
  window->liveCharts()->flush();
  const QString png = QCoreApplication::applicationDirPath() + "/main_window.png";
  const QImage image = window->grab().toImage();
  CHECK(image.size() == QSize(1280, 800));
  REQUIRE(image.save(png));
  CHECK(QFile(png).size() > 10000);
}

TEST_CASE("A zoo model runs on synthetic inputs, which fit any model's shape", "[workbench]") {
  auto window = ready_window({"native-cpu", "tfjs-cpu"});
  apply_small_zoo_model(*window, 4);
  // MNIST's 784 values do not fit [32, 32, 3]; synthetic inputs do.
  const int synthetic = window->dataPanel()->sourceCombo()->findData("synthetic");
  REQUIRE(synthetic >= 0);
  REQUIRE(window->dataPanel()->setChoice(ui::DataChoice{.source = "synthetic", .path = {}}));
  CHECK(window->dataPanel()->infoText().contains("Synthetic inputs"));
  const auto infer = run_to_end(*window, "infer");
  CHECK(infer.size() == 2);  // one per backend
  for (const nlohmann::json& line : infer) {
    CHECK(line["model"] == "mobilenet_v2");
    CHECK(line["config"]["data"]["source"] == "synthetic");
  }
}

TEST_CASE("A zoo model runs on a folder of photos, read at the model's input size", "[workbench]") {
  auto window = ready_window({"native-cpu", "tfjs-cpu"});
  QTemporaryDir photos;
  for (const char* name : {"cats/1.png", "cats/2.jpg", "dogs/1.png", "dogs/2.png"}) {
    QImage image(50, 40, QImage::Format_RGB32);
    image.fill(QString(name).startsWith("cats") ? Qt::darkYellow : Qt::gray);
    REQUIRE(QDir(photos.path()).mkpath(QFileInfo(name).path()));
    REQUIRE(image.save(photos.filePath(name)));
  }
  REQUIRE(window->dataPanel()->setChoice(ui::DataChoice{.source = "images", .path = photos.path()}));
  CHECK(window->dataPanel()->split()->train.sample_shape == Shape{224, 224, 3});
  apply_small_zoo_model(*window, 2);
  // Re-read at the model's [32, 32, 3].
  REQUIRE(window->dataPanel()->choice().image == ui::ImageShape{32, 32, 3});
  CHECK(window->dataPanel()->split()->train.sample_shape == Shape{32, 32, 3});
  const auto train = run_to_end(*window, "train");
  CHECK(train.size() == 2);  // one per backend
  for (const nlohmann::json& line : train) {
    CHECK(line["config"]["data"]["source"] == "images");
    CHECK(line["config"]["data"]["image_shape"] == nlohmann::json{32, 32, 3});
  }
}

TEST_CASE("Closing the window mid-run stops it and keeps the finished backends' records", "[workbench]") {
  auto window = ready_window({"native-cpu", "tfjs-cpu"});
  QObject::connect(window->controller(), &ui::RunController::backendFinished, [&](const QString& b) {
    if (b == "native-cpu") QTimer::singleShot(200, window.get(), [&] { window->close(); });
  });
  window->runsScaleSpin()->setValue(3);  // tfjs-cpu would take a while: the close comes first
  window->runButton()->click();
  REQUIRE(wait_until([&] { return !window->isVisible(); }, 300000));
  CHECK_FALSE(window->controller()->running());
  int native_records = 0;
  for (const auto& line : result_lines(window->resultsPath()))
    if (line["kind"] == "measurement" && line["backend"] == "native-cpu") ++native_records;
  CHECK(native_records >= 4);
}

TEST_CASE("The window is interactive soon after it is made (probing goes on in the background)", "[workbench]") {
  QStandardPaths::setTestModeEnabled(true);
  QElapsedTimer clock;
  clock.start();
  ui::MainWindow window;
  window.show();
  QCoreApplication::processEvents();
  const qint64 shown_ms = clock.elapsed();
  WARN("window made and shown in " << shown_ms << " ms");  // a figure, not a timed assertion
  CHECK(window.isVisible());
  CHECK(wait_until([&] { return !window.backends()->probing(); }, 120000));
  WARN("all backends probed after " << clock.elapsed() << " ms");
}

TEST_CASE("A window closed while its backends are still being probed goes away cleanly", "[workbench]") {
  QStandardPaths::setTestModeEnabled(true);
  for (int i = 0; i < 3; ++i) {
    auto window = std::make_unique<ui::MainWindow>();
    window->show();
    wait_until([] { return false; }, 150 * i);  // 0, 150, 300 ms into the probing
    CHECK(window->close());
  }
  QCoreApplication::processEvents();
}

TEST_CASE("The window layout (geometry, tab) comes back on the next start", "[workbench]") {
  QStandardPaths::setTestModeEnabled(true);  // settings go to a test location too
  {
    ui::MainWindow first;
    first.show();
    first.findChild<QTabWidget*>()->setCurrentIndex(3);
    REQUIRE(wait_until([&] { return !first.backends()->probing(); }, 120000));
    CHECK(first.close());
  }
  ui::MainWindow second;
  CHECK(second.findChild<QTabWidget*>()->currentIndex() == 3);
  REQUIRE(wait_until([&] { return !second.backends()->probing(); }, 120000));
}

TEST_CASE("An invalid model cannot be run, and says why", "[workbench]") {
  auto window = ready_window({"native-cpu"});
  CHECK(window->runButton()->isEnabled());
  window->document()->setLayerField(0, "units", 0);
  CHECK_FALSE(window->runButton()->isEnabled());
  CHECK(window->runButton()->toolTip().contains("units"));
}

}  // namespace gapscope::test

namespace gapscope::test {

TEST_CASE("The title names the workspace; closing with unsaved model edits asks first", "[workbench]") {
  QStandardPaths::setTestModeEnabled(true);
  auto window = std::make_unique<ui::MainWindow>();
  window->show();
  CHECK(window->windowTitle() == "untitled[*] — gapscope");
  CHECK_FALSE(window->isWindowModified());

  window->builder()->widthSpin()->setValue(32);  // an edit: applies the preset at once
  CHECK(window->isWindowModified());
  QTemporaryDir dir;
  const QString path = dir.filePath("mine.gapscope.json");
  REQUIRE(window->saveWorkspace(path));
  CHECK(window->windowTitle() == "mine.gapscope.json[*] — gapscope");
  CHECK_FALSE(window->isWindowModified());
  CHECK(window->close());  // saved: nothing to ask

  window = std::make_unique<ui::MainWindow>();
  window->show();
  REQUIRE(window->openWorkspace(path));
  CHECK(window->windowTitle() == "mine.gapscope.json[*] — gapscope");
  window->builder()->depthSpin()->setValue(3);
  CHECK_FALSE(window->close());  // asks instead
  auto* ask = window->findChild<QMessageBox*>("unsaved-changes");
  REQUIRE(ask != nullptr);
  CHECK(ask->text().contains("mine.gapscope.json"));
  ask->button(QMessageBox::Cancel)->click();
  settle();
  CHECK(window->isVisible());  // Cancel keeps it
  CHECK_FALSE(window->close());
  ask = window->findChild<QMessageBox*>("unsaved-changes");
  REQUIRE(ask != nullptr);
  ask->button(QMessageBox::Discard)->click();
  REQUIRE(wait_until([&] { return !window->isVisible(); }, 5000));
  // The file still holds the saved model, not the discarded edit.
  ui::MainWindow reopened;
  REQUIRE(reopened.openWorkspace(path));
  CHECK(reopened.document()->specJson()["name"] == "paper-dnn-2x32");
}

TEST_CASE("gapscope FILE opens the workspace in the window instead of refusing it as a command", "[workbench]") {
  QTemporaryDir dir;
  const QString path = dir.filePath("given.gapscope.json");
  {
    QStandardPaths::setTestModeEnabled(true);
    ui::MainWindow window;
    REQUIRE(window.saveWorkspace(path));
  }
  QProcess gapscope;
  gapscope.start(GAPSCOPE_EXE, {path});
  REQUIRE(gapscope.waitForStarted());
  // A command it did not know would exit at once with the usage text; the window stays up.
  CHECK_FALSE(gapscope.waitForFinished(4000));
  gapscope.kill();
  gapscope.waitForFinished();
  CHECK_FALSE(gapscope.readAllStandardError().contains("unknown command"));
}

}  // namespace gapscope::test

namespace gapscope::test {

TEST_CASE("Data and model are checked where the data is chosen: paper-rnn follows the text, others are warned",
          "[workbench]") {
  QStandardPaths::setTestModeEnabled(true);
  ui::MainWindow window;
  ui::DataPanel* data = window.dataPanel();
  CHECK(data->modelFitText().isEmpty());  // MNIST and the paper DNN fit

  ui::DataChoice fortunes;
  fortunes.source = "fortunes";
  REQUIRE(data->setChoice(fortunes));
  // The paper DNN takes 784 values, text windows are 40 x vocabulary: said in the Data tab.
  CHECK(data->modelFitText().contains("The model takes [784]"));
  const int64_t vocabulary = data->split()->train.one_hot_depth;

  // A paper-rnn built for this text, then a new window: rebuilt for it (one undo step), no warning.
  window.builder()->presetCombo()->setCurrentText("paper-rnn");
  CHECK(window.document()->validSpec()->input_shape == Shape{40, vocabulary});
  CHECK(data->modelFitText().isEmpty());
  data->windowSpin()->setValue(20);
  CHECK(window.document()->validSpec()->input_shape == Shape{20, vocabulary});
  CHECK(data->modelFitText().isEmpty());
  window.document()->undoStack()->undo();
  CHECK(window.document()->validSpec()->input_shape == Shape{40, vocabulary});
}

}  // namespace gapscope::test

namespace gapscope::test {

TEST_CASE("The Compare tab overlays runs picked from the history", "[workbench]") {
  ScopedDatabase db;  // a history of this test's own
  auto window = ready_window({"native-cpu"});
  ui::RunPicker* picker = window->runPicker();
  REQUIRE(picker != nullptr);
  window->runButton()->click();
  REQUIRE(wait_until([&] { return !window->controller()->running(); }, 300000));
  const QString first = window->lastRunId();
  CHECK(picker->checkedRunIds() == QStringList{first});  // a run is ticked when it starts
  CHECK(window->compareView()->backends() == QStringList{"native-cpu"});

  window->builder()->widthSpin()->setValue(64);  // another model, another run
  window->runButton()->click();
  REQUIRE(wait_until([&] { return !window->controller()->running(); }, 300000));
  const QString second = window->lastRunId();
  REQUIRE(second != first);
  // The first stays ticked: both overlaid, each row named by its run, each ratio within its own run.
  CHECK(picker->checkedRunIds().size() == 2);
  CHECK(window->compareView()->backends() ==
        QStringList{"native-cpu · " + second, "native-cpu · " + first});
  picker->setChecked(first, false);
  CHECK(window->compareView()->backends() == QStringList{"native-cpu"});
}

}  // namespace gapscope::test

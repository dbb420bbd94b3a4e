// The Sweep tab driven like a user would: its defaults, invalid grids marked
// and refused, a tiny native-cpu + tfjs-wasm sweep run to the end into the
// run history with the ratio heatmap filled, and a sweep stopped in the
// middle, then resumed from the History tab to the end.
#include <catch2/catch.hpp>

#include <QComboBox>
#include <QCoreApplication>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QCheckBox>
#include <QTabWidget>
#include <QTimer>

#include "core/measure/backend_catalog.h"
#include "core/store/results_store.h"
#include "core/sweep/sweep_presets.h"
#include "tests/ui/browser/browser_test_support.h"
#include "tests/ui/sweeps/sweep_window_support.h"
#include "tests/ui/widget_test_support.h"
#include "ui/history/history_panel.h"
#include "ui/sweeps/ratio_heatmap.h"
#include "ui/sweeps/sweep_grid_editor.h"
#include "ui/sweeps/sweep_panel.h"
#include "ui/sweeps/sweep_progress_text.h"

namespace gapscope::test {
namespace {

constexpr int kSweepTimeoutMs = 300000;

void show_tab(ui::MainWindow& window, const QString& name) {
  auto* tabs = window.findChild<QTabWidget*>();
  for (int i = 0; i < tabs->count(); ++i)
    if (tabs->tabText(i) == name) tabs->setCurrentIndex(i);
}

}  // namespace

TEST_CASE("Sweep durations read as 45s, 3m05s, 2h03m", "[sweep-gui]") {
  CHECK(ui::short_duration(45) == "45s");
  CHECK(ui::short_duration(185) == "3m05s");
  CHECK(ui::short_duration(7380) == "2h03m");
  CHECK(ui::short_duration(-1) == "…");
  ui::SweepProgress p;
  p.done = 3;
  p.total = 12;
  p.eta_seconds = 185;
  p.current = "paper-dnn 2x128 on tfjs-wasm (round 1/2)";
  CHECK(ui::sweep_progress_text(p) == "3/12 items, ETA 3m05s, now: paper-dnn 2x128 on tfjs-wasm (round 1/2)");
}

TEST_CASE("The sweep grid editor starts from the trimmed paper grid and refuses invalid grids", "[sweep-gui]") {
  ui::SweepGridEditor editor;
  CHECK(editor.presetCombo()->currentText() == "paper-fig1-4");
  CHECK(editor.trimCheck()->isChecked());
  CHECK(editor.roundsSpin()->value() == 2);
  const auto trimmed = plan_sweep(sweep_preset("paper-fig1-4", true)).size();
  REQUIRE(editor.grid().has_value());
  CHECK(editor.itemCount() == static_cast<int64_t>(trimmed));
  CHECK(editor.planLabel()->text().startsWith(QString("%1 items").arg(trimmed)));
  CHECK(editor.grid()->notes.size() == 1);  // what the trim left out, for the report

  // Untrimmed: the paper's whole grid.
  editor.trimCheck()->setChecked(false);
  CHECK(editor.itemCount() == static_cast<int64_t>(plan_sweep(sweep_preset("paper-fig1-4", false)).size()));
  CHECK(editor.grid()->notes.empty());

  // Editing a field makes it a custom grid.
  editor.depthsEdit()->setText("1, 2");
  CHECK(editor.presetCombo()->currentText() == "custom");
  CHECK(editor.grid()->name == "custom");
  CHECK(editor.grid()->depths == std::vector<int64_t>{1, 2});

  editor.depthsEdit()->setText("1, x");
  CHECK_FALSE(editor.grid().has_value());
  CHECK(ui::SweepGridEditor::isMarkedInvalid(editor.depthsEdit()));
  CHECK_FALSE(ui::SweepGridEditor::isMarkedInvalid(editor.widthsEdit()));
  CHECK(editor.planLabel()->text().contains("'x' is not a whole number"));
  CHECK(editor.depthsEdit()->toolTip().contains("'x' is not a whole number"));

  editor.depthsEdit()->setText("100");  // validate_sweep_grid's limit
  CHECK_FALSE(editor.grid().has_value());
  CHECK(ui::SweepGridEditor::isMarkedInvalid(editor.depthsEdit()));
  CHECK(editor.errorText().contains("depth 100 outside [1, 64]"));

  editor.depthsEdit()->setText("2");
  editor.widthsEdit()->setText("");
  CHECK(ui::SweepGridEditor::isMarkedInvalid(editor.widthsEdit()));
  CHECK_FALSE(ui::SweepGridEditor::isMarkedInvalid(editor.depthsEdit()));
  CHECK(editor.errorText().contains("no widths"));

  editor.widthsEdit()->setText("8");
  REQUIRE(editor.grid().has_value());
  for (const std::string& id : backend_ids()) editor.backendCheck(id)->setChecked(false);
  CHECK_FALSE(editor.grid().has_value());
  CHECK(editor.errorText().contains("no backends"));

  // A preset fills every grid field again.
  editor.presetCombo()->setCurrentText("paper-gap-cnn");
  REQUIRE(editor.grid().has_value());
  CHECK(editor.modelCombo()->currentText() == "paper-cnn");
  CHECK(editor.grid()->backends == sweep_preset("paper-gap-cnn", true).backends);
}

TEST_CASE("A tiny sweep from the Sweep tab runs to the end, into the history, and fills the heatmap",
          "[sweep-gui]") {
  ScopedDatabase db;
  auto window = probed_window();
  ui::SweepPanel* panel = window->sweepPanel();
  REQUIRE(panel != nullptr);
  show_tab(*window, "Sweep");
  CHECK(panel->heatmap()->cellCount() == 0);
  CHECK_FALSE(panel->stopButton()->isEnabled());
  CHECK_FALSE(panel->resumeButton()->isEnabled());

  // Invalid: Start is refused and says why.
  panel->editor()->depthsEdit()->setText("0");
  CHECK_FALSE(panel->startButton()->isEnabled());
  CHECK(panel->startButton()->toolTip().contains("depth 0"));

  set_tiny_grid(*panel, "1", "8, 16", {"native-cpu", "tfjs-wasm"});
  CHECK(panel->editor()->planLabel()->text().startsWith("4 items"));
  std::vector<QString> progress_texts;
  QObject::connect(panel->controller(), &ui::SweepController::progress, panel,
                   [&] { progress_texts.push_back(panel->progressBar()->format()); });
  bool stopped = true;
  REQUIRE(click_and_wait(*panel, false, kSweepTimeoutMs, &stopped));
  CHECK_FALSE(stopped);

  const std::string run_id = panel->runId().toStdString();
  const StoredRun run = window->store()->load_run(run_id);
  CHECK(run.summary.kind == "sweep");
  CHECK(run.summary.configurations == 4);
  CHECK(run.summary.done == 4);
  CHECK(run.summary.failed == 0);
  CHECK(run.summary.metadata.at("flags") == "workbench sweep");
  CHECK(run.summary.label == "paper-dnn 1 x 8,16 (custom)");
  CHECK(run.summary.metadata.at("sweep").at("widths") == nlohmann::json{8, 16});
  for (const StoredConfiguration& c : run.configurations) CHECK_FALSE(c.measurements.empty());
  CHECK(panel->progressBar()->format().contains("4/4 items"));
  bool saw_item = false;
  for (const QString& text : progress_texts) saw_item = saw_item || text.contains("now: paper-dnn 1x");
  CHECK(saw_item);

  // The heatmap: tfjs-wasm over native-cpu, both tasks, every grid point.
  CHECK(panel->heatmapBackendCombo()->currentText() == "tfjs-wasm");
  for (const char* task : {"train", "infer"}) {
    panel->heatmapTaskCombo()->setCurrentText(task);
    INFO(task);
    CHECK(panel->heatmap()->cellCount() == 2);
    CHECK(panel->heatmap()->ratioAt(1, 8).value_or(0) > 0);
    CHECK(panel->heatmap()->ratioAt(1, 16).value_or(0) > 0);
    CHECK(panel->heatmap()->cellText(1, 16).endsWith("×"));
    CHECK(panel->heatmap()->title().contains("tfjs-wasm / native-cpu"));
  }
  settle();
  const QImage heatmap = panel->heatmap()->grab().toImage();
  CHECK(pixelsUnlikeCorner(heatmap) > 10000);  // two coloured cells, not a blank page
  REQUIRE(window->grab().save(screenshotPath("sweep_tab.png")));
  // The window's Run button waits while a sweep runs, and is free again now.
  CHECK(window->runButton()->isEnabled());
}

TEST_CASE("A sweep stopped mid-item can be resumed from the History tab and finishes", "[sweep-gui]") {
  ScopedDatabase db;
  auto window = probed_window();
  ui::SweepPanel* panel = window->sweepPanel();
  REQUIRE(panel != nullptr);
  set_tiny_grid(*panel, "1", "8, 16", {"native-cpu", "tfjs-wasm"});

  // Stop while the second item (tfjs-wasm, a page to load) is in flight.
  bool cancelled = false;
  int started = 0;
  QObject::connect(panel->controller(), &ui::SweepController::itemStarted, panel, [&] {
    if (++started == 2) QTimer::singleShot(300, panel, [panel] { panel->stopButton()->click(); });
  });
  QObject::connect(panel->controller(), &ui::SweepController::itemFinished, panel,
                   [&](const SweepItem&, bool, const QString& reason) { cancelled = cancelled || reason == "cancelled"; });
  bool stopped = false;
  REQUIRE(click_and_wait(*panel, false, kSweepTimeoutMs, &stopped));
  CHECK(stopped);
  CHECK(cancelled);
  const QString run_id = panel->runId();
  RunSummary summary = window->store()->load_run(run_id.toStdString()).summary;
  CHECK(summary.configurations == 4);
  CHECK(summary.done < 4);
  CHECK(panel->progressBar()->format().startsWith("Stopped at"));

  // Resume goes on with the sweep just stopped, as the progress text says, and
  // with an unfinished sweep selected in History.
  CHECK(panel->resumeButton()->isEnabled());
  ui::HistoryPanel* history = window->historyPanel();
  history->selectRuns({run_id});
  REQUIRE(history->selectedRunIds() == QStringList{run_id});
  REQUIRE(panel->resumeButton()->isEnabled());
  REQUIRE(click_and_wait(*panel, true, kSweepTimeoutMs, &stopped));
  CHECK_FALSE(stopped);
  summary = window->store()->load_run(run_id.toStdString()).summary;
  CHECK(summary.done == 4);
  CHECK(window->store()->list_runs().size() == 1);  // the same run, not a new one
  CHECK(panel->heatmap()->cellCount() == 2);
  // Finished: nothing to resume any more.
  CHECK_FALSE(panel->resumeButton()->isEnabled());
}

}  // namespace gapscope::test

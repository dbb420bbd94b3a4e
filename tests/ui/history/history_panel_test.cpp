// The History tab and File > Export driven like a user would, on a run
// history of its own: two tiny sweeps and a workbench run are listed, the
// filters narrow the list, the detail pane shows a run's facts, medians and
// ratio tree, Compare shows B/A, Export writes the report, Delete asks and
// deletes. And a run history that cannot be opened costs only its two tabs.
#include <catch2/catch.hpp>

#include <QComboBox>
#include <QDateEdit>
#include <QDateTime>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSvgRenderer>
#include <QSvgWidget>
#include <QTabWidget>
#include <QTableWidget>

#include "core/store/results_store.h"
#include "tests/ui/browser/browser_test_support.h"
#include "tests/ui/sweeps/sweep_window_support.h"
#include "tests/ui/widget_test_support.h"
#include "ui/history/history_panel.h"
#include "ui/history/report_export.h"
#include "ui/history/run_comparison_view.h"
#include "ui/history/run_detail_view.h"
#include "ui/history/run_filter_bar.h"
#include "ui/sweeps/sweep_panel.h"
#include "ui/workbench/backends_panel.h"
#include "ui/runs/run_controller.h"

namespace gapscope::test {
namespace {

constexpr int kRunTimeoutMs = 300000;

QString read_text(const QString& path) {
  QFile file(path);
  REQUIRE(file.open(QIODevice::ReadOnly));
  return QString::fromUtf8(file.readAll());
}

int visible_rows(const ui::HistoryPanel& history) { return history.runsTable()->rowCount(); }

QString kind_in_row(const ui::HistoryPanel& history, int row) {
  return history.runsTable()->item(row, ui::HistoryPanel::kKind)->text();
}

}  // namespace

TEST_CASE("The History tab lists, filters, details, compares, exports and deletes runs", "[history-gui]") {
  ScopedDatabase db;
  auto window = probed_window();
  ui::SweepPanel* sweeps = window->sweepPanel();
  ui::HistoryPanel* history = window->historyPanel();
  REQUIRE(sweeps != nullptr);
  REQUIRE(history != nullptr);
  CHECK(visible_rows(*history) == 0);

  // Two sweeps (A on native-cpu + tfjs-wasm, B on native-cpu alone) and a workbench run.
  set_tiny_grid(*sweeps, "1", "8, 16", {"native-cpu", "tfjs-wasm"});
  REQUIRE(click_and_wait(*sweeps, false, kRunTimeoutMs));
  const QString sweep_a = sweeps->runId();
  set_tiny_grid(*sweeps, "1", "8, 16", {"native-cpu"});
  REQUIRE(click_and_wait(*sweeps, false, kRunTimeoutMs));
  const QString sweep_b = sweeps->runId();
  window->backends()->setChecked({"native-cpu"});
  window->runsScaleSpin()->setValue(0.05);
  REQUIRE(window->runButton()->isEnabled());
  window->runButton()->click();
  REQUIRE(wait_until([&] { return !window->controller()->running(); }, kRunTimeoutMs));
  const QString workbench_run = window->reportRunId();
  REQUIRE_FALSE(workbench_run.isEmpty());

  {  // the workbench run is recorded like `gapscope run` records one
    const StoredRun run = window->store()->load_run(workbench_run.toStdString());
    CHECK(run.summary.kind == "workbench");
    CHECK(run.summary.configurations == 1);
    CHECK(run.summary.done == 1);
    CHECK(run.summary.metadata.at("flags") == "workbench");
    REQUIRE(run.configurations.size() == 1);
    CHECK(run.configurations[0].plan.backend == "native-cpu");
    CHECK(run.configurations[0].measurements.size() == window->records().size());
  }

  {  // the list and its filters
    REQUIRE(visible_rows(*history) == 3);
    CHECK(kind_in_row(*history, 0) == "workbench");  // newest first
    CHECK(history->runsTable()->item(2, ui::HistoryPanel::kId)->text() == sweep_a);
    CHECK(history->runsTable()->item(2, ui::HistoryPanel::kCounts)->text() == "4 / 0 / 4");
    CHECK_FALSE(history->runsTable()->item(2, ui::HistoryPanel::kCpu)->text().isEmpty());

    ui::RunFilterBar* filters = history->filterBar();
    filters->kindCombo()->setCurrentText("sweep");
    CHECK(visible_rows(*history) == 2);
    filters->kindCombo()->setCurrentText("any");
    filters->backendCombo()->setCurrentText("tfjs-wasm");
    REQUIRE(visible_rows(*history) == 1);
    CHECK(history->runsTable()->item(0, ui::HistoryPanel::kId)->text() == sweep_a);
    filters->backendCombo()->setCurrentText("tfjs-webgl");  // nothing ran there
    CHECK(visible_rows(*history) == 0);
    filters->backendCombo()->setCurrentText("any");
    filters->modelEdit()->setText("paper-dnn-1x16");
    CHECK(visible_rows(*history) == 2);
    filters->modelEdit()->setText("no-such-model");
    CHECK(visible_rows(*history) == 0);
    filters->modelEdit()->clear();
    const QDate today = QDateTime::currentDateTimeUtc().date();
    filters->fromDate()->setDate(today.addDays(1));
    CHECK(visible_rows(*history) == 0);
    filters->fromDate()->setDate(today.addDays(-1));
    filters->toDate()->setDate(today);
    CHECK(visible_rows(*history) == 3);
    filters->toDate()->setDate(today.addDays(-1));
    CHECK(visible_rows(*history) == 0);
    filters->reset();
    CHECK(visible_rows(*history) == 3);
  }

  {  // the detail pane: facts, medians per configuration x phase, the ratio tree
    history->selectRuns({sweep_a});
    ui::RunDetailView* detail = history->detailView();
    CHECK(detail->runId() == sweep_a);
    const RunSummary summary = window->store()->load_run(sweep_a.toStdString()).summary;
    REQUIRE(summary.facts.cpu_model.has_value());
    CHECK(detail->factsLabel()->text().contains(QString::fromStdString(*summary.facts.cpu_model).toHtmlEscaped()));
    QTableWidget* medians = detail->mediansTable();
    CHECK(medians->rowCount() == 4);  // 2 points x 2 backends
    QStringList headers;
    for (int c = 0; c < medians->columnCount(); ++c) headers << medians->horizontalHeaderItem(c)->text();
    for (const char* phase : {"load", "warmup", "infer", "train"}) CHECK(headers.contains(phase));
    const int train = static_cast<int>(headers.indexOf("train"));
    CHECK(medians->item(0, train)->text().contains("s"));  // "1.23 ms"
    CHECK(medians->item(0, 2)->text() == "done");
    const QString ratios = detail->ratioText()->toPlainText();
    CHECK(ratios.contains("tfjs-wasm"));
    CHECK(ratios.contains("factor importance"));
    // The tree is drawn too, as in the report.
    CHECK(detail->treeSvg().contains("<svg"));
    CHECK(detail->treeView()->renderer()->isValid());
    // Shown at the drawing's own size (scrolling where the tab is smaller), never squashed.
    CHECK(detail->treeView()->size() == detail->treeView()->renderer()->defaultSize());
    REQUIRE(detail->treeView()->grab().save(screenshotPath("history_tree.png")));

    auto* tabs = window->findChild<QTabWidget*>();
    tabs->setCurrentIndex(tabs->indexOf(history));
    settle();
    REQUIRE(window->grab().save(screenshotPath("history_tab.png")));

    history->selectRuns({sweep_a, sweep_b});
    CHECK(detail->runId().isEmpty());  // two selected: the comparison's job
  }

  {  // Compare shows the pooled medians of both and B/A
    history->selectRuns({sweep_b, sweep_a});
    REQUIRE(history->compareButton()->isEnabled());
    history->compareButton()->click();
    ui::RunComparisonView* comparison = history->comparisonView();
    REQUIRE(comparison != nullptr);
    QTableWidget* table = comparison->table();
    REQUIRE(table->rowCount() > 0);
    CHECK(table->horizontalHeaderItem(ui::RunComparisonView::kRatioColumn)->text() == "B/A");
    for (int row = 0; row < table->rowCount(); ++row) {
      CHECK(table->item(row, 1)->text() == "native-cpu");  // the only backend both ran
      bool ok = false;
      const double ratio = table->item(row, ui::RunComparisonView::kRatioColumn)->text().toDouble(&ok);
      CHECK(ok);
      CHECK(ratio > 0);
    }
    CHECK(comparison->summaryLabel()->text().contains("native-cpu train"));
  }

  {  // Export writes the selected run's report, in the format the filter names
    QTemporaryDir dir;
    history->selectRuns({sweep_a});
    CHECK(window->reportRunId() == sweep_a);
    const auto& formats = ui::report_formats();
    REQUIRE(window->exportReport(sweep_a, dir.filePath("sweep"), formats[0].filter));
    const QString html = read_text(dir.filePath("sweep.html"));
    CHECK(html.contains("<svg"));
    CHECK(html.contains(sweep_a));
    REQUIRE(window->exportReport(sweep_a, dir.filePath("sweep.csv"), formats[2].filter));
    CHECK(read_text(dir.filePath("sweep.csv")).startsWith("run_id,"));
    REQUIRE(window->exportReport(sweep_a, dir.filePath("sweep"), formats[3].filter));
    CHECK(read_text(dir.filePath("sweep.jsonl")).contains("\"kind\":\"run\""));
    // Nothing selected: the session's last run.
    history->selectRuns({});
    CHECK(window->reportRunId() == workbench_run);
  }

  {  // Delete asks first, then deletes the run with what it measured
    history->selectRuns({workbench_run});
    answer_next_message_box(QMessageBox::No);
    history->deleteButton()->click();
    CHECK(window->store()->has_run(workbench_run.toStdString()));
    CHECK(visible_rows(*history) == 3);

    answer_next_message_box(QMessageBox::Yes);
    history->deleteButton()->click();
    CHECK_FALSE(window->store()->has_run(workbench_run.toStdString()));
    CHECK(visible_rows(*history) == 2);
    CHECK(history->selectedRunIds().isEmpty());
  }
}

TEST_CASE("A run history that cannot be opened says so and leaves the rest of the window working",
          "[history-gui]") {
  ScopedDatabase db;
  const QByteArray garbage(8192, 'x');
  {
    QFile file(db.path());
    REQUIRE(file.open(QIODevice::WriteOnly));
    file.write(garbage);
  }
  auto window = probed_window();
  CHECK(window->store() == nullptr);
  CHECK(window->sweepPanel() == nullptr);
  CHECK(window->historyPanel() == nullptr);
  CHECK(window->storeError().contains(db.path()));
  // The Sweep and History tabs show the error instead.
  auto* tabs = window->findChild<QTabWidget*>();
  int error_pages = 0;
  for (int i = 0; i < tabs->count(); ++i)
    if (tabs->tabText(i) == "Sweep" || tabs->tabText(i) == "History") {
      auto* label = qobject_cast<QLabel*>(tabs->widget(i));
      REQUIRE(label != nullptr);
      CHECK(label->text() == window->storeError());
      ++error_pages;
    }
  CHECK(error_pages == 2);
  // And a message box, which does not block the window.
  QMessageBox* box = nullptr;
  REQUIRE(wait_until([&] { return (box = window->findChild<QMessageBox*>()) && box->isVisible(); }, 10000));
  CHECK(box->text() == window->storeError());
  box->button(QMessageBox::Ok)->click();
  CHECK(window->runButton()->isEnabled());
  // The file is left as it was.
  QFile file(db.path());
  REQUIRE(file.open(QIODevice::ReadOnly));
  CHECK(file.readAll() == garbage);
}

}  // namespace gapscope::test

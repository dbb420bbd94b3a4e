#include "ui/sweeps/sweep_panel.h"

#include <algorithm>

#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

#include "core/measure/backend_catalog.h"
#include "core/measure/measurement.h"
#include "ui/runs/run_record.h"
#include "ui/sweeps/ratio_heatmap.h"
#include "ui/sweeps/sweep_grid_editor.h"
#include "ui/sweeps/sweep_progress_text.h"

namespace gapscope::ui {
namespace {

// Sets a combo's items, keeping the chosen one when it is still there.
void set_items(QComboBox* combo, const QStringList& items) {
  const QSignalBlocker block(combo);
  const QString chosen = combo->currentText();
  combo->clear();
  combo->addItems(items);
  if (items.contains(chosen)) combo->setCurrentText(chosen);
}

// The label the History tab lists: a preset's name, or what a custom grid spans.
std::string sweep_label(const SweepGrid& grid) {
  if (grid.name != "custom") return grid.name;
  auto joined = [](const std::vector<int64_t>& values) {
    std::string text;
    for (int64_t v : values) {
      if (!text.empty()) text += ',';
      text += std::to_string(v);
    }
    return text;
  };
  return grid.model + " " + joined(grid.depths) + " x " + joined(grid.widths) + " (custom)";
}

}  // namespace

SweepPanel::SweepPanel(ResultsStore& store, browser::BrowserSession* session, QWidget* parent)
    : QWidget(parent),
      store_(store),
      controller_(new SweepController(store, {}, session, this)),
      editor_(new SweepGridEditor),
      start_(new QPushButton(tr("Start"))),
      stop_(new QPushButton(tr("Stop"))),
      resume_(new QPushButton(tr("Resume"))),
      progress_(new QProgressBar),
      status_(new QLabel),
      heatmap_backend_(new QComboBox),
      heatmap_task_(new QComboBox),
      heatmap_(new RatioHeatmap),
      heatmap_notes_(new QLabel) {
  auto* grid_box = new QGroupBox(tr("Sweep grid (items run one after another)"));
  auto* left = new QVBoxLayout(grid_box);
  left->addWidget(editor_);
  auto* buttons = new QHBoxLayout;
  stop_->setToolTip(tr("Cancels the item in flight; it is left pending, so Resume runs it again"));
  resume_->setToolTip(tr("Continues an unfinished sweep: the one just stopped, or one selected in the History tab"));
  buttons->addWidget(start_);
  buttons->addWidget(stop_);
  buttons->addWidget(resume_);
  buttons->addStretch(1);
  left->addLayout(buttons);
  progress_->setRange(0, 1000);
  progress_->setValue(0);
  progress_->setTextVisible(true);
  progress_->setFormat(tr("not started"));
  left->addWidget(progress_);
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  left->addWidget(status_);
  left->addStretch(1);

  auto* map_box = new QGroupBox(tr("Browser / native time ratio"));
  auto* right = new QVBoxLayout(map_box);
  auto* pickers = new QHBoxLayout;
  pickers->addWidget(new QLabel(tr("Backend")));
  pickers->addWidget(heatmap_backend_, 1);
  pickers->addWidget(new QLabel(tr("Task")));
  heatmap_task_->addItems({"train", "infer"});
  pickers->addWidget(heatmap_task_);
  right->addLayout(pickers);
  right->addWidget(heatmap_, 1);
  heatmap_notes_->setWordWrap(true);
  right->addWidget(heatmap_notes_);

  auto* splitter = new QSplitter;
  splitter->addWidget(grid_box);
  splitter->addWidget(map_box);
  splitter->setStretchFactor(1, 1);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(splitter);

  connect(editor_, &SweepGridEditor::changed, this, &SweepPanel::updateButtons);
  connect(start_, &QPushButton::clicked, this, &SweepPanel::start);
  connect(stop_, &QPushButton::clicked, this, &SweepPanel::stop);
  connect(resume_, &QPushButton::clicked, this, &SweepPanel::resume);
  connect(heatmap_backend_, &QComboBox::currentTextChanged, this, &SweepPanel::showHeatmap);
  connect(heatmap_task_, &QComboBox::currentTextChanged, this, &SweepPanel::showHeatmap);
  connect(controller_, &SweepController::progress, this, &SweepPanel::onProgress);
  connect(controller_, &SweepController::itemFinished, this, &SweepPanel::onItemFinished);
  connect(controller_, &SweepController::finished, this, &SweepPanel::onFinished);
  updateButtons();
}

void SweepPanel::start() {
  const auto grid = editor_->grid();
  if (!start_->isEnabled() || !grid) return;
  std::string run_id;
  try {
    run_id = controller_->start(*grid, qt_run_record(new_run_id(), grid->seed, "workbench sweep"), sweep_label(*grid));
  } catch (const std::exception& e) {
    QMessageBox::warning(this, tr("Cannot start the sweep"), QString::fromStdString(e.what()));
    return;
  }
  showRun(run_id, *grid);
  Q_EMIT sweepStarted(run_id_);
}

void SweepPanel::stop() { controller_->stop(); }

void SweepPanel::resume() {
  if (!resume_->isEnabled()) return;
  const std::string run_id = resume_candidate_.toStdString();
  SweepGrid grid;
  try {
    grid = SweepController::storedGrid(store_, run_id);
    controller_->resume(run_id);
  } catch (const std::exception& e) {
    QMessageBox::warning(this, tr("Cannot resume the sweep"), QString::fromStdString(e.what()));
    return;
  }
  showRun(run_id, grid);
  Q_EMIT sweepStarted(run_id_);
}

void SweepPanel::setResumeCandidate(const QString& run_id) {
  resume_candidate_ = run_id;
  updateButtons();
}

void SweepPanel::setOtherRunActive(bool active) {
  other_run_active_ = active;
  updateButtons();
}

void SweepPanel::showRun(const std::string& run_id, const SweepGrid& grid) {
  run_id_ = QString::fromStdString(run_id);
  shown_grid_ = grid;
  QStringList browsers, tasks;
  for (const std::string& backend : grid.backends)
    if (is_browser_backend(backend)) browsers << QString::fromStdString(backend);
  for (const std::string& task : grid.tasks) tasks << QString::fromStdString(task);
  set_items(heatmap_backend_, browsers);
  set_items(heatmap_task_, tasks);
  status_->clear();
  progress_->setValue(0);
  progress_->setFormat(tr("starting %1").arg(run_id_));
  refreshAnalysis();
  updateButtons();
}

void SweepPanel::refreshAnalysis() {
  if (run_id_.isEmpty()) return;
  try {
    analysis_ = analyse_ratios(store_.load_run(run_id_.toStdString()));
  } catch (const std::exception& e) {
    analysis_ = {};
    status_->setText(tr("Cannot analyse %1: %2").arg(run_id_, QString::fromStdString(e.what())));
  }
  showHeatmap();
}

void SweepPanel::showHeatmap() {
  const std::string backend = heatmap_backend_->currentText().toStdString();
  const std::string task = heatmap_task_->currentText().toStdString();
  if (backend.empty() || task.empty()) {
    heatmap_->clear();
    heatmap_notes_->setText(run_id_.isEmpty() ? QString() : tr("This sweep has no browser backend to compare."));
    return;
  }
  std::string reference = "native-cpu";
  for (const RatioPoint& p : analysis_.points)
    if (p.backend == backend && p.task == task) reference = p.reference;
  const QString title = tr("%1 / %2, %3 (%4)")
                            .arg(QString::fromStdString(backend), QString::fromStdString(reference),
                                 QString::fromStdString(task),
                                 task == "train" ? tr("ms per batch") : tr("ms per sample"));
  heatmap_->setCells(title, shown_grid_.depths, shown_grid_.widths, heatmap_cells(analysis_, backend, task));
  QStringList notes;
  for (const std::string& note : analysis_.notes) notes << QString::fromStdString(note);
  heatmap_notes_->setText(notes.join('\n'));
}

void SweepPanel::onProgress(const SweepProgress& p) {
  last_progress_ = p;
  if (!controller_->running()) return;  // the final report comes with finished()
  const double fraction = p.total > 0 ? (static_cast<double>(p.done) + p.item_fraction) / static_cast<double>(p.total)
                                      : 0;
  progress_->setValue(static_cast<int>(std::clamp(fraction, 0.0, 1.0) * 1000));
  progress_->setFormat(sweep_progress_text(p));
}

void SweepPanel::onItemFinished(const SweepItem& item, bool ok, const QString& reason, const QString& message) {
  if (!ok && reason != "cancelled")
    status_->setText(tr("%1 failed (%2): %3")
                         .arg(QString::fromStdString(describe_item(shown_grid_, item)), reason, message.left(300)));
  refreshAnalysis();
  Q_EMIT sweepChanged(run_id_);
}

void SweepPanel::onFinished(bool stopped) {
  if (last_progress_.total > 0)
    progress_->setValue(static_cast<int>(1000.0 * static_cast<double>(last_progress_.done) /
                                         static_cast<double>(last_progress_.total)));
  progress_->setFormat(sweep_finished_text(last_progress_, stopped));
  // The sweep just stopped is the one Resume goes on with ("Resume goes on from there").
  if (stopped) resume_candidate_ = run_id_;
  else if (resume_candidate_ == run_id_) resume_candidate_.clear();
  refreshAnalysis();
  updateButtons();
  Q_EMIT sweepFinished(run_id_, stopped);
}

void SweepPanel::updateButtons() {
  const bool running = controller_->running();
  const bool free = !running && !other_run_active_;
  start_->setEnabled(free && editor_->grid().has_value());
  start_->setToolTip(!editor_->grid() ? tr("The grid is invalid: %1").arg(editor_->errorText())
                     : other_run_active_ ? tr("A run is in progress in the Run tab")
                                         : QString());
  stop_->setEnabled(running);
  resume_->setEnabled(free && !resume_candidate_.isEmpty());
  editor_->setEnabled(!running);
}

}  // namespace gapscope::ui

// The Sweep tab: define a grid (SweepGridEditor), run it item by item into the
// run history (SweepController), follow it (progress, ETA, the item in
// flight), stop it, resume an unfinished one, and watch the browser/native
// ratio fill a depth x width heatmap as items finish.
#pragma once
#include <optional>
#include <string>

#include <QWidget>

#include "core/analysis/ratio_analysis.h"
#include "ui/runs/sweep_controller.h"

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;

namespace gapscope::browser {
class BrowserSession;
}

namespace gapscope::ui {

class RatioHeatmap;
class SweepGridEditor;

class SweepPanel : public QWidget {
  Q_OBJECT
 public:
  // The store must outlive the panel; the session runs the browser backends
  // (the window's, so its Browser tab shows the page).
  SweepPanel(ResultsStore& store, browser::BrowserSession* session, QWidget* parent = nullptr);

  bool running() const { return controller_->running(); }
  // The sweep started or resumed last (empty before the first).
  QString runId() const { return run_id_; }

  // For tests and tooling.
  SweepGridEditor* editor() const { return editor_; }
  SweepController* controller() const { return controller_; }
  QPushButton* startButton() const { return start_; }
  QPushButton* stopButton() const { return stop_; }
  QPushButton* resumeButton() const { return resume_; }
  QProgressBar* progressBar() const { return progress_; }
  RatioHeatmap* heatmap() const { return heatmap_; }
  QComboBox* heatmapBackendCombo() const { return heatmap_backend_; }
  QComboBox* heatmapTaskCombo() const { return heatmap_task_; }

 public Q_SLOTS:
  void start();
  void stop();
  void resume();
  // The run Resume would continue: an unfinished sweep selected in the
  // History tab, or empty for none.
  void setResumeCandidate(const QString& run_id);
  // Another run (the Run tab's) holds the machine: no sweep may start.
  void setOtherRunActive(bool active);

 Q_SIGNALS:
  void sweepStarted(const QString& run_id);
  // An item ended: the stored run changed.
  void sweepChanged(const QString& run_id);
  void sweepFinished(const QString& run_id, bool stopped);

 private:
  void onProgress(const SweepProgress& progress);
  void onItemFinished(const SweepItem& item, bool ok, const QString& reason, const QString& message);
  void onFinished(bool stopped);
  void showRun(const std::string& run_id, const SweepGrid& grid);
  void refreshAnalysis();
  void showHeatmap();
  void updateButtons();

  ResultsStore& store_;
  SweepController* controller_;
  SweepGridEditor* editor_;
  QPushButton *start_, *stop_, *resume_;
  QProgressBar* progress_;
  QLabel* status_;
  QComboBox *heatmap_backend_, *heatmap_task_;
  RatioHeatmap* heatmap_;
  QLabel* heatmap_notes_;
  QString run_id_, resume_candidate_;
  SweepGrid shown_grid_;
  RatioAnalysis analysis_;
  SweepProgress last_progress_;
  bool other_run_active_ = false;
};

}  // namespace gapscope::ui

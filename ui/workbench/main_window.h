// The workbench: build a model (left), pick backends and run them one after
// another (right), watch them train side by side (Live), compare phases
// (Compare), and see the page that runs the browser backends (Browser). Every
// record is appended to a results file as it arrives, so closing the window in
// the middle of a run loses no completed result. Every run (a workbench run
// or a sweep, Sweep tab) is also recorded in the run history, which the
// History tab lists and File > Export report… turns into a report.
#pragma once
#include <map>
#include <memory>
#include <vector>

#include <QLabel>
#include <QMainWindow>
#include <QProgressBar>
#include <QTimer>

#include "core/measure/measurement.h"
#include "core/measure/runner.h"

class QDoubleSpinBox;
class QMenu;
class QPlainTextEdit;
class QPushButton;
class QSplitter;
class QSpinBox;
class QTabWidget;
class QVBoxLayout;
class QWebEngineView;

namespace gapscope {
class ResultsStore;
}

namespace gapscope::browser {
class BrowserSession;
}

namespace gapscope::ui {

class RunPicker;

class BackendsPanel;
class DataPanel;
class CompareView;
class HistoryPanel;
class LiveCharts;
class ModelBuilderWidget;
class RunController;
class SpecDocument;
class SweepPanel;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // For tests and tooling.
  SpecDocument* document() const { return document_; }
  ModelBuilderWidget* builder() const { return builder_; }
  BackendsPanel* backends() const { return backends_; }
  DataPanel* dataPanel() const { return data_; }
  LiveCharts* liveCharts() const { return live_; }
  CompareView* compareView() const { return compare_; }
  RunController* controller() const { return controller_; }
  QDoubleSpinBox* runsScaleSpin() const { return runs_scale_; }
  QSpinBox* batchSpin() const { return batch_; }
  QPushButton* runButton() const { return run_button_; }
  QPushButton* stopButton() const { return stop_button_; }
  QAction* startAction() const { return start_action_; }
  RunPicker* runPicker() const { return run_picker_; }
  QString lastRunId() const { return last_run_id_; }  // the last run or sweep started here
  QString resultsPath() const { return results_path_; }
  const std::vector<Measurement>& records() const { return records_; }
  // The run history ($GAPSCOPE_DB, else default_results_path()); null, with
  // storeError() saying why, when it could not be opened.
  ResultsStore* store() const { return store_.get(); }
  QString storeError() const { return store_error_; }
  // Null when there is no store (their tabs then show the error instead).
  SweepPanel* sweepPanel() const { return sweep_; }
  HistoryPanel* historyPanel() const { return history_; }
  // The run File > Export report… writes: the one selected in the History
  // tab, else the last run or sweep of this session; empty if neither.
  QString reportRunId() const;

 public Q_SLOTS:
  void startRun();
  void stopRun();
  // The whole workspace (spec, data choice, backends, protocol, results) as one
  // file (ui/workbench/workspace.h); errors go to a message box and return false.
  bool saveWorkspace(const QString& path);
  bool openWorkspace(const QString& path);
  // Save to the workspace's file, or ask where (false: cancelled or failed).
  bool saveWorkspaceInteractively();
  // Writes run_id's report to path in the format the file-dialog filter
  // names (ui/history/report_export.h), adding its suffix when missing; errors
  // go to a message box naming the file and return false.
  bool exportReport(const QString& run_id, const QString& path, const QString& filter);

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  void refreshRunPicker();
  void showComparedRuns();
  bool saveWorkspaceAs();
  void updateWindowTitle();
  void askToSaveThenClose();
  QWidget* makeRunPanel();
  void makeMenus();
  void fillRecentMenu(QMenu* menu);
  QString workspace_path_;
  void makeStatusBar();
  void onBackendStarted(const QString& backend, int index, int count);
  void onProgress(const QString& backend, const ProgressEvent& event, double fraction, double eta_seconds);
  void onMeasurement(const QString& backend, const Measurement& record);
  void onBackendFinished(const QString& backend, bool ok, const QString& reason, const QString& message);
  void onRunFinished(bool stopped);
  void appendResultLine(const nlohmann::json& line);
  // The rows a run trains and infers on: the first training rows of the data
  // panel's dataset, targets encoded for the model's loss; null + message if they do not fit.
  std::shared_ptr<const DataRows> runRows(const ModelSpec& spec, int64_t batch, QString* error) const;
  void updateRunButtons();
  // The run history and the two tabs that need it (or the error in their place).
  void openStore();
  void addHistoryTabs();
  void exportReportFromDialog();
  void onSweepStarted(const QString& run_id);
  void onSweepFinished(const QString& run_id, bool stopped);
  void updateResumeCandidate();

  browser::BrowserSession* session_;
  SpecDocument* document_;
  ModelBuilderWidget* builder_;
  BackendsPanel* backends_;
  DataPanel* data_;
  RunController* controller_;
  LiveCharts* live_;
  CompareView* compare_;
  QWebEngineView* browser_view_;
  QPlainTextEdit* browser_log_;
  QTabWidget* tabs_;
  QSplitter* run_splitter_;
  QDoubleSpinBox* runs_scale_;
  QSpinBox* batch_;
  QPushButton *run_button_, *stop_button_;
  QAction *start_action_ = nullptr, *stop_action_ = nullptr;
  RunPicker* run_picker_ = nullptr;
  QString compare_run_id_;
  QTimer compare_refresh_;  // one Compare rebuild per burst of records  // this window's run in the Compare tab: the last started, or a workspace's  // the Run menu's, in step with the buttons
  QVBoxLayout* progress_box_;
  std::map<QString, QProgressBar*> progress_;  // its text says phase, step and ETA
  std::vector<Measurement> records_;
  std::vector<std::tuple<QString, QString, QString>> failures_;
  QString results_path_;
  bool close_after_run_ = false;
  bool discard_changes_ = false;  // the user chose to close without saving
  std::unique_ptr<ResultsStore> store_;
  QString store_error_;
  SweepPanel* sweep_ = nullptr;
  HistoryPanel* history_ = nullptr;
  QString last_run_id_;                           // this session's last run or sweep
};

}  // namespace gapscope::ui

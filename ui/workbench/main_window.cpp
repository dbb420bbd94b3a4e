#include "ui/workbench/main_window.h"

#include "core/sweep/sweep_plan.h"
#include "ui/sweeps/sweep_grid_editor.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QUndoStack>
#include <QVBoxLayout>
#include <QWebEnginePage>
#include <QWebEngineView>

#include "core/base/json_text.h"
#include "core/measure/process_stats.h"
#include "core/measure/synthetic_data.h"
#include "core/nn/initial_weights.h"
#include "core/nn/model.h"
#include "core/ops/cpu/cpu_backend.h"
#include "core/run/run_session.h"
#include "core/store/results_store.h"
#include "core/train/targets.h"
#include "ui/browser/browser_environment.h"
#include "ui/browser/browser_session.h"
#include "ui/browser/harness_page.h"
#include "ui/builder/model_builder_widget.h"
#include "ui/builder/spec_document.h"
#include "ui/charts/compare_view.h"
#include "ui/charts/run_picker.h"
#include "ui/charts/live_charts.h"
#include "ui/data/data_panel.h"
#include "ui/history/history_panel.h"
#include "ui/history/report_export.h"
#include "ui/report/report_files.h"
#include "ui/runs/run_record.h"
#include "ui/sweeps/sweep_panel.h"
#include "ui/workbench/backends_panel.h"
#include "ui/workbench/recent_files.h"
#include "ui/runs/run_controller.h"
#include "ui/workbench/workspace.h"

namespace gapscope::ui {
namespace {

QString eta_text(double seconds) {
  if (seconds < 0) return QObject::tr("ETA …");
  if (seconds < 90) return QObject::tr("ETA %1 s").arg(std::ceil(seconds));
  return QObject::tr("ETA %1 min").arg(std::ceil(seconds / 60));
}

// What a progress event's phase is doing, in words: "training step 26 of 155".
QString phase_words(const std::string& phase) {
  if (phase == "load") return QObject::tr("load");
  if (phase == "warmup") return QObject::tr("warm-up");
  if (phase == "infer") return QObject::tr("inference");
  if (phase == "train") return QObject::tr("training step");
  if (phase == "file_size") return QObject::tr("file size and load per format");
  return QString::fromStdString(phase);
}

// A page in place of a tab that cannot work, saying why.
QWidget* error_page(const QString& text) {
  auto* label = new QLabel(text);
  label->setWordWrap(true);
  label->setAlignment(Qt::AlignCenter);
  label->setTextInteractionFlags(Qt::TextSelectableByMouse);
  label->setMargin(24);
  return label;
}

// The busy cursor for as long as it lives (an export can take seconds).
struct BusyCursor {
  BusyCursor() { QApplication::setOverrideCursor(Qt::WaitCursor); }
  ~BusyCursor() { QApplication::restoreOverrideCursor(); }
  BusyCursor(const BusyCursor&) = delete;
  BusyCursor& operator=(const BusyCursor&) = delete;
};

// Text data and a character-level model fit each other both ways: the
// paper-rnn preset is built for the loaded text's window and vocabulary, and
// the text's windows follow the length of a model input made for that
// vocabulary ([window, vocabulary]). An image folder is read at the model's
// input image ([height, width, 1 or 3]). Data never changes the model by itself.
void link_data_and_model(SpecDocument* document, ModelBuilderWidget* builder, DataPanel* data) {
  auto offer_text = [builder, data] {
    const auto split = data->split();
    const bool text = split && data->choice().isText() && split->train.one_hot_depth > 0;
    builder->setPresetText(text ? std::optional(SpecDocument::TextShape{data->choice().window,
                                                                        split->train.one_hot_depth})
                                : std::nullopt);
  };
  QObject::connect(data, &DataPanel::choiceChanged, builder, offer_text);
  offer_text();
  auto follow_model = [document, data] {
    const auto split = data->split();
    const std::optional<ModelSpec> spec = document->validSpec();
    if (!spec) return;
    const Shape& input = spec->input_shape;
    if (input.size() == 3) {
      const ImageShape image{input[0], input[1], input[2]};
      if (image.valid()) data->setImageShape(image);
    }
    if (!split || !data->choice().isText() || input.size() != 2) return;
    if (input[1] == split->train.one_hot_depth) data->setTextWindow(input[0]);
  };
  QObject::connect(document, &SpecDocument::changed, data, follow_model);
  follow_model();

  // Data and model checked against each other where they are chosen, not at
  // Run: a paper-rnn preset is rebuilt for new text (undoably); anything else
  // that does not fit says so in the Data tab.
  auto check_fit = [document, builder, data](bool data_changed) {
    const auto split = data->split();
    std::optional<ModelSpec> spec = document->validSpec();
    if (!split || !spec || split->train.count() == 0) {
      data->setModelFit({});
      return;
    }
    const Shape& have = split->train.sample_shape;
    const auto fits = [&] { return element_count(have) == element_count(document->validSpec()->input_shape); };
    if (!fits() && data_changed && data->choice().isText() && spec->name.rfind("paper-rnn-", 0) == 0)
      builder->applyPresetButton()->click();  // the bar shows this paper-rnn; the text shape is the new one
    spec = document->validSpec();
    data->setModelFit(!spec || fits() ? QString()
                                      : QObject::tr("The model takes %1 per sample, this data gives %2: pick a "
                                                    "preset for it in the Model tab, or change the data.")
                                            .arg(QString::fromStdString(shape_to_string(spec->input_shape)),
                                                 QString::fromStdString(shape_to_string(have))));
  };
  QObject::connect(data, &DataPanel::choiceChanged, document, [check_fit] { check_fit(true); });
  QObject::connect(document, &SpecDocument::changed, data, [check_fit] { check_fit(false); });
  check_fit(false);
}

}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      session_(new browser::BrowserSession(this)),
      document_(new SpecDocument(this)),
      builder_(new ModelBuilderWidget(document_)),
      backends_(new BackendsPanel(session_)),
      data_(new DataPanel),
      controller_(new RunController(session_, this)),
      live_(new LiveCharts),
      compare_(new CompareView),
      browser_view_(new QWebEngineView),
      browser_log_(new QPlainTextEdit),
      tabs_(new QTabWidget) {
  updateWindowTitle();
  // Unsaved changes: edits of the model since the workspace was opened or saved.
  connect(document_->undoStack(), &QUndoStack::cleanChanged, this, [this](bool clean) { setWindowModified(!clean); });

  // Model | Run (backends and progress beside the live charts) | Compare | Browser.
  run_splitter_ = new QSplitter;
  run_splitter_->addWidget(makeRunPanel());
  run_splitter_->addWidget(live_);
  run_splitter_->setStretchFactor(1, 1);
  run_splitter_->setSizes({430, 850});
  tabs_->addTab(builder_, tr("Model"));
  tabs_->addTab(data_, tr("Data"));
  tabs_->addTab(run_splitter_, tr("Run"));
  // Compare: runs picked from the history beside the view that overlays them.
  run_picker_ = new RunPicker;
  auto* compare_tab = new QSplitter;
  compare_tab->addWidget(run_picker_);
  compare_tab->addWidget(compare_);
  compare_tab->setStretchFactor(1, 1);
  compare_tab->setSizes({260, 1020});
  tabs_->addTab(compare_tab, tr("Compare"));
  connect(run_picker_, &RunPicker::checkedChanged, this, &MainWindow::showComparedRuns);
  compare_refresh_.setSingleShot(true);
  compare_refresh_.setInterval(250);
  connect(&compare_refresh_, &QTimer::timeout, this, &MainWindow::showComparedRuns);
  auto* browser_tab = new QSplitter(Qt::Vertical);
  browser_tab->addWidget(browser_view_);
  browser_log_->setReadOnly(true);
  browser_log_->setMaximumBlockCount(5000);
  browser_tab->addWidget(browser_log_);
  tabs_->addTab(browser_tab, tr("Browser"));
  openStore();
  refreshRunPicker();
  addHistoryTabs();
  setCentralWidget(tabs_);

  // The browser pane shows the page that runs the browser backends.
  connect(session_, &browser::BrowserSession::pageChanged, this, [this](browser::HarnessPage* page) {
    if (page) browser_view_->setPage(page);
  });
  connect(session_, &browser::BrowserSession::logLine, browser_log_, &QPlainTextEdit::appendPlainText);

  connect(controller_, &RunController::backendStarted, this, &MainWindow::onBackendStarted);
  connect(controller_, &RunController::progress, this, &MainWindow::onProgress);
  connect(controller_, &RunController::measurement, this, &MainWindow::onMeasurement);
  connect(controller_, &RunController::backendFinished, this, &MainWindow::onBackendFinished);
  connect(controller_, &RunController::finished, this, &MainWindow::onRunFinished);
  connect(backends_, &BackendsPanel::probed, this, &MainWindow::updateRunButtons);
  connect(document_, &SpecDocument::changed, this, &MainWindow::updateRunButtons);
  link_data_and_model(document_, builder_, data_);

  makeMenus();
  makeStatusBar();
  QSettings settings;
  restoreGeometry(settings.value("window/geometry").toByteArray());
  restoreState(settings.value("window/state").toByteArray());
  tabs_->setCurrentIndex(settings.value("window/tab", 0).toInt());
  run_splitter_->restoreState(settings.value("window/run_splitter").toByteArray());
  if (!settings.contains("window/geometry")) resize(1280, 800);
  updateRunButtons();
  backends_->probe();
}

MainWindow::~MainWindow() {
  controller_->stop();
  // The panels use the store, which goes with the members: they go first.
  delete sweep_;
  delete history_;
  // The session goes first among the children; nothing may hear its last signals.
  disconnect(session_, nullptr, nullptr, nullptr);
}

QWidget* MainWindow::makeRunPanel() {
  auto* box = new QGroupBox(tr("Backends (run one after another)"));
  auto* layout = new QVBoxLayout(box);
  layout->addWidget(backends_);
  auto* settings = new QFormLayout;
  runs_scale_ = new QDoubleSpinBox;
  runs_scale_->setRange(0.01, 100);  // as `gapscope run --runs-scale`: typing 20 gives 20
  runs_scale_->setSingleStep(0.1);
  runs_scale_->setValue(1.0);
  runs_scale_->setToolTip(tr("Multiplies every phase's run count (1 = the paper's protocol: "
                             "load 15, warmup 10, infer 200, train 30 timed runs; at least 3 each); 0.01 to 100"));
  batch_ = new QSpinBox;
  batch_->setRange(1, 4096);
  batch_->setValue(64);
  auto* runs_scale_label = new QLabel(tr("Runs scale"));
  runs_scale_label->setToolTip(runs_scale_->toolTip());
  runs_scale_label->setBuddy(runs_scale_);
  settings->addRow(runs_scale_label, runs_scale_);
  settings->addRow(tr("Batch size"), batch_);
  layout->addLayout(settings);
  auto* buttons = new QHBoxLayout;
  run_button_ = new QPushButton(tr("Run (F5)"));
  stop_button_ = new QPushButton(tr("Stop (Esc)"));
  connect(run_button_, &QPushButton::clicked, this, &MainWindow::startRun);
  connect(stop_button_, &QPushButton::clicked, this, &MainWindow::stopRun);
  buttons->addWidget(run_button_);
  buttons->addWidget(stop_button_);
  buttons->addStretch(1);
  layout->addLayout(buttons);
  progress_box_ = new QVBoxLayout;
  layout->addLayout(progress_box_);
  layout->addStretch(1);
  return box;
}

void MainWindow::makeMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  const QString filter = tr("gapscope workspace (*.gapscope.json);;All files (*)");
  file->addAction(tr("&Open workspace…"), QKeySequence::Open, this, [this, filter] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open workspace"), QString(), filter);
    if (!path.isEmpty()) openWorkspace(path);
  });
  QMenu* recent = file->addMenu(tr("Open &recent"));
  connect(recent, &QMenu::aboutToShow, this, [this, recent] { fillRecentMenu(recent); });
  file->addAction(tr("&Save workspace"), QKeySequence::Save, this, &MainWindow::saveWorkspaceInteractively);
  file->addAction(tr("Save workspace &as…"), QKeySequence::SaveAs, this, [this] { saveWorkspaceAs(); });
  file->addSeparator();
  file->addAction(tr("&Export report…"), QKeySequence(Qt::CTRL | Qt::Key_E), this,
                  &MainWindow::exportReportFromDialog);
  file->addSeparator();
  file->addAction(builder_->openAction());
  file->addAction(builder_->saveAction());
  file->addAction(builder_->importAction());
  file->addSeparator();
  file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
  QMenu* edit = menuBar()->addMenu(tr("&Edit"));
  edit->addAction(builder_->undoAction());
  edit->addAction(builder_->redoAction());
  QMenu* run = menuBar()->addMenu(tr("&Run"));
  // The menu's actions follow the buttons (updateRunButtons), so F5 on a
  // disabled Run says nothing is startable instead of doing nothing silently.
  start_action_ = run->addAction(tr("&Start"), QKeySequence(Qt::Key_F5), this, &MainWindow::startRun);
  stop_action_ = run->addAction(tr("S&top"), QKeySequence(Qt::Key_Escape), this, &MainWindow::stopRun);
}

void MainWindow::fillRecentMenu(QMenu* menu) {
  menu->clear();
  const QStringList paths = RecentFiles::list();
  if (paths.isEmpty()) menu->addAction(tr("(none)"))->setEnabled(false);
  for (const QString& path : paths) menu->addAction(path, this, [this, path] { openWorkspace(path); });
}

bool MainWindow::saveWorkspaceAs() {
  QString path = QFileDialog::getSaveFileName(this, tr("Save workspace"), workspace_path_,
                                              tr("gapscope workspace (*.gapscope.json);;All files (*)"));
  if (path.isEmpty()) return false;
  if (!path.endsWith(".json")) path += ".gapscope.json";
  return saveWorkspace(path);
}

bool MainWindow::saveWorkspaceInteractively() {
  return workspace_path_.isEmpty() ? saveWorkspaceAs() : saveWorkspace(workspace_path_);
}

// "my.gapscope.json[*] — gapscope": the workspace, and (via [*]) whether it has unsaved changes.
void MainWindow::updateWindowTitle() {
  setWindowTitle((workspace_path_.isEmpty() ? tr("untitled") : QFileInfo(workspace_path_).fileName()) +
                 QStringLiteral("[*] — gapscope"));
}

bool MainWindow::saveWorkspace(const QString& path) {
  Workspace workspace;
  workspace.spec = document_->specJson();
  workspace.data = data_->choice().toJson();
  workspace.backends = backends_->checkedBackends();
  workspace.runs_scale = runs_scale_->value();
  workspace.batch_size = batch_->value();
  workspace.view = {{"compare_log", compare_->logScale()}, {"live_log", live_->logScale()}, {"live", live_->snapshot()}};
  if (sweep_ && sweep_->editor()->grid()) workspace.view["sweep_grid"] = to_json(*sweep_->editor()->grid());
  if (!results_path_.isEmpty() && QFile::exists(results_path_)) {
    QFile file(results_path_);  // the run record, every measurement and failure, as they landed
    if (file.open(QIODevice::ReadOnly))
      for (const QByteArray& line : file.readAll().split('\n'))
        if (auto record = try_parse_json_text(line.toStdString())) workspace.records.push_back(std::move(*record));
  }
  try {
    save_workspace(path, workspace);
  } catch (const std::exception& e) {
    QMessageBox::critical(this, tr("Cannot save the workspace"), QString::fromStdString(e.what()));
    return false;
  }
  workspace_path_ = path;
  document_->undoStack()->setClean();
  updateWindowTitle();
  RecentFiles::add(path);
  statusBar()->showMessage(tr("Saved %1").arg(path), 5000);
  return true;
}

bool MainWindow::openWorkspace(const QString& path) {
  if (controller_->running()) return false;
  Workspace workspace;
  try {
    workspace = load_workspace(path);
    document_->load(workspace.spec);
    data_->setChoice(DataChoice::fromJson(workspace.data));  // a failure shows in the data panel
  } catch (const std::exception& e) {
    QMessageBox::critical(this, tr("Cannot open the workspace"), QString::fromStdString(e.what()));
    return false;
  }
  backends_->setChecked(workspace.backends);
  runs_scale_->setValue(workspace.runs_scale);
  batch_->setValue(static_cast<int>(workspace.batch_size));
  records_.clear();
  failures_.clear();
  for (const nlohmann::json& record : workspace.records) {
    const std::string kind = record.value("kind", "");
    if (kind == "measurement") records_.push_back(measurement_from_json(record));
    if (kind == "failure")
      failures_.emplace_back(QString::fromStdString(record.value("backend", "")),
                             QString::fromStdString(record.value("reason", "")),
                             QString::fromStdString(record.value("error", "")));
  }
  // The workspace's run is this window's run in the Compare tab, ticked.
  compare_run_id_ = tr("workspace");
  for (const nlohmann::json& record : workspace.records)
    if (record.value("kind", "") == "run" && record.contains("run_id") && record["run_id"].is_string())
      compare_run_id_ = QString::fromStdString(record["run_id"].get<std::string>());
  refreshRunPicker();
  run_picker_->setChecked(compare_run_id_, true);
  showComparedRuns();
  // The view as it was saved: scales, the live curves, the sweep grid.
  const nlohmann::json& view = workspace.view;
  live_->clear();
  live_->restore(view.value("live", nlohmann::json::object()));
  if (view.contains("live_log") && view["live_log"].is_boolean()) live_->setLogScale(view["live_log"].get<bool>());
  if (view.contains("compare_log") && view["compare_log"].is_boolean())
    compare_->setLogScale(view["compare_log"].get<bool>());
  if (sweep_ && view.contains("sweep_grid")) {
    try {
      sweep_->editor()->setGrid(sweep_grid_from_json(view["sweep_grid"]));
    } catch (const std::exception& e) {  // an edited file: the rest of it still opens
      statusBar()->showMessage(tr("The workspace's sweep grid was not restored: %1").arg(e.what()), 8000);
    }
  }
  results_path_.clear();
  workspace_path_ = path;
  updateWindowTitle();
  RecentFiles::add(path);
  statusBar()->showMessage(tr("Opened %1").arg(path), 5000);
  updateRunButtons();
  return true;
}

void MainWindow::makeStatusBar() {
  statusBar()->addPermanentWidget(new QLabel(QString::fromStdString(cpu_model_name())));
  statusBar()->addPermanentWidget(new QLabel(tr("QtWebEngine %1").arg(browser::webengine_version_text())));
}

void MainWindow::updateRunButtons() {
  const bool running = controller_->running();
  const bool sweeping = sweep_ && sweep_->running();  // one run at a time: they share the machine and the page
  run_button_->setEnabled(!running && !sweeping && !backends_->probing() && document_->isValid());
  run_button_->setToolTip(!document_->isValid() ? tr("The model is invalid: %1").arg(document_->errorText())
                          : backends_->probing() ? tr("Finding out what each backend is…")
                          : sweeping             ? tr("A sweep is running (Sweep tab)")
                                                 : QString());
  stop_button_->setEnabled(running);
  if (start_action_) {
    start_action_->setEnabled(run_button_->isEnabled());
    start_action_->setToolTip(run_button_->toolTip());
    start_action_->setStatusTip(run_button_->toolTip());
    stop_action_->setEnabled(running);
  }
  backends_->setEnabled(!running);
  if (sweep_) sweep_->setOtherRunActive(running);
}

void MainWindow::openStore() {
  const QString from_environment = qEnvironmentVariable("GAPSCOPE_DB");
  const std::filesystem::path path =
      from_environment.isEmpty() ? default_results_path() : std::filesystem::path(from_environment.toStdString());
  try {
    store_ = std::make_unique<ResultsStore>(ResultsStore::open(path));
  } catch (const std::exception& e) {
    store_error_ = tr("The run history %1 cannot be opened: %2\n\nRuns still write their results files; sweeps "
                      "and the history need the database (set GAPSCOPE_DB to use another file).")
                       .arg(QString::fromStdString(path.string()), QString::fromStdString(e.what()));
    // Not modal and after the window shows: the rest of the workbench works without it.
    QTimer::singleShot(0, this, [this] {
      auto* box = new QMessageBox(QMessageBox::Warning, tr("Run history unavailable"), store_error_,
                                  QMessageBox::Ok, this);
      box->setAttribute(Qt::WA_DeleteOnClose);
      box->open();
    });
  }
}

void MainWindow::addHistoryTabs() {
  if (!store_) {
    tabs_->addTab(error_page(store_error_), tr("Sweep"));
    tabs_->addTab(error_page(store_error_), tr("History"));
    return;
  }
  sweep_ = new SweepPanel(*store_, session_);
  history_ = new HistoryPanel(*store_);
  tabs_->addTab(sweep_, tr("Sweep"));
  tabs_->addTab(history_, tr("History"));
  connect(sweep_, &SweepPanel::sweepStarted, this, &MainWindow::onSweepStarted);
  connect(sweep_, &SweepPanel::sweepChanged, history_, &HistoryPanel::refresh);
  connect(sweep_, &SweepPanel::sweepFinished, this, &MainWindow::onSweepFinished);
  connect(history_, &HistoryPanel::selectionChanged, this, &MainWindow::updateResumeCandidate);
}

void MainWindow::onSweepStarted(const QString& run_id) {
  last_run_id_ = run_id;
  history_->setActiveRunId(run_id);
  history_->refresh();
  updateRunButtons();
  statusBar()->showMessage(tr("Sweep %1 running; every item goes to %2")
                               .arg(run_id, QString::fromStdString(store_->path().string())));
}

void MainWindow::onSweepFinished(const QString& run_id, bool stopped) {
  history_->setActiveRunId(QString());
  history_->refresh();  // also re-decides whether Resume applies to the selection
  // The sweep just stopped is selected, so Resume goes on with it at once.
  if (stopped) history_->selectRuns({run_id});
  updateRunButtons();
  statusBar()->showMessage(stopped ? tr("Sweep %1 stopped; Resume goes on from there").arg(run_id)
                                   : tr("Sweep %1 done").arg(run_id));
  if (close_after_run_) close();
}

void MainWindow::updateResumeCandidate() {
  const auto run = history_->selectedRun();
  const bool unfinished = run && run->kind == "sweep" && run->done + run->failed < run->configurations &&
                          !(sweep_->running() && QString::fromStdString(run->id) == sweep_->runId());
  sweep_->setResumeCandidate(unfinished ? QString::fromStdString(run->id) : QString());
}

QString MainWindow::reportRunId() const {
  if (history_) {
    const QStringList selected = history_->selectedRunIds();
    if (!selected.isEmpty()) return selected.front();
  }
  return last_run_id_;
}

void MainWindow::exportReportFromDialog() {
  if (!store_) {
    QMessageBox::warning(this, tr("Cannot export a report"), store_error_);
    return;
  }
  const QString run_id = reportRunId();
  if (run_id.isEmpty()) {
    QMessageBox::information(this, tr("Export report"),
                             tr("Select a run in the History tab, or run something first."));
    return;
  }
  QSettings settings;
  const QString dir = settings.value("export/dir", QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
                          .toString();
  QString filter = report_formats().front().filter;
  const QString path = QFileDialog::getSaveFileName(this, tr("Export the report of %1").arg(run_id),
                                                    QDir(dir).filePath(run_id + ".html"), report_format_filters(),
                                                    &filter);
  if (path.isEmpty()) return;
  settings.setValue("export/dir", QFileInfo(path).absolutePath());
  exportReport(run_id, path, filter);
}

bool MainWindow::exportReport(const QString& run_id, const QString& path, const QString& filter) {
  const ReportFormat& format = report_format_for_filter(filter);
  const QString file = with_report_suffix(path, format);
  try {
    if (!store_) throw StoreError(store_error_.toStdString());
    const BusyCursor busy;
    const StoredRun run = store_->load_run(run_id.toStdString());
    write_report_files(run, default_report_options(run), report_targets(file, format));
  } catch (const std::exception& e) {
    QMessageBox::critical(this, tr("Cannot export the report"),
                          tr("Cannot write %1:\n%2").arg(file, QString::fromStdString(e.what())));
    return false;
  }
  statusBar()->showMessage(tr("Wrote %1").arg(file), 8000);
  return true;
}

void MainWindow::startRun() {
  if (!run_button_->isEnabled()) return;
  const auto spec = document_->validSpec();
  RunPlan plan;
  plan.backends = backends_->checkedBackends();
  if (!spec || plan.backends.empty()) {
    statusBar()->showMessage(spec ? tr("Pick at least one backend") : document_->errorText(), 5000);
    return;
  }
  plan.job.spec = *spec;
  plan.job.seed = 1;
  plan.job.weights = document_->importedWeights() ? *document_->importedWeights()
                                                  : initial_weights(*spec, plan.job.seed);
  plan.job.run_id = new_run_id();
  plan.job.protocol.batch_size = batch_->value();
  plan.job.protocol.phases = {"load", "warmup", "infer", "train", "file_size"};
  plan.job.protocol = plan.job.protocol.scaled(runs_scale_->value());
  // Synthetic data: no rows; every runner draws the same seeded ones for the model.
  const bool synthetic = data_->choice().isSynthetic();
  QString data_error;
  try {
    if (!synthetic) plan.job.data = runRows(*spec, plan.job.protocol.batch_size, &data_error);
  } catch (const std::exception& e) {
    data_error = QString::fromStdString(e.what());
  }
  if (!plan.job.data && !synthetic) {
    QMessageBox::warning(this, tr("Cannot run"), data_error);
    return;
  }
  plan.job.config = {{"model", spec->name}, {"batch", plan.job.protocol.batch_size}, {"source", "workbench"},
                     {"data", data_->choice().toJson()}};
  if (plan.job.data) plan.job.config["rows"] = plan.job.data->rows;
  const QString run_id = QString::fromStdString(plan.job.run_id);

  // Every line lands on disk as it arrives: a crash or a closed window keeps it.
  const QString dir = QString::fromStdString((data_directory() / "results").string());
  QDir().mkpath(dir);
  results_path_ = dir + "/" + run_id + ".jsonl";
  // Recorded as `gapscope run` records a run; a history that fails stops
  // being written for this run (the .jsonl file still has it) and says so.
  RunRecording recording{.history = store_.get(),
                         .lines = [this](const nlohmann::json& line) { appendResultLine(line); },
                         .history_lost = [this](const std::string& what, const std::string& error) {
                           statusBar()->showMessage(
                               tr("Run history: cannot %1: %2; this run is no longer recorded there (%3 has it)")
                                   .arg(QString::fromStdString(what), QString::fromStdString(error), results_path_));
                         }};
  auto run = std::make_unique<RunSession>(RunSession::begin(
      recording, qt_run_record(plan.job.run_id, plan.job.seed, "workbench"), "workbench", spec->name));
  last_run_id_ = run_id;

  records_.clear();
  failures_.clear();
  live_->clear();
  compare_run_id_ = run_id;  // ticked in the Compare tab; its records show as they arrive
  refreshRunPicker();
  run_picker_->setChecked(run_id, true);
  for (auto& [name, bar] : progress_) delete bar;
  progress_.clear();
  for (const std::string& backend : plan.backends) {
    const QString name = QString::fromStdString(backend);
    auto* bar = new QProgressBar;
    bar->setRange(0, 1000);
    bar->setFormat(name + ": " + tr("waiting"));
    progress_box_->addWidget(bar);
    progress_[name] = bar;
  }
  controller_->start(plan, std::move(run));  // plans every backend up front: a stopped run shows the rest pending
  if (history_) {
    history_->setActiveRunId(run_id);
    history_->refresh();
  }
  tabs_->setCurrentIndex(2);  // the Run tab: progress and live charts
  updateRunButtons();
  statusBar()->showMessage(tr("Running %1 on %2 backends; records go to %3").arg(QString::fromStdString(spec->name))
                               .arg(plan.backends.size()).arg(results_path_));
}

void MainWindow::stopRun() { controller_->stop(); }

std::shared_ptr<const DataRows> MainWindow::runRows(const ModelSpec& spec, int64_t batch, QString* error) const {
  const auto split = data_->split();
  if (!split) {
    *error = tr("No data loaded: %1").arg(data_->errorText());
    return nullptr;
  }
  const Dataset& train = split->train;
  CpuBackend cpu(1);
  Model model(spec, cpu, 1);
  const int64_t sample = element_count(train.sample_shape);
  if (sample != model.input_size()) {
    *error = tr("The data's samples have %1 values, the model's input takes %2: pick matching data (or "
                "synthetic inputs, which fit any model) or change the input shape").arg(sample).arg(model.input_size());
    return nullptr;
  }
  // Enough distinct batches for a loss curve, little enough to send to the page quickly.
  const int64_t rows = std::min<int64_t>(train.count(), batch * 32);
  if (rows < batch) {
    *error = tr("The data has %1 training rows, fewer than one batch of %2").arg(train.count()).arg(batch);
    return nullptr;
  }
  auto data = std::make_shared<DataRows>();
  data->rows = rows;
  data->x.resize(static_cast<size_t>(rows * sample));
  for (int64_t i = 0; i < rows; ++i) train.copy_sample(i, data->x.data() + i * sample);
  data->target.resize(static_cast<size_t>(rows * model.target_size()));
  encode_targets(spec.loss, std::span<const int32_t>(train.labels.data(), static_cast<size_t>(rows)),
                 model.target_size(), data->target);
  return data;
}

void MainWindow::onBackendStarted(const QString& backend, int index, int count) {
  if (auto it = progress_.find(backend); it != progress_.end())
    it->second->setFormat(tr("%1: starting (%2 of %3)").arg(backend).arg(index + 1).arg(count));
}

void MainWindow::onProgress(const QString& backend, const ProgressEvent& event, double fraction, double eta) {
  if (auto it = progress_.find(backend); it != progress_.end()) {
    it->second->setValue(static_cast<int>(fraction * 1000));
    it->second->setFormat(tr("%1: %p% of its run · %2 %3 of %4 · %5")
                              .arg(backend, phase_words(event.phase))
                              .arg(event.step)
                              .arg(event.steps)
                              .arg(eta_text(eta)));
  }
  if (event.phase == "train") live_->addStep(backend, static_cast<int>(event.step), event.loss, event.accuracy, event.ms);
}

void MainWindow::onMeasurement(const QString& backend, const Measurement& record) {
  records_.push_back(record);
  // Coalesced: a backend's records arrive together, and rebuilding the
  // Compare charts for each would take the UI thread from the run's progress.
  if (!compare_refresh_.isActive()) compare_refresh_.start();
}

// The history's runs in the picker, with this window's run (which may be a
// workspace's, not in the history) first.
void MainWindow::refreshRunPicker() {
  std::vector<RunPicker::Offer> offers;
  if (!compare_run_id_.isEmpty()) offers.push_back({compare_run_id_, tr("%1 (this window)").arg(compare_run_id_)});
  if (store_) {
    try {
      int shown = 0;
      for (const RunSummary& run : store_->list_runs()) {
        const QString id = QString::fromStdString(run.id);
        if (id == compare_run_id_ || run.kind == "sweep") continue;  // a sweep's grid is the Sweep tab's to show
        if (++shown > 30) break;
        offers.push_back({id, QStringLiteral("%1 %2").arg(id, QString::fromStdString(run.label))});
      }
    } catch (const std::exception&) {  // a history that cannot be read leaves only this window's run
    }
  }
  run_picker_->setRuns(offers);
}

// Every ticked run overlaid: this window's from its records as they arrive,
// the others as the history holds them.
void MainWindow::showComparedRuns() {
  std::vector<CompareView::RunResults> runs;
  for (const QString& id : run_picker_->checkedRunIds()) {
    CompareView::RunResults run{id, {}, {}};
    if (id == compare_run_id_) {
      run.records = records_;
      for (const auto& [backend, reason, message] : failures_) run.failures.push_back({backend, reason, message});
    } else if (store_) {
      try {
        const StoredRun stored = store_->load_run(id.toStdString());
        for (const StoredConfiguration& c : stored.configurations) {
          run.records.insert(run.records.end(), c.measurements.begin(), c.measurements.end());
          if (c.status == ConfigurationStatus::failed)
            run.failures.push_back({QString::fromStdString(c.plan.backend),
                                    QString::fromStdString(c.failure_reason.value_or("")),
                                    QString::fromStdString(c.failure_message.value_or(""))});
        }
      } catch (const std::exception& e) {
        statusBar()->showMessage(tr("Cannot load run %1: %2").arg(id, e.what()), 8000);
        continue;
      }
    }
    runs.push_back(std::move(run));
  }
  compare_->setRuns(runs);
}

void MainWindow::onBackendFinished(const QString& backend, bool ok, const QString& reason, const QString& message) {
  if (auto it = progress_.find(backend); it != progress_.end()) {
    if (ok) it->second->setValue(1000);
    it->second->setFormat(ok ? tr("%1: done").arg(backend) : tr("%1: %2").arg(backend, reason));
    it->second->setToolTip(message);
  }
  if (!ok) {
    failures_.emplace_back(backend, reason, message);
    if (!compare_refresh_.isActive()) compare_refresh_.start();
  }
}

void MainWindow::onRunFinished(bool stopped) {
  if (history_) {
    history_->setActiveRunId(QString());
    history_->refresh();
  }
  refreshRunPicker();  // keeps the ticks
  compare_refresh_.stop();
  showComparedRuns();  // every record in, at once
  updateRunButtons();
  statusBar()->showMessage(stopped ? tr("Stopped; records so far are in %1").arg(results_path_)
                                   : tr("Done; records are in %1").arg(results_path_));
  if (close_after_run_) close();
}

void MainWindow::appendResultLine(const nlohmann::json& line) {
  QFile file(results_path_);
  if (!file.open(QIODevice::Append | QIODevice::Text)) {
    statusBar()->showMessage(tr("Cannot write %1: %2").arg(results_path_, file.errorString()));
    return;
  }
  file.write(QByteArray::fromStdString(line.dump() + "\n"));
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (isWindowModified() && !discard_changes_) {
    event->ignore();
    askToSaveThenClose();
    return;
  }
  if (controller_->running() || (sweep_ && sweep_->running())) {
    // Stop, let the backend or sweep item in flight unwind, then close
    // (finished results are on disk; a stopped sweep can be resumed).
    close_after_run_ = true;
    controller_->stop();
    if (sweep_) sweep_->stop();
    event->ignore();
    return;
  }
  QSettings settings;
  settings.setValue("window/geometry", saveGeometry());
  settings.setValue("window/state", saveState());
  settings.setValue("window/tab", tabs_->currentIndex());
  settings.setValue("window/run_splitter", run_splitter_->saveState());
  QMainWindow::closeEvent(event);
}

// Save, Discard or Cancel, asked without blocking the event loop (a run in
// flight goes on meanwhile); Save that is cancelled or fails keeps the window.
void MainWindow::askToSaveThenClose() {
  if (findChild<QMessageBox*>("unsaved-changes")) return;
  auto* box = new QMessageBox(QMessageBox::Warning, tr("Unsaved changes"),
                              tr("The model in %1 has changes that are not saved.")
                                  .arg(workspace_path_.isEmpty() ? tr("this window") : workspace_path_),
                              QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
  box->setObjectName("unsaved-changes");
  box->setInformativeText(tr("Save them in a workspace before closing?"));
  box->setWindowModality(Qt::WindowModal);
  box->setAttribute(Qt::WA_DeleteOnClose);
  connect(box, &QMessageBox::finished, this, [this, box] {
    const auto choice = box->standardButton(box->clickedButton());
    if (choice == QMessageBox::Save && !saveWorkspaceInteractively()) return;
    if (choice == QMessageBox::Discard) discard_changes_ = true;
    if (choice == QMessageBox::Save || choice == QMessageBox::Discard) QTimer::singleShot(0, this, &QWidget::close);
  });
  box->open();
}

}  // namespace gapscope::ui

// Runs one model on the chosen backends one after another (never two at
// once), for the workbench: native backends in a gapscope-native child, the
// browser backends in the shared BrowserSession. Each backend is an item of
// the run's RunSession, which records it as `gapscope run` does. It reports
// progress with a fraction and an ETA per backend, every record as it arrives
// and each backend's end; Stop kills what is in flight. Records are stored as
// they come, so a window closed mid-run keeps every backend that finished.
//
// Runners are synchronous and wait in a local event loop, so the UI keeps
// painting and reacting while a backend runs; between backends the stack
// unwinds (the next backend starts from a queued call).
#pragma once
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include "core/measure/runner.h"
#include "core/run/run_session.h"
#include "ui/runs/record_metatypes.h"

namespace gapscope::browser {
class BrowserSession;
}

namespace gapscope::ui {

struct RunPlan {
  Job job;
  std::vector<std::string> backends;
  int native_threads = 0;
  std::chrono::seconds browser_timeout{600};
};

class RunController : public QObject {
  Q_OBJECT
 public:
  // The session is created on first use of a browser backend when null.
  explicit RunController(browser::BrowserSession* session = nullptr, QObject* parent = nullptr);
  ~RunController() override;
  bool running() const { return running_; }
  browser::BrowserSession* session();

  // Runs plan's backends as the items of `run`, planning them there first.
  // The session should go on without its history when that fails
  // (RunRecording::history_lost): nothing here catches a history error.
  void start(const RunPlan& plan, std::unique_ptr<RunSession> run);

 public Q_SLOTS:
  void stop();

 Q_SIGNALS:
  void backendStarted(const QString& backend, int index, int count);
  // fraction of this backend's runs done (0..1) and the seconds it still needs
  // at the pace so far (-1 while unknown).
  void progress(const QString& backend, const gapscope::ProgressEvent& event, double fraction, double eta_seconds);
  void measurement(const QString& backend, const gapscope::Measurement& record);
  void backendFinished(const QString& backend, bool ok, const QString& reason, const QString& message);
  void finished(bool stopped);

 private:
  void runNext();
  void runOne(size_t index);
  RunPlan plan_;
  std::unique_ptr<RunSession> run_;
  size_t next_ = 0;
  bool running_ = false, stop_requested_ = false;
  browser::BrowserSession* session_;
  std::unique_ptr<browser::BrowserSession> owned_session_;
};

// Runs a phase makes in all under a protocol (progress fractions add these up).
int64_t total_runs(const Protocol& protocol);

}  // namespace gapscope::ui

// Runs a sweep's plan item by item (never two at once) into the run history,
// through a RunSession as every run: every record is stored the moment it
// arrives and each item is marked done or failed as it ends, so a sweep
// killed at any point loses at most the item in flight, and resume() runs
// only the items not done yet (an interrupted item starts clean). Progress
// carries an ETA from the pace so far; stop() cancels the item in flight.
// Used by `gapscope sweep` and the Sweep tab.
//
// Runners are synchronous and wait in a local event loop; between items the
// stack unwinds (the next item starts from a queued call), as RunController.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include "core/run/run_session.h"
#include "core/store/results_store.h"
#include "core/sweep/sweep_plan.h"
#include "ui/runs/record_metatypes.h"

namespace gapscope::browser {
class BrowserSession;
}

namespace gapscope::ui {

struct SweepProgress {
  int64_t done = 0;       // items finished (done or failed), earlier attempts included
  int64_t total = 0;      // items in the plan
  int64_t failed = 0;
  double item_fraction = 0;  // of the item in flight
  double elapsed_seconds = 0;  // this session
  double eta_seconds = -1;     // -1 while unknown
  std::string current;         // "paper-dnn 2x128 on tfjs-wasm (round 1/2)"
};

struct SweepOptions {
  int native_threads = 0;
  std::chrono::seconds browser_timeout{600};
};

class SweepController : public QObject {
  Q_OBJECT
 public:
  SweepController(ResultsStore& store, SweepOptions options = {}, browser::BrowserSession* session = nullptr,
                  QObject* parent = nullptr);
  ~SweepController() override;
  bool running() const { return running_; }
  const std::string& runId() const { return run_id_; }

  // Records a new run (kind "sweep", metadata = run_record + the grid under
  // "sweep") and its plan, then starts it. Throws std::invalid_argument for a
  // bad grid, StoreError when the store cannot take it.
  std::string start(const SweepGrid& grid, nlohmann::json run_record, const std::string& label = "");
  // Continues a stored sweep from its own grid. Throws StoreError if there is
  // no such run or it is not a sweep.
  void resume(const std::string& run_id);
  void stop();

  // The grid a stored sweep ran with.
  static SweepGrid storedGrid(const ResultsStore& store, const std::string& run_id);

 Q_SIGNALS:
  void itemStarted(const gapscope::SweepItem& item);
  void progress(const gapscope::ui::SweepProgress& progress);
  void measurement(const gapscope::SweepItem& item, const gapscope::Measurement& record);
  void itemFinished(const gapscope::SweepItem& item, bool ok, const QString& reason, const QString& message);
  void finished(bool stopped);

 private:
  void begin(RunSession run, const SweepGrid& grid);
  void runNext();
  void runItem(size_t index);
  void emitProgress(double item_fraction);
  browser::BrowserSession& session();

  ResultsStore& store_;
  SweepOptions options_;
  browser::BrowserSession* session_;
  std::unique_ptr<browser::BrowserSession> owned_session_;
  std::string run_id_;
  SweepGrid grid_;
  std::unique_ptr<RunSession> run_;  // items_[i] is its item i
  std::vector<SweepItem> items_;
  std::vector<bool> finished_items_;
  size_t next_ = 0;
  int64_t done_ = 0, failed_ = 0, done_this_session_ = 0;
  bool running_ = false, stop_requested_ = false;
  QElapsedTimer clock_;
  std::string current_;
};

std::string describe_item(const SweepGrid& grid, const SweepItem& item);

}  // namespace gapscope::ui

Q_DECLARE_METATYPE(gapscope::ui::SweepProgress)

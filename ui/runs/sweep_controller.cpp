#include "ui/runs/sweep_controller.h"

#include <QTimer>

#include "core/nn/initial_weights.h"
#include "core/spec/presets.h"
#include "ui/browser/browser_session.h"
#include "ui/runs/run_controller.h"
#include "ui/runs/runner_factory.h"

namespace gapscope::ui {
namespace {

// Failures that a second attempt cannot change: a resume does not repeat them.
bool is_final_failure(const std::optional<std::string>& reason) {
  return reason && (*reason == "unsupported" || *reason == "unavailable");
}

}  // namespace

std::string describe_item(const SweepGrid& grid, const SweepItem& item) {
  std::string text = grid.model + " " + std::to_string(item.depth) + "x" + std::to_string(item.width) + " on " +
                     item.backend;
  if (grid.rounds > 1) text += " (round " + std::to_string(item.round + 1) + "/" + std::to_string(grid.rounds) + ")";
  return text;
}

SweepController::SweepController(ResultsStore& store, SweepOptions options, browser::BrowserSession* session,
                                 QObject* parent)
    : QObject(parent), store_(store), options_(options), session_(session) {
  qRegisterMetaType<gapscope::SweepItem>();
  qRegisterMetaType<gapscope::ui::SweepProgress>();
}

SweepController::~SweepController() { stop(); }

browser::BrowserSession& SweepController::session() {
  if (!session_) {
    owned_session_ = std::make_unique<browser::BrowserSession>();
    session_ = owned_session_.get();
  }
  return *session_;
}

SweepGrid SweepController::storedGrid(const ResultsStore& store, const std::string& run_id) {
  const StoredRun run = store.load_run(run_id);
  auto sweep = run.summary.metadata.find("sweep");
  if (run.summary.kind != "sweep" || sweep == run.summary.metadata.end())
    throw StoreError("run " + run_id + " in " + store.path().string() + " is a '" + run.summary.kind +
                     "', not a sweep: there is nothing to resume");
  try {
    return sweep_grid_from_json(*sweep);
  } catch (const std::invalid_argument& e) {
    throw StoreError("run " + run_id + " in " + store.path().string() + ": its stored grid is unusable: " + e.what());
  }
}

std::string SweepController::start(const SweepGrid& grid, nlohmann::json run_record, const std::string& label) {
  if (running_) throw std::logic_error("a sweep is already running");
  plan_sweep(grid);  // validates before anything is stored
  run_record["sweep"] = to_json(grid);
  begin(RunSession::begin({.history = &store_}, run_record, "sweep", label.empty() ? grid.name : label), grid);
  return run_id_;
}

void SweepController::resume(const std::string& run_id) {
  if (running_) throw std::logic_error("a sweep is already running");
  const SweepGrid grid = storedGrid(store_, run_id);
  begin(RunSession::resume({.history = &store_}, run_id), grid);
}

void SweepController::begin(RunSession run, const SweepGrid& grid) {
  run_ = std::make_unique<RunSession>(std::move(run));
  run_id_ = run_->run_id();
  grid_ = grid;
  items_ = plan_sweep(grid);
  finished_items_.assign(items_.size(), false);
  done_ = failed_ = done_this_session_ = 0;
  // The whole plan is stored up front (idempotent on resume: the same index
  // with the same plan gives back the stored configuration).
  for (const SweepItem& item : items_) {
    const ModelSpec spec = make_preset(grid.model, static_cast<int>(item.depth), static_cast<int>(item.width));
    run_->plan({item.index, spec.name, item.backend, sweep_phases(grid, item.round), sweep_item_config(grid, item)});
  }
  for (const StoredConfiguration& c : store_.load_run(run_id_).configurations) {
    const bool finished = c.status == ConfigurationStatus::done ||
                          (c.status == ConfigurationStatus::failed && is_final_failure(c.failure_reason));
    if (!finished || c.plan.index < 0 || c.plan.index >= static_cast<int64_t>(items_.size())) continue;
    finished_items_[static_cast<size_t>(c.plan.index)] = true;
    ++done_;
    if (c.status == ConfigurationStatus::failed) ++failed_;
  }
  next_ = 0;
  running_ = true;
  stop_requested_ = false;
  clock_.start();
  QTimer::singleShot(0, this, &SweepController::runNext);
}

void SweepController::stop() {
  if (!running_) return;
  stop_requested_ = true;
  run_->cancel();
}

void SweepController::runNext() {
  while (next_ < items_.size() && finished_items_[next_]) ++next_;
  if (stop_requested_ || next_ >= items_.size()) {
    running_ = false;
    emitProgress(0);
    Q_EMIT finished(stop_requested_);
    return;
  }
  const size_t index = next_++;
  runItem(index);
  QTimer::singleShot(0, this, &SweepController::runNext);
}

void SweepController::emitProgress(double item_fraction) {
  SweepProgress p;
  p.done = done_;
  p.total = static_cast<int64_t>(items_.size());
  p.failed = failed_;
  p.item_fraction = item_fraction;
  p.elapsed_seconds = clock_.elapsed() / 1000.0;
  if (done_this_session_ > 0) {
    const double per_item = p.elapsed_seconds / (static_cast<double>(done_this_session_) + item_fraction);
    p.eta_seconds = per_item * (static_cast<double>(p.total - p.done) - item_fraction);
  }
  p.current = current_;
  Q_EMIT progress(p);
}

void SweepController::runItem(size_t index) {
  const SweepItem& item = items_[index];
  current_ = describe_item(grid_, item);
  emitProgress(0);
  Q_EMIT itemStarted(item);

  Job job;
  job.spec = make_preset(grid_.model, static_cast<int>(item.depth), static_cast<int>(item.width));
  job.seed = grid_.seed;
  job.weights = initial_weights(job.spec, job.seed);  // the same weights on every backend
  job.protocol = sweep_protocol(grid_, item.round);
  job.config = sweep_item_config(grid_, item);
  job.run_id = run_id_;
  const double total_runs_of_item = std::max<int64_t>(1, total_runs(job.protocol));
  int64_t runs_seen = 0;
  std::string last_phase;
  int64_t phase_base = 0;
  auto on_progress = [&](const ProgressEvent& e) {
    if (e.phase != last_phase) {
      phase_base = runs_seen;
      last_phase = e.phase;
    }
    runs_seen = phase_base + e.step;
    emitProgress(std::min(1.0, static_cast<double>(runs_seen) / total_runs_of_item));
  };
  auto on_record = [&](const Measurement& m) { Q_EMIT measurement(item, m); };
  const RunnerFactory runners = runner_factory([this]() -> browser::BrowserSession& { return session(); },
                                               options_.native_threads, options_.browser_timeout);
  const ItemOutcome outcome = run_->run(index, job, runners, on_progress, on_record);  // stored as it goes
  const QString reason = QString::fromStdString(outcome.failure_reason);
  const QString message = QString::fromStdString(outcome.failure_message);
  if (outcome.cancelled()) {
    // Left pending: a resume runs it again from the start.
    Q_EMIT itemFinished(item, false, reason, message);
    return;
  }
  if (!outcome.done()) ++failed_;
  ++done_;
  ++done_this_session_;
  Q_EMIT itemFinished(item, outcome.done(), reason, message);
  emitProgress(0);
}

}  // namespace gapscope::ui

#include "ui/runs/run_controller.h"

#include <QTimer>

#include "core/measure/native_runner.h"
#include "ui/browser/browser_session.h"
#include "ui/runs/runner_factory.h"

namespace gapscope::ui {
namespace {

// Runs of each phase, in the order the protocol makes them.
std::vector<std::pair<std::string, int64_t>> phase_runs(const Protocol& p) {
  std::vector<std::pair<std::string, int64_t>> runs;
  if (p.wants("file_size")) runs.push_back({"file_size", kFileSizeProgressSteps});  // native runs only
  if (p.wants("load")) runs.push_back({"load", p.load_warmup + p.load_runs});
  if (p.wants("warmup")) runs.push_back({"warmup", p.warmup_runs});
  if (p.wants("infer")) runs.push_back({"infer", p.infer_warmup + p.infer_runs});
  if (p.wants("train")) runs.push_back({"train", p.train_warmup + p.train_runs});
  return runs;
}

}  // namespace

int64_t total_runs(const Protocol& protocol) {
  int64_t total = 0;
  for (const auto& [phase, runs] : phase_runs(protocol)) total += runs;
  return total;
}

RunController::RunController(browser::BrowserSession* session, QObject* parent)
    : QObject(parent), session_(session) {}

RunController::~RunController() { stop(); }

browser::BrowserSession* RunController::session() {
  if (!session_) {
    owned_session_ = std::make_unique<browser::BrowserSession>();
    session_ = owned_session_.get();
  }
  return session_;
}

void RunController::start(const RunPlan& plan, std::unique_ptr<RunSession> run) {
  if (running_) return;
  plan_ = plan;
  run_ = std::move(run);
  run_->plan_backends(plan_.job, plan_.backends);
  next_ = 0;
  running_ = true;
  stop_requested_ = false;
  QTimer::singleShot(0, this, &RunController::runNext);
}

void RunController::stop() {
  if (!running_) return;
  stop_requested_ = true;
  if (run_) run_->cancel();
}

void RunController::runNext() {
  if (stop_requested_ || next_ >= plan_.backends.size()) {
    running_ = false;
    run_.reset();  // the run has ended: nothing more is recorded
    Q_EMIT finished(stop_requested_);
    return;
  }
  runOne(next_++);
  QTimer::singleShot(0, this, &RunController::runNext);
}

void RunController::runOne(size_t index) {
  const QString name = QString::fromStdString(plan_.backends[index]);
  Q_EMIT backendStarted(name, static_cast<int>(index), static_cast<int>(plan_.backends.size()));
  const auto phases = phase_runs(plan_.job.protocol);
  const double total = std::max<int64_t>(1, total_runs(plan_.job.protocol));
  QElapsedTimer clock;
  clock.start();
  auto on_progress = [&](const ProgressEvent& e) {
    double done = 0;
    for (const auto& [phase, runs] : phases) {
      if (phase == e.phase) {
        done += static_cast<double>(e.step);
        break;
      }
      done += static_cast<double>(runs);
    }
    const double fraction = std::min(1.0, done / total);
    const double elapsed = clock.elapsed() / 1000.0;
    const double eta = fraction > 0.02 ? elapsed / fraction * (1 - fraction) : -1;
    Q_EMIT progress(name, e, fraction, eta);
  };
  auto on_record = [&](const Measurement& m) { Q_EMIT measurement(name, m); };
  const RunnerFactory runners = runner_factory([this]() -> browser::BrowserSession& { return *session(); },
                                               plan_.native_threads, plan_.browser_timeout);
  const ItemOutcome outcome = run_->run(index, plan_.job, runners, on_progress, on_record);
  Q_EMIT backendFinished(name, outcome.done(), QString::fromStdString(outcome.failure_reason),
                         QString::fromStdString(outcome.failure_message));
}

}  // namespace gapscope::ui

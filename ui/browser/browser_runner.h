// The Runner of the browser backends (core/measure/backend_catalog.h): sends
// the job to the harness page through a BrowserSession and waits for it in a
// local event loop (QtWebEngine lives on the GUI thread). Besides the harness's records (load, warmup, infer, train,
// js_memory) it adds what only the bridge sees: file_size of the TF.js files
// sent, and memory = the renderer process's peak RSS (the page gets a fresh
// renderer per job, so the figure is this job's; comparable with native runs'
// process peak RSS). A failure of any kind throws RunFailed.
#pragma once
#include <chrono>
#include <string>
#include <vector>

#include "core/measure/runner.h"
#include "ui/browser/browser_session.h"
#include "ui/browser/harness_job.h"

namespace gapscope::browser {

class BrowserRunner final : public Runner {
 public:
  BrowserRunner(BrowserSession& session, std::string backend_id,
                std::chrono::milliseconds timeout = std::chrono::minutes(10));
  std::string backend_id() const override { return backend_id_; }
  std::vector<Measurement> run(const Job& job, const MeasurementSink& sink) override;
  // Stops the page's job: the session kills the renderer; run() throws RunFailed.
  void cancel() override { session_.cancel(); }

  HarnessJobOptions checks;  // ask the harness for predictions / a loss curve too
  // The harness's predictions and loss_curve records of the last run.
  const std::vector<nlohmann::json>& check_records() const { return check_records_; }
  const BrowserOutcome& last_outcome() const { return outcome_; }
  // The data rows the last job sent (what predictions were made on).
  const HarnessJob& last_job() const { return harness_job_; }

 private:
  BrowserSession& session_;
  std::string backend_id_;
  std::chrono::milliseconds timeout_;
  BrowserOutcome outcome_;
  HarnessJob harness_job_;
  std::vector<nlohmann::json> check_records_;
};

// Waits for the session's next finished() (a local event loop).
BrowserOutcome wait_for_outcome(BrowserSession& session);
// The failure reason word for an outcome (timeout, renderer_crash, unsupported, ...).
std::string failure_reason(const BrowserOutcome& outcome);

}  // namespace gapscope::browser

#include "ui/browser/browser_runner.h"
#include "ui/browser/harness_server.h"

#include <QEventLoop>

#include "core/base/json_text.h"
#include "core/measure/backend_catalog.h"
#include "core/measure/cpu_utilisation.h"
#include "core/measure/protocol_json.h"
#include "ui/browser/browser_environment.h"

namespace gapscope::browser {

BrowserOutcome wait_for_outcome(BrowserSession& session) {
  BrowserOutcome outcome;
  QEventLoop loop;
  auto connection = QObject::connect(&session, &BrowserSession::finished, &loop, [&](const BrowserOutcome& o) {
    outcome = o;
    loop.quit();
  });
  loop.exec();
  QObject::disconnect(connection);
  return outcome;
}

std::string failure_reason(const BrowserOutcome& outcome) {
  if (outcome.status != BrowserOutcome::Status::failed) return status_name(outcome.status);
  if (outcome.error.startsWith("unsupported by ")) return "unsupported";
  if (outcome.error.contains(" unavailable: ")) return "unavailable";
  if (outcome.error.startsWith("job: ") || outcome.error.startsWith("spec: ")) return "rejected";
  return "js_exception";
}

BrowserRunner::BrowserRunner(BrowserSession& session, std::string backend_id, std::chrono::milliseconds timeout)
    : session_(session), backend_id_(std::move(backend_id)), timeout_(timeout) {
  if (!is_browser_backend(backend_id_))
    throw std::invalid_argument("not a browser backend: " + backend_id_);
}

std::vector<Measurement> BrowserRunner::run(const Job& job, const MeasurementSink& sink) {
  check_records_.clear();
  // The weights and rows go as files the page fetches, withdrawn afterwards.
  HarnessJobOptions options = checks;
  HarnessServer& server = *session_.server();
  options.publish = [&server](const QString& name, QByteArray bytes) { return server.publish(name, std::move(bytes)); };
  struct Withdraw {
    HarnessServer& server;
    ~Withdraw() { server.withdrawAll(); }
  } withdraw{server};
  harness_job_ = make_harness_job(job, backend_id_, options);
  auto forward = QObject::connect(&session_, &BrowserSession::progress, [this](const QString& event_json) {
    const auto event = try_parse_json_text(event_json.toStdString());
    if (event && event->is_object()) report(progress_from_json(*event));
  });
  session_.runJob(harness_job_.json, timeout_);
  outcome_ = wait_for_outcome(session_);
  QObject::disconnect(forward);
  if (!outcome_.ok()) {
    std::string message = outcome_.error.toStdString();
    // The page's last words help with a JS exception or a crash.
    for (const QString& line : outcome_.log)
      if (line.startsWith("error:")) message += "\n  page " + line.toStdString();
    if (backend_id_ == "tfjs-webgl" && !browser_environment().has_display)
      message += " (this run has no display, so the page is offscreen and has no WebGL: run under xvfb-run)";
    if (message.find(backend_id_) == std::string::npos) message = backend_id_ + ": " + message;
    throw RunFailed(failure_reason(outcome_), message);
  }

  std::vector<Measurement> records;
  auto keep = [&](Measurement m) {
    m.run_id = job.run_id;
    m.backend = backend_id_;
    m.model = job.spec.name;
    m.config = job.config;
    if (sink) sink(m);
    records.push_back(std::move(m));
  };
  Capabilities capabilities;
  for (const auto& record : parse_json_text(outcome_.value_json.toStdString())) {
    const std::string kind = record.value("kind", "");
    if (kind != "measurement") {
      check_records_.push_back(record);
      continue;
    }
    Measurement m = measurement_from_json(record);
    if (capabilities.empty()) capabilities = m.capabilities;
    keep(std::move(m));
  }
  if (job.protocol.wants("file_size")) {
    Measurement size = make_measurement("file_size", "bytes", {static_cast<double>(harness_job_.tfjs_model_bytes)});
    size.format = "tfjs";
    size.capabilities = capabilities;
    keep(std::move(size));
  }
  if (outcome_.renderer_peak_rss > 0) {
    Measurement memory = make_measurement("memory", "bytes", {static_cast<double>(outcome_.renderer_peak_rss)});
    memory.capabilities = capabilities;
    memory.details = {{"memory_measure", "renderer_peak_rss"},
                      {"renderer_pid", outcome_.renderer_pid},
                      {"renderer_cpu_seconds", outcome_.renderer_cpu_seconds},
                      {"job_seconds", outcome_.wall_seconds}};
    keep(std::move(memory));
  }
  // The page cannot see CPU time; the renderer's /proc figures cover the whole
  // job (every phase, page start excluded). Recorded with training, as native.
  if (job.protocol.wants("train") && outcome_.renderer_cpu_seconds >= 0 && outcome_.wall_seconds > 0) {
    Measurement cpu = cpu_utilisation_measurement(outcome_.renderer_cpu_seconds, outcome_.wall_seconds,
                                                  "renderer_process_whole_job");
    cpu.capabilities = capabilities;
    cpu.details["renderer_cpu_seconds"] = outcome_.renderer_cpu_seconds;
    cpu.details["job_seconds"] = outcome_.wall_seconds;
    keep(std::move(cpu));
  }
  return records;
}

}  // namespace gapscope::browser

// What can go wrong in a browser ends in a clear outcome, and the session goes
// on with the next job: a model TF.js rejects, a JS exception, a killed
// renderer, a timeout, a cancel, a harness that does not start.
#include <signal.h>

#include <catch2/catch.hpp>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTimer>
#include <QWebEngineProfile>

#include "tests/ui/browser/browser_test_support.h"
#include "ui/browser/harness_job.h"
#include "ui/browser/harness_page.h"

namespace gapscope::test {
namespace {

using browser::BrowserOutcome;
using Status = BrowserOutcome::Status;

const nlohmann::json kMlp = {
    {"format", "gapscope.model/1"}, {"name", "mlp"}, {"input", {{"shape", {20}}}},
    {"layers", {{{"type", "dense"}, {"units", 8}, {"activation", "relu"}}, {{"type", "dense"}, {"units", 10}, {"activation", "softmax"}}}},
    {"loss", "categorical_crossentropy"}, {"optimizer", {{"type", "sgd"}, {"learning_rate", 0.1}}}};

// A job that trains for far longer than any test waits.
Job endless_job() {
  Job job = small_job(kMlp, {"train"});
  job.protocol.train_runs = 10'000'000;
  return job;
}

// The session still works: a small job succeeds.
void check_session_goes_on(browser::BrowserSession& session) {
  browser::BrowserRunner runner(session, "tfjs-cpu");
  CHECK_FALSE(runner.run(small_job(kMlp, {"infer"}), nullptr).empty());
}

BrowserOutcome run_raw(browser::BrowserSession& session, const QString& job_json, std::chrono::milliseconds timeout) {
  session.runJob(job_json, timeout);
  return browser::wait_for_outcome(session);
}

bool process_alive(qint64 pid) { return pid > 0 && ::kill(static_cast<pid_t>(pid), 0) == 0; }

}  // namespace

TEST_CASE("A model TF.js rejects gives a failed outcome naming TF.js's reason", "[browser][failures]") {
  auto& session = shared_session();
  Job job = small_job(kMlp);
  auto harness_job = nlohmann::json::parse(browser::make_harness_job(job, "tfjs-cpu").json.toStdString());
  harness_job["model_json"]["modelTopology"]["config"]["layers"][0]["class_name"] = "NoSuchLayer";
  const BrowserOutcome outcome = run_raw(session, QString::fromStdString(harness_job.dump()), std::chrono::seconds(60));
  CHECK(outcome.status == Status::failed);
  CHECK(outcome.error.contains("NoSuchLayer"));
  check_session_goes_on(session);
}

TEST_CASE("A JS exception inside a phase names the backend and phase", "[browser][failures]") {
  browser::BrowserSession session;
  QWebEngineScript sabotage;
  sabotage.setName("sabotage");
  sabotage.setInjectionPoint(QWebEngineScript::DocumentCreation);
  sabotage.setWorldId(QWebEngineScript::MainWorld);
  // The harness slices rows out of the job's data with subarray in every phase.
  sabotage.setSourceCode("Float32Array.prototype.subarray = function () { throw new Error('injected failure'); };");
  session.addPageScript(sabotage);
  browser::BrowserRunner runner(session, "tfjs-cpu");
  try {
    runner.run(small_job(kMlp, {"infer"}), nullptr);
    FAIL("expected RunFailed");
  } catch (const RunFailed& e) {
    CHECK(e.reason() == "js_exception");
    CHECK_THAT(e.what(), Catch::Contains("tfjs-cpu, infer: injected failure"));
  }
}

TEST_CASE("A killed renderer is a crash outcome; the next job gets a new page", "[browser][failures]") {
  auto& session = shared_session();
  const Job job = endless_job();
  session.runJob(browser::make_harness_job(job, "tfjs-cpu").json, std::chrono::minutes(5));
  // Kill it once the job runs (the pid changes while the page navigates:
  // about:blank's renderer is replaced by the harness's).
  qint64 killed = 0;
  QTimer::singleShot(3000, &session, [&] {
    killed = session.page() ? session.page()->renderProcessPid() : 0;
    if (killed > 0) ::kill(static_cast<pid_t>(killed), SIGKILL);
  });
  const BrowserOutcome outcome = browser::wait_for_outcome(session);
  REQUIRE(killed > 0);
  CHECK(outcome.status == Status::crashed);
  CHECK(outcome.error.contains("the renderer process was killed"));
  check_session_goes_on(session);
}

TEST_CASE("A job past its timeout is stopped, its renderer killed, and the session goes on", "[browser][failures]") {
  auto& session = shared_session();
  browser::BrowserRunner runner(session, "tfjs-cpu", std::chrono::seconds(3));
  try {
    runner.run(endless_job(), nullptr);
    FAIL("expected RunFailed");
  } catch (const RunFailed& e) {
    CHECK(e.reason() == "timeout");
    CHECK_THAT(e.what(), Catch::Contains("no result within 3 s"));
  }
  const qint64 pid = runner.last_outcome().renderer_pid;
  CHECK(wait_until([&] { return !process_alive(pid); }, 10000));
  check_session_goes_on(session);
}

TEST_CASE("Cancel ends the job in flight at once", "[browser][failures]") {
  auto& session = shared_session();
  session.runJob(browser::make_harness_job(endless_job(), "tfjs-cpu").json, std::chrono::minutes(5));
  QTimer::singleShot(2500, &session, [&session] { session.cancel(); });
  const BrowserOutcome outcome = browser::wait_for_outcome(session);
  CHECK(outcome.status == Status::cancelled);
  CHECK_FALSE(session.busy());
  check_session_goes_on(session);
}

// QWebEnginePage's destructor runs the callbacks of scripts still in flight;
// by then the HarnessPage part is gone and must not be touched (a UBSan report
// in CI came from a window closed while a job was starting).
TEST_CASE("A page closed while a call is starting emits nothing afterwards", "[browser][failures]") {
  QWebEngineProfile profile;
  auto* page = new browser::HarnessPage(&profile, QUrl("http://127.0.0.1:9/harness/index.html"));
  int started = 0;
  QObject::connect(page, &browser::HarnessPage::ticketStarted, [&started](int) { ++started; });
  page->startTicket("startCapabilities", "tfjs-cpu");
  delete page;
  CHECK(started == 0);
}

TEST_CASE("A harness whose scripts do not start is a page error, not a hang", "[browser][failures]") {
  QTemporaryDir root;
  REQUIRE(QDir(root.path()).mkpath("harness"));
  QFile index(root.path() + "/harness/index.html");
  REQUIRE(index.open(QIODevice::WriteOnly));
  index.write("<!DOCTYPE html><title>broken</title><script src=\"missing.js\"></script>");
  index.close();
  browser::BrowserSession session(root.path());
  session.runJob("{}", std::chrono::seconds(30));
  const BrowserOutcome outcome = browser::wait_for_outcome(session);
  CHECK(outcome.status == Status::page_error);
  CHECK(outcome.error.contains("harness scripts did not start"));
}

}  // namespace gapscope::test

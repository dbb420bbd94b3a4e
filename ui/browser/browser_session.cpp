#include "ui/browser/browser_session.h"

#include <signal.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QWebEngineProfile>
#include <QWebEngineScriptCollection>

#include "core/measure/process_stats.h"
#include "ui/browser/harness_page.h"
#include "ui/browser/harness_server.h"
#include "ui/browser/local_only_interceptor.h"
#include "ui/browser/web_root.h"

namespace gapscope::browser {

const char* status_name(BrowserOutcome::Status status) {
  switch (status) {
    case BrowserOutcome::Status::ok: return "ok";
    case BrowserOutcome::Status::failed: return "failed";
    case BrowserOutcome::Status::timed_out: return "timeout";
    case BrowserOutcome::Status::crashed: return "renderer_crash";
    case BrowserOutcome::Status::cancelled: return "cancelled";
    case BrowserOutcome::Status::page_error: return "page_error";
  }
  return "unknown";
}

namespace {

QString termination_text(int status) {
  switch (status) {
    case QWebEnginePage::NormalTerminationStatus: return "exited";
    case QWebEnginePage::AbnormalTerminationStatus: return "terminated abnormally";
    case QWebEnginePage::CrashedTerminationStatus: return "crashed";
    case QWebEnginePage::KilledTerminationStatus: return "was killed";
  }
  return "ended";
}

}  // namespace

BrowserSession::BrowserSession(QObject* parent) : BrowserSession(find_web_root(), parent) {}

BrowserSession::BrowserSession(const QString& web_root, QObject* parent)
    : QObject(parent),
      web_root_(web_root),
      server_(new HarnessServer(web_root, this)),
      // Off the record: no cache or storage on disk, nothing carried between runs.
      profile_(new QWebEngineProfile(this)),
      interceptor_(new LocalOnlyInterceptor(*server_, this)) {
  profile_->setUrlRequestInterceptor(interceptor_);
  connect(interceptor_, &LocalOnlyInterceptor::blocked, this,
          [this](const QUrl& url) { log("blocked request to " + url.toString() + " (the harness page may load only its own files)"); });
  deadline_.setSingleShot(true);
  connect(&deadline_, &QTimer::timeout, this, &BrowserSession::onTimeout);
}

BrowserSession::~BrowserSession() {
  if (busy()) finish(BrowserOutcome::Status::cancelled, "the browser session was closed");
  discardPage(false);
  // Pages must go before their profile (QtWebEngine warns and leaks otherwise),
  // including those still waiting for deleteLater.
  for (HarnessPage* page : findChildren<HarnessPage*>(Qt::FindDirectChildrenOnly)) delete page;
  delete profile_;
}

HarnessPage* BrowserSession::page() const { return page_.data(); }

void BrowserSession::addPageScript(const QWebEngineScript& script) { extra_scripts_ << script; }

void BrowserSession::runJob(const QString& job_json, std::chrono::milliseconds timeout) {
  call("start", job_json, true, timeout);
}

void BrowserSession::queryCapabilities(const QString& backend_id, std::chrono::milliseconds timeout) {
  call("startCapabilities", backend_id, false, timeout);
}

void BrowserSession::call(const QString& method, const QString& argument, bool fresh_page,
                           std::chrono::milliseconds timeout) {
  if (busy()) {
    BrowserOutcome outcome;
    outcome.status = BrowserOutcome::Status::failed;
    outcome.error = "the browser session is busy with another call";
    Q_EMIT finished(outcome);
    return;
  }
  method_ = method;
  argument_ = argument;
  ticket_ = early_ticket_ = -1;
  early_settlement_.clear();
  call_log_.clear();
  call_timeout_ = timeout;
  if (fresh_page || !page_ || !page_ready_) {
    discardPage(true);
    createPage();
    state_ = State::loading;
    deadline_.start(pageLoadTimeout);
    page_->loadHarness();
  } else {
    state_ = State::loading;
    onHarnessReady("reused");
  }
}

void BrowserSession::createPage() {
  page_ = new HarnessPage(profile_, server_->urlFor("harness/index.html"), this);
  page_ready_ = false;
  for (const QWebEngineScript& script : extra_scripts_) page_->scripts().insert(script);
  HarnessPage* page = page_.data();
  connect(page, &HarnessPage::logLine, this, &BrowserSession::log);
  connect(page, &HarnessPage::harnessReady, this, &BrowserSession::onHarnessReady);
  connect(page, &HarnessPage::ticketStarted, this, &BrowserSession::onTicketStarted);
  connect(page, &HarnessPage::ticketSettled, this, &BrowserSession::onTicketSettled);
  connect(page, &HarnessPage::ticketProgress, this, [this](int ticket, const QString& event_json) {
    // One call at a time: before its ticket number is known, progress is its.
    if (state_ == State::starting || (state_ == State::running && ticket == ticket_)) Q_EMIT progress(event_json);
  });
  connect(page, &QWebEnginePage::loadFinished, this, [this, page](bool ok) {
    if (!ok && page == page_ && state_ == State::loading)
      finish(BrowserOutcome::Status::page_error, "cannot load the harness page " + page->harnessUrl().toString());
  });
  connect(page, &QWebEnginePage::renderProcessTerminated, this,
          [this, page](QWebEnginePage::RenderProcessTerminationStatus status, int exit_code) {
            if (page == page_) onRendererTerminated(status, exit_code);
          });
  Q_EMIT pageChanged(page);
}

void BrowserSession::discardPage(bool kill_renderer) {
  if (!page_) return;
  HarnessPage* page = page_.data();
  page_ = nullptr;
  page_ready_ = false;
  disconnect(page, nullptr, this, nullptr);
  // A renderer stuck in a JS loop does not stop for a closed page: kill it.
  const qint64 pid = page->renderProcessPid();
  if (kill_renderer && pid > 0) ::kill(static_cast<pid_t>(pid), SIGKILL);
  page->deleteLater();
  Q_EMIT pageChanged(nullptr);
}

void BrowserSession::onHarnessReady(const QString& version) {
  if (state_ == State::idle) return;  // a late signal from a page we gave up on
  if (version.isEmpty()) {
    finish(BrowserOutcome::Status::page_error,
           "the harness scripts did not start in " + page_->harnessUrl().toString());
    return;
  }
  page_ready_ = true;
  state_ = State::starting;
  deadline_.start(call_timeout_);  // the call's own timeout, page load excluded
  wall_.start();
  cpu_at_start_ = process_cpu_seconds_of(page_->renderProcessPid());
  page_->startTicket(method_, argument_);
}

void BrowserSession::onTicketStarted(int ticket) {
  if (state_ != State::starting) return;
  if (ticket < 0) {
    finish(BrowserOutcome::Status::failed, "the harness did not accept the call (" + method_ + ")");
    return;
  }
  ticket_ = ticket;
  state_ = State::running;
  if (early_ticket_ == ticket) onTicketSettled(ticket, early_settlement_);
}

void BrowserSession::onTicketSettled(int ticket, const QString& outcome_json) {
  if (state_ == State::starting) {  // settled before runJavaScript returned the ticket
    early_ticket_ = ticket;
    early_settlement_ = outcome_json;
    return;
  }
  if (state_ != State::running || ticket != ticket_) return;
  const QJsonObject outcome = QJsonDocument::fromJson(outcome_json.toUtf8()).object();
  const QString state = outcome.value("state").toString();
  if (state == "done") {
    const QJsonValue value = outcome.value("value");
    const QByteArray text = value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                                            : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    finish(BrowserOutcome::Status::ok, {}, QString::fromUtf8(text));
  } else if (state == "failed") {
    finish(BrowserOutcome::Status::failed, outcome.value("error").toString());
  } else {
    finish(BrowserOutcome::Status::failed, "the harness settled with an unreadable outcome: " + outcome_json.left(200));
  }
}

void BrowserSession::onRendererTerminated(int status, int exit_code) {
  page_ready_ = false;
  if (state_ == State::idle) {
    log(QString("the renderer process %1 (exit code %2) while idle; the next call gets a new page")
            .arg(termination_text(status)).arg(exit_code));
    return;
  }
  finish(BrowserOutcome::Status::crashed,
         QString("the renderer process %1 (exit code %2) during %3").arg(termination_text(status)).arg(exit_code).arg(
             method_ == "start" ? QString("the job") : method_ == "startCapabilities" ? QString("the capability query") : method_));
}

void BrowserSession::onTimeout() {
  if (state_ == State::loading) {
    finish(BrowserOutcome::Status::page_error,
           QString("the harness page did not become ready within %1 s").arg(pageLoadTimeout.count() / 1000.0));
  } else if (state_ != State::idle) {
    finish(BrowserOutcome::Status::timed_out,
           QString("no result within %1 s; the renderer was stopped").arg(call_timeout_.count() / 1000.0));
  }
}

void BrowserSession::cancel() {
  if (busy()) finish(BrowserOutcome::Status::cancelled, "cancelled; the renderer was stopped");
}

void BrowserSession::finish(BrowserOutcome::Status status, const QString& error, const QString& value_json) {
  deadline_.stop();
  BrowserOutcome outcome;
  outcome.status = status;
  outcome.error = error;
  outcome.value_json = value_json;
  outcome.wall_seconds = wall_.isValid() ? wall_.elapsed() / 1000.0 : 0;
  if (page_) {
    outcome.renderer_pid = page_->renderProcessPid();
    outcome.renderer_peak_rss = peak_rss_bytes_of(outcome.renderer_pid);
    const double cpu_now = process_cpu_seconds_of(outcome.renderer_pid);
    if (cpu_now >= 0 && cpu_at_start_ >= 0) outcome.renderer_cpu_seconds = cpu_now - cpu_at_start_;
  }
  outcome.log = call_log_;
  state_ = State::idle;
  wall_.invalidate();
  const bool page_is_healthy = status == BrowserOutcome::Status::ok || status == BrowserOutcome::Status::failed;
  if (!page_is_healthy) discardPage(status != BrowserOutcome::Status::crashed);
  Q_EMIT finished(outcome);
}

void BrowserSession::log(const QString& line) {
  if (state_ != State::idle) call_log_ << line;
  Q_EMIT logLine(line);
}

}  // namespace gapscope::browser

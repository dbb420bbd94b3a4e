// Runs harness calls (a job, or a capability query) one at a time on a page
// it owns, and survives what can go wrong in a browser: the page fails to
// load, the harness scripts fail, JS throws, the renderer process dies, a call
// never returns (timeout), or the user cancels. Every call ends in exactly one
// finished() with a BrowserOutcome; the session is then ready for the next.
//
// Each job gets a fresh page (a fresh renderer process): no framework state
// leaks between backends, and the renderer's peak RSS is this job's alone. A
// page that timed out or was cancelled is killed (SIGKILL to its renderer:
// a busy JS loop would otherwise run on) and replaced.
#pragma once
#include <chrono>
#include <memory>

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QWebEngineScript>

class QWebEngineProfile;
class QWebEnginePage;

namespace gapscope::browser {

class HarnessPage;
class HarnessServer;
class LocalOnlyInterceptor;

struct BrowserOutcome {
  enum class Status { ok, failed, timed_out, crashed, cancelled, page_error };
  Status status = Status::ok;
  QString error;             // what went wrong, for people (empty when ok)
  QString value_json;        // ok: the harness result (records array / capabilities object) as JSON
  qint64 renderer_pid = 0;
  qint64 renderer_peak_rss = -1;     // bytes (VmHWM) when the call ended; -1 unknown
  double renderer_cpu_seconds = -1;  // CPU time the renderer used during the call; -1 unknown
  double wall_seconds = 0;           // from page ready to settlement
  QStringList log;                   // the page's console during the call
  bool ok() const { return status == Status::ok; }
};
const char* status_name(BrowserOutcome::Status status);

class BrowserSession : public QObject {
  Q_OBJECT
 public:
  // Finds the web root (find_web_root); throws std::runtime_error if absent.
  explicit BrowserSession(QObject* parent = nullptr);
  BrowserSession(const QString& web_root, QObject* parent = nullptr);
  ~BrowserSession() override;

  // gapscopeHarness.start(job_json) on a fresh page.
  void runJob(const QString& job_json, std::chrono::milliseconds timeout);
  // gapscopeHarness.startCapabilities(backend_id); reuses a live idle page.
  void queryCapabilities(const QString& backend_id, std::chrono::milliseconds timeout);
  // Any ticket method of the harness (e.g. startFidelityCheck) with its argument.
  void call(const QString& method, const QString& argument, bool fresh_page, std::chrono::milliseconds timeout);
  // Ends the call in flight with status cancelled (no-op when idle).
  void cancel();
  bool busy() const { return state_ != State::idle; }

  // A script every new page runs (tests break pages with it on purpose; a
  // GUI could add instrumentation). Takes effect from the next page on.
  void addPageScript(const QWebEngineScript& script);

  HarnessPage* page() const;        // the current page (may be null); see pageChanged
  QString webRoot() const { return web_root_; }
  LocalOnlyInterceptor* interceptor() const { return interceptor_; }
  HarnessServer* server() const { return server_; }
  std::chrono::milliseconds pageLoadTimeout{60000};

 Q_SIGNALS:
  void pageChanged(gapscope::browser::HarnessPage* page);
  void logLine(const QString& line);
  // The call in flight made progress ({"kind":"progress",...} from the harness).
  void progress(const QString& event_json);
  void finished(const gapscope::browser::BrowserOutcome& outcome);

 private:
  enum class State { idle, loading, starting, running };
  void createPage();
  void discardPage(bool kill_renderer);
  void onHarnessReady(const QString& version);
  void onTicketStarted(int ticket);
  void onTicketSettled(int ticket, const QString& outcome_json);
  void onRendererTerminated(int status, int exit_code);
  void onTimeout();
  void finish(BrowserOutcome::Status status, const QString& error, const QString& value_json = {});
  void log(const QString& line);

  QString web_root_;
  HarnessServer* server_;
  QWebEngineProfile* profile_;
  LocalOnlyInterceptor* interceptor_;
  QPointer<HarnessPage> page_;
  bool page_ready_ = false;
  State state_ = State::idle;
  QString method_, argument_;
  int ticket_ = -1;
  QString early_settlement_;  // a settlement that arrived before its ticket number
  int early_ticket_ = -1;
  QTimer deadline_;
  std::chrono::milliseconds call_timeout_{0};
  QElapsedTimer wall_;
  double cpu_at_start_ = -1;
  QStringList call_log_;
  QList<QWebEngineScript> extra_scripts_;
};

}  // namespace gapscope::browser

// One web page running the harness (resources/web/harness/index.html, served
// by HarnessServer) with the QWebChannel bridge wired up. It loads nothing
// remote (LocalOnlyInterceptor on the profile), refuses navigation away from
// the harness, and forwards the
// page's console to logLine(). A page is shown in a QWebEngineView with
// view->setPage(page); headless it runs as is.
#pragma once
#include <memory>

#include <QString>
#include <QUrl>
#include <QWebEnginePage>

namespace gapscope::browser {

class HarnessBridge;

class HarnessPage : public QWebEnginePage {
  Q_OBJECT
 public:
  HarnessPage(QWebEngineProfile* profile, const QUrl& harness_url, QObject* parent = nullptr);
  ~HarnessPage() override;
  void loadHarness();
  // Calls gapscopeHarness.<method>(argument) (start or startCapabilities); the
  // ticket arrives through ticketStarted, the result through ticketSettled.
  void startTicket(const QString& method, const QString& argument);
  QUrl harnessUrl() const { return harness_url_; }

 Q_SIGNALS:
  void harnessReady(const QString& version);  // empty version: harness scripts failed
  void ticketStarted(int ticket);             // -1: the call threw (see logLine)
  void ticketSettled(int ticket, const QString& outcome_json);
  void ticketProgress(int ticket, const QString& event_json);
  void logLine(const QString& line);

 protected:
  void javaScriptConsoleMessage(JavaScriptConsoleMessageLevel level, const QString& message, int line,
                                const QString& source) override;
  bool acceptNavigationRequest(const QUrl& url, NavigationType type, bool is_main_frame) override;

 private:
  void installScripts();
  HarnessBridge* bridge_;
  QUrl harness_url_;
  // QWebEnginePage's destructor still calls pending runJavaScript callbacks,
  // after this object is gone: they check this flag first.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace gapscope::browser

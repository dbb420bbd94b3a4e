// Keeps the harness page local: requests are allowed only to the harness
// server (127.0.0.1, our port: the harness and the frameworks) and for
// data:/blob: URLs the page makes itself. Everything else (other hosts, other
// ports, file:///etc/passwd, ws:) is blocked and reported.
#pragma once
#include <QUrl>
#include <QWebEngineUrlRequestInterceptor>

namespace gapscope::browser {

class HarnessServer;

class LocalOnlyInterceptor : public QWebEngineUrlRequestInterceptor {
  Q_OBJECT
 public:
  LocalOnlyInterceptor(const HarnessServer& server, QObject* parent = nullptr);
  void interceptRequest(QWebEngineUrlRequestInfo& info) override;
  bool allows(const QUrl& url) const;

 Q_SIGNALS:
  void blocked(const QUrl& url);

 private:
  const HarnessServer& server_;
};

}  // namespace gapscope::browser

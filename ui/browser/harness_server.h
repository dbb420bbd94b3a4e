// Serves the web root over HTTP on 127.0.0.1 (a random port) with the
// cross-origin isolation headers (COOP same-origin, COEP require-corp). Why
// not file://: Chromium coarsens performance.now() to 100 us on pages that are
// not cross-origin isolated (5 us on isolated ones), which quantises every
// per-sample inference time of a small model; an isolated page also gets
// SharedArrayBuffer, hence wasm threads, without feature flags. Only files
// under the web root, and the bytes a job published, are served, only GET,
// only to this machine.
#pragma once
#include <QByteArray>
#include <QHash>
#include <QString>
#include <QTcpServer>
#include <QUrl>

namespace gapscope::browser {

class HarnessServer : public QObject {
  Q_OBJECT
 public:
  // Listens at once; throws std::runtime_error when it cannot.
  HarnessServer(const QString& web_root, QObject* parent = nullptr);
  QUrl baseUrl() const;  // http://127.0.0.1:<port>/
  QUrl urlFor(const QString& relative_path) const;
  // True when `url` is one of ours (the interceptor lets only these through).
  bool serves(const QUrl& url) const;
  // Serves `bytes` at /job/<n>/<name> until withdrawn: a job's model weights
  // and rows, which the page fetches as a user's page fetches a model's
  // files (a job string of hundreds of MB exceeds what Chromium passes in
  // one call). Returns the path.
  QString publish(const QString& name, QByteArray bytes);
  void withdrawAll();

 private:
  void onConnection();
  QTcpServer server_;
  QString root_;  // canonical, with a trailing slash
  QHash<QString, QByteArray> published_;
  int published_count_ = 0;
};

}  // namespace gapscope::browser

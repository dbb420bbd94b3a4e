#include "ui/browser/local_only_interceptor.h"

#include "ui/browser/harness_server.h"

namespace gapscope::browser {

LocalOnlyInterceptor::LocalOnlyInterceptor(const HarnessServer& server, QObject* parent)
    : QWebEngineUrlRequestInterceptor(parent), server_(server) {}

bool LocalOnlyInterceptor::allows(const QUrl& url) const {
  const QString scheme = url.scheme();
  return scheme == "data" || scheme == "blob" || server_.serves(url);
}

void LocalOnlyInterceptor::interceptRequest(QWebEngineUrlRequestInfo& info) {
  if (allows(info.requestUrl())) return;
  info.block(true);
  Q_EMIT blocked(info.requestUrl());
}

}  // namespace gapscope::browser

// The harness page reaches nothing but its own files: no remote hosts, no
// file:// URLs, no other local ports, no navigation away; the server answers
// only GET for files under the web root.
#include <catch2/catch.hpp>

#include <QCoreApplication>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

#include "tests/ui/browser/browser_test_support.h"
#include "ui/browser/harness_bridge.h"
#include "ui/browser/harness_page.h"
#include "ui/browser/harness_server.h"
#include "ui/browser/local_only_interceptor.h"

namespace gapscope::test {
namespace {

// Loads a live harness page in `session` (a capability query).
void open_page(browser::BrowserSession& session) {
  session.queryCapabilities("tfjs-cpu", std::chrono::seconds(60));
  const auto outcome = browser::wait_for_outcome(session);
  REQUIRE(outcome.ok());
  REQUIRE(session.page() != nullptr);
}

// A raw HTTP request; the server lives on this thread, so wait by running
// the event loop, never by blocking.
QByteArray raw_get(const QUrl& base, const QByteArray& request_line) {
  QTcpSocket socket;
  QByteArray reply;
  QObject::connect(&socket, &QTcpSocket::readyRead, [&] { reply += socket.readAll(); });
  socket.connectToHost("127.0.0.1", static_cast<quint16>(base.port()));
  REQUIRE(wait_until([&] { return socket.state() == QAbstractSocket::ConnectedState; }, 5000));
  socket.write(request_line + "\r\nHost: 127.0.0.1\r\n\r\n");
  wait_until([&] { return socket.state() == QAbstractSocket::UnconnectedState; }, 5000);
  return reply + socket.readAll();
}

}  // namespace

TEST_CASE("Page scripts cannot fetch remote URLs, file:// or other local ports", "[browser][isolation]") {
  browser::BrowserSession session;
  open_page(session);
  QTcpServer other;  // a local service that is not the harness server
  REQUIRE(other.listen(QHostAddress::LocalHost, 0));
  int accepted = 0;
  QObject::connect(&other, &QTcpServer::newConnection, [&] { ++accepted; });

  QStringList lines, blocked;
  QObject::connect(session.page(), &browser::HarnessPage::logLine, [&](const QString& l) { lines << l; });
  QObject::connect(session.interceptor(), &browser::LocalOnlyInterceptor::blocked,
                   [&](const QUrl& url) { blocked << url.toString(); });
  const QString probe = QString(R"JS(
    ['https://example.com/', 'file:///etc/passwd', 'http://127.0.0.1:%1/'].forEach(function (url) {
      fetch(url).then(function (r) { return r.text(); })
                .then(function (t) { console.log('probe reached ' + url + ' ' + t.length); },
                      function (e) { console.log('probe blocked ' + url); });
    });)JS").arg(other.serverPort());
  session.page()->runJavaScript(probe);
  REQUIRE(wait_until([&] { return lines.filter("probe ").size() == 3; }, 20000));
  CHECK(lines.filter("probe reached").isEmpty());
  CHECK(lines.filter("probe blocked").size() == 3);
  CHECK(accepted == 0);
  CHECK(blocked.filter("example.com").size() >= 1);
}

TEST_CASE("The web channel shows the page one object with only the runner's methods", "[browser][isolation]") {
  browser::BrowserSession session;
  open_page(session);
  const QPointer<browser::HarnessBridge> bridge = session.page()->findChild<browser::HarnessBridge*>();
  REQUIRE(bridge);
  QStringList lines;
  QObject::connect(session.page(), &browser::HarnessPage::logLine, [&](const QString& l) { lines << l; });
  // The methods the C++ side publishes (qwebchannel.js adds its own helpers
  // and signature-named aliases, which are not calls into C++); then a call of
  // the one inherited slot, deleteLater, which QWebChannel refuses for objects
  // registered by the application: the bridge must survive it.
  session.page()->runJavaScript(R"JS(
    new QWebChannel(qt.webChannelTransport, function (channel) {
      var bridge = channel.objects.gapscopeBridge;
      var helpers = ['propertyUpdate', 'signalEmitted', 'unwrapProperties', 'unwrapQObject'];
      var methods = Object.keys(bridge).filter(function (k) {
        return typeof bridge[k] === 'function' && k.indexOf('(') < 0 && helpers.indexOf(k) < 0;
      });
      console.log('channel objects: ' + Object.keys(channel.objects).sort().join(','));
      console.log('bridge methods: ' + methods.sort().join(','));
      bridge.deleteLater();
    });)JS");
  REQUIRE(wait_until([&] { return lines.filter("bridge methods: ").size() == 1; }, 20000));
  INFO(lines.join("\n").toStdString());
  CHECK(lines.filter("channel objects: gapscopeBridge").size() == 1);
  CHECK(lines.filter("bridge methods: deleteLater,progress,ready,settled").size() == 1);
  // The bridge outlives the page's deleteLater(), even once deferred deletes run.
  wait_until([] { return false; }, 500);
  QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
  CHECK(bridge);
}

TEST_CASE("The page cannot navigate away from the harness", "[browser][isolation]") {
  browser::BrowserSession session;
  open_page(session);
  QStringList lines;
  QObject::connect(session.page(), &browser::HarnessPage::logLine, [&](const QString& l) { lines << l; });
  const QUrl harness = session.page()->url();
  session.page()->runJavaScript("location.href = 'https://example.com/';");
  REQUIRE(wait_until([&] { return !lines.filter("blocked navigation").isEmpty(); }, 10000));
  CHECK(session.page()->url() == harness);
}

TEST_CASE("The interceptor allows only the harness server and data/blob URLs", "[browser][isolation]") {
  browser::BrowserSession session;
  const QUrl base = session.server()->baseUrl();
  auto* interceptor = session.interceptor();
  CHECK(interceptor->allows(base.resolved(QUrl("harness/index.html"))));
  CHECK(interceptor->allows(QUrl("blob:http://127.0.0.1/abc")));
  CHECK(interceptor->allows(QUrl("data:text/plain,hi")));
  CHECK_FALSE(interceptor->allows(QUrl("https://example.com/tf.min.js")));
  CHECK_FALSE(interceptor->allows(QUrl("file:///etc/passwd")));
  CHECK_FALSE(interceptor->allows(QUrl(QString("http://127.0.0.1:%1/").arg(base.port() == 1 ? 2 : 1))));
  CHECK_FALSE(interceptor->allows(QUrl(QString("http://localhost:%1/harness/index.html").arg(base.port()))));
}

TEST_CASE("The harness server serves files under the web root to GET only", "[browser][isolation]") {
  browser::BrowserSession session;
  const QUrl base = session.server()->baseUrl();
  const QByteArray ok = raw_get(base, "GET /harness/index.html HTTP/1.1");
  CHECK(ok.startsWith("HTTP/1.1 200 OK"));
  CHECK(ok.contains("Cross-Origin-Embedder-Policy: require-corp"));
  CHECK(raw_get(base, "GET /../../../../etc/passwd HTTP/1.1").startsWith("HTTP/1.1 404"));
  CHECK(raw_get(base, "GET /%2e%2e/%2e%2e/%2e%2e/etc/passwd HTTP/1.1").startsWith("HTTP/1.1 404"));
  CHECK(raw_get(base, "POST /harness/index.html HTTP/1.1").startsWith("HTTP/1.1 405"));
}

}  // namespace gapscope::test

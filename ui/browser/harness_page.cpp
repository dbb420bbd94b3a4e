#include "ui/browser/harness_page.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>
#include <QWebChannel>
#include <QWebEngineScript>
#include <QWebEngineScriptCollection>
#include <QWebEngineSettings>

#include "ui/browser/harness_bridge.h"

namespace gapscope::browser {
namespace {

// Runs when the DOM is ready (the harness scripts have run): hands the bridge
// to the harness and says whether the harness exists.
const char* kBootstrap = R"JS(
(function () {
  new QWebChannel(qt.webChannelTransport, function (channel) {
    var bridge = channel.objects.gapscopeBridge;
    var harness = window.gapscopeHarness;
    if (!harness) {
      console.error('gapscope: window.gapscopeHarness is missing (a harness script failed to load)');
      bridge.ready('');
      return;
    }
    harness.onSettled = function (ticket, outcome) { bridge.settled(ticket, outcome); };
    harness.onProgress = function (ticket, event) { bridge.progress(ticket, event); };
    bridge.ready(harness.version);
  });
})();
)JS";

QString level_name(QWebEnginePage::JavaScriptConsoleMessageLevel level) {
  switch (level) {
    case QWebEnginePage::InfoMessageLevel: return "info";
    case QWebEnginePage::WarningMessageLevel: return "warning";
    case QWebEnginePage::ErrorMessageLevel: return "error";
  }
  return "log";
}

// A JS string literal holding `text` (JSON string syntax is valid JS).
QString js_string_literal(const QString& text) {
  return QString::fromUtf8(QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
}

}  // namespace

HarnessPage::HarnessPage(QWebEngineProfile* profile, const QUrl& harness_url, QObject* parent)
    : QWebEnginePage(profile, parent), bridge_(new HarnessBridge(this)), harness_url_(harness_url) {
  QWebEngineSettings* s = settings();
  s->setAttribute(QWebEngineSettings::LocalContentCanAccessFileUrls, false);
  s->setAttribute(QWebEngineSettings::LocalContentCanAccessRemoteUrls, false);
  s->setAttribute(QWebEngineSettings::WebGLEnabled, true);
  s->setAttribute(QWebEngineSettings::Accelerated2dCanvasEnabled, true);
  s->setAttribute(QWebEngineSettings::PluginsEnabled, false);

  auto* channel = new QWebChannel(this);
  channel->registerObject("gapscopeBridge", bridge_);
  setWebChannel(channel, QWebEngineScript::MainWorld);
  connect(bridge_, &HarnessBridge::harnessReady, this, &HarnessPage::harnessReady);
  connect(bridge_, &HarnessBridge::ticketSettled, this, &HarnessPage::ticketSettled);
  connect(bridge_, &HarnessBridge::ticketProgress, this, &HarnessPage::ticketProgress);
  installScripts();
}

HarnessPage::~HarnessPage() { *alive_ = false; }

void HarnessPage::installScripts() {
  QFile channel_js(":/qtwebchannel/qwebchannel.js");
  if (!channel_js.open(QIODevice::ReadOnly)) qFatal("qwebchannel.js is missing from the QtWebChannel resources");

  QWebEngineScript channel_script;
  channel_script.setName("qwebchannel.js");
  channel_script.setSourceCode(QString::fromUtf8(channel_js.readAll()));
  channel_script.setInjectionPoint(QWebEngineScript::DocumentCreation);
  channel_script.setWorldId(QWebEngineScript::MainWorld);
  channel_script.setRunsOnSubFrames(false);

  QWebEngineScript bootstrap;
  bootstrap.setName("gapscope-bootstrap");
  bootstrap.setSourceCode(kBootstrap);
  bootstrap.setInjectionPoint(QWebEngineScript::DocumentReady);
  bootstrap.setWorldId(QWebEngineScript::MainWorld);
  bootstrap.setRunsOnSubFrames(false);

  scripts().insert(channel_script);
  scripts().insert(bootstrap);
}

void HarnessPage::loadHarness() { load(harness_url_); }

void HarnessPage::startTicket(const QString& method, const QString& argument) {
  const QString script = QString("window.gapscopeHarness.%1(%2)").arg(method, js_string_literal(argument));
  runJavaScript(script, QWebEngineScript::MainWorld, [this, method, alive = alive_](const QVariant& result) {
    if (!*alive) return;
    bool ok = false;
    const int ticket = result.toInt(&ok);
    if (!ok) Q_EMIT logLine(QString("error: gapscopeHarness.%1 did not return a ticket").arg(method));
    Q_EMIT ticketStarted(ok ? ticket : -1);
  });
}

void HarnessPage::javaScriptConsoleMessage(JavaScriptConsoleMessageLevel level, const QString& message,
                                           int line, const QString& source) {
  const QString where = source.isEmpty() ? QString() : QString(" (%1:%2)").arg(QFileInfo(QUrl(source).path()).fileName()).arg(line);
  Q_EMIT logLine(QString("%1: %2%3").arg(level_name(level), message, where));
}

bool HarnessPage::acceptNavigationRequest(const QUrl& url, NavigationType, bool is_main_frame) {
  if (url == harness_url_) return true;
  Q_EMIT logLine(QString("blocked navigation to %1 (%2)").arg(url.toString(), is_main_frame ? "page" : "frame"));
  return false;
}

}  // namespace gapscope::browser

#include "ui/browser/browser_environment.h"

#include <sys/stat.h>
#include <unistd.h>

#include <QCoreApplication>
#include <QStringList>
#include <QtWebEngineCore/qtwebenginecoreglobal.h>

#include "ui/browser/leak_check_gl_driver.h"

namespace gapscope::browser {
namespace {

BrowserEnvironment decided;

// Flags a measuring page needs. A page without a visible window counts as a
// background tab: Chromium would throttle its timers and deprioritise it.
const QStringList kBenchmarkFlags = {
    "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
    // WebGL 2 on Mesa's software rasteriser is blocklisted otherwise; the
    // capability record names the renderer, so nothing passes silently.
    "--ignore-gpu-blocklist"};

QtMessageHandler previous_handler = nullptr;

// QtWebEngine reports its GL set-up at length; offscreen (no GL by design) it
// also warns that the context failed. Neither helps a user of the CLI.
void quiet_handler(QtMsgType type, const QMessageLogContext& context, const QString& message) {
  const bool gl_report = context.category && QByteArray(context.category) == "qt.webenginecontext";
  const bool offscreen_gl_warning = decided.platform == "offscreen" && message.startsWith("WebEngineContext used before");
  if (gl_report || offscreen_gl_warning) return;
  previous_handler(type, context, message);
}

}  // namespace

BrowserEnvironment prepare_browser_environment() {
  previous_handler = qInstallMessageHandler(quiet_handler);
  // What Qt would pick itself, minus its warning about the variable missing.
  if (!qEnvironmentVariableIsSet("XDG_RUNTIME_DIR")) {
    const QByteArray dir = "/tmp/runtime-" + QByteArray::number(geteuid());
    mkdir(dir.constData(), 0700);
    qputenv("XDG_RUNTIME_DIR", dir);
  }
  const bool display = qEnvironmentVariableIsSet("DISPLAY") || qEnvironmentVariableIsSet("WAYLAND_DISPLAY");
  QString platform = qEnvironmentVariable("QT_QPA_PLATFORM");
  if (platform.isEmpty() && !display) {
    platform = "offscreen";
    qputenv("QT_QPA_PLATFORM", "offscreen");
  }
  // QtWebEngine on the offscreen platform crashes when DISPLAY is also set.
  if (platform == "offscreen") qunsetenv("DISPLAY");
  decided.platform = platform;
  decided.has_display = display && platform != "offscreen";

  // Chromium's sandbox refuses to run as root.
  if (geteuid() == 0 && !qEnvironmentVariableIsSet("QTWEBENGINE_DISABLE_SANDBOX"))
    qputenv("QTWEBENGINE_DISABLE_SANDBOX", "1");
  decided.sandbox_disabled = qEnvironmentVariable("QTWEBENGINE_DISABLE_SANDBOX") == "1";

  QStringList flags = qEnvironmentVariable("QTWEBENGINE_CHROMIUM_FLAGS").split(' ', Qt::SkipEmptyParts);
  for (const QString& flag : kBenchmarkFlags)
    if (!flags.contains(flag)) flags << flag;
  decided.chromium_flags = flags.join(' ');
  qputenv("QTWEBENGINE_CHROMIUM_FLAGS", decided.chromium_flags.toUtf8());

  QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
  keep_gl_driver_mapped_for_leak_checks();
  return decided;
}

const BrowserEnvironment& browser_environment() { return decided; }

QString webengine_version_text() {
  return QString("%1 (Chromium %2)").arg(qWebEngineVersion(), qWebEngineChromiumVersion());
}

}  // namespace gapscope::browser

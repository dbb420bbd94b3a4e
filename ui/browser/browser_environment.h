// Process-wide settings QtWebEngine reads once, before the QApplication exists:
// the Qt platform (offscreen without a display: cpu and wasm work, WebGL does
// not), the sandbox (off as root, or Chromium refuses to start), and the
// Chromium flags a benchmark needs (no background throttling of a page nobody
// looks at; WebGL on software GL).
#pragma once
#include <QString>

namespace gapscope::browser {

struct BrowserEnvironment {
  QString platform;        // "offscreen", "xcb", ... (what QT_QPA_PLATFORM asks for; empty: Qt's choice)
  bool has_display = false;
  QString chromium_flags;  // QTWEBENGINE_CHROMIUM_FLAGS as set
  bool sandbox_disabled = false;
};

// Call first thing in main(), before QApplication. Keeps what the user set in
// QT_QPA_PLATFORM and QTWEBENGINE_CHROMIUM_FLAGS and adds to it.
BrowserEnvironment prepare_browser_environment();
// What prepare_browser_environment decided (valid after it ran).
const BrowserEnvironment& browser_environment();

// "6.4.2 (Chromium 102.0.5005.177)"
QString webengine_version_text();

}  // namespace gapscope::browser

// gapscope: the Qt executable. With no arguments the workbench window; with a
// command, headless work that needs the embedded browser.
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>

#include <Eigen/Core>

#include <QApplication>
#include <QMessageBox>
#include <QtWebEngineCore/qtwebenginecoreglobal.h>

#include "app/gapscope/commands.h"
#include "core/build_info.h"
#include "core/measure/process_stats.h"
#include "gpu/vulkan/loader_version.h"
#include "ui/browser/browser_environment.h"
#include "ui/runs/run_record.h"
#include "ui/workbench/main_window.h"

namespace {

using namespace gapscope;
using namespace gapscope::cli;

const char* kHelp =
    "usage: gapscope                      open the workbench window\n"
    "       gapscope FILE.gapscope.json   open a saved workspace in the window\n"
    "       gapscope COMMAND [options]    (COMMAND --help for its options)\n"
    "\n"
    "Measures how far deep learning goes inside a web browser compared with\n"
    "native code: the same model and weights on the project's own engine and in\n"
    "TensorFlow.js (cpu, wasm, webgl), ConvNetJS, brain.js and synaptic inside an\n"
    "embedded QtWebEngine, and in PyTorch (pytorch-cpu) as a mainstream native\n"
    "baseline.\n"
    "\n"
    "Commands:\n"
    "  run       one model on several backends in turn, side by side (headless)\n"
    "  sweep     a depth x width grid on several backends, interleaved, resumable\n"
    "  history   list, show, compare and delete the runs in the run history\n"
    "  report    a stored run as HTML (inline SVG charts), PDF, CSV and JSON\n"
    "  reproduce `reproduce paper`: the WWW'19 paper's experiments on this machine,\n"
    "            with a report marking each of its findings confirmed or not\n"
    "\n"
    "  --version print versions (gapscope, Qt, QtWebEngine/Chromium)\n"
    "\n"
    "Native-only work (train, bench, sweep, inspect, predict) is gapscope-native.\n"
    "%s";

void print_version() {
  std::printf("gapscope %s (git %s)\n  Qt %s\n  QtWebEngine %s\n  compiler %s\n  Eigen %d.%d.%d\n  Vulkan loader %s\n"
              "  TF.js %s\n",
              GAPSCOPE_VERSION, git_revision(), qVersion(), browser::webengine_version_text().toUtf8().constData(),
              compiler_description().c_str(), EIGEN_WORLD_VERSION, EIGEN_MAJOR_VERSION, EIGEN_MINOR_VERSION,
              gpu::vulkan_loader_version().c_str(), ui::shipped_tfjs_version().c_str());
}

}  // namespace

// `workspace`: a file to open in the window (gapscope my.gapscope.json, as the
// .desktop file passes it), or empty.
int open_workbench(int argc, char** argv, const QString& workspace = {}) {
  browser::prepare_browser_environment();
  QApplication app(argc, argv);
  QApplication::setOrganizationName("gapscope");
  QApplication::setApplicationName("gapscope");
  QApplication::setApplicationVersion(GAPSCOPE_VERSION);
  try {
    ui::MainWindow window;
    window.show();
    if (!workspace.isEmpty()) window.openWorkspace(workspace);  // a failure says why in a message box
    return app.exec();
  } catch (const std::exception& e) {
    QMessageBox::critical(nullptr, "gapscope", QString::fromStdString(e.what()));
    return kFailed;
  }
}

int main(int argc, char** argv) {
  if (argc < 2) return open_workbench(argc, argv);
  if (!std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
    std::fprintf(stdout, kHelp, kExitCodesHelp);
    return kOk;
  }
  if (!std::strcmp(argv[1], "--version")) {
    print_version();
    return kOk;
  }
  const std::map<std::string, int (*)(const CommandArgs&)> commands = {{"run", command_run}, {"sweep", command_sweep}, {"history", command_history}, {"report", command_report}, {"reproduce", command_reproduce}};
  auto it = commands.find(argv[1]);
  // Not a command but a file: open it in the workbench, as desktop apps do.
  if (it == commands.end() && argv[1][0] != '-' && std::filesystem::is_regular_file(argv[1]) && argc == 2)
    return open_workbench(argc, argv, QString::fromLocal8Bit(argv[1]));
  if (it == commands.end()) {
    std::fprintf(stderr, "gapscope: unknown command '%s'\n\n", argv[1]);
    std::fprintf(stderr, kHelp, kExitCodesHelp);
    return kUsage;
  }
  browser::prepare_browser_environment();
  QApplication app(argc, argv);
  QApplication::setApplicationName("gapscope");
  QApplication::setApplicationVersion(GAPSCOPE_VERSION);
  CommandArgs args(argv + 2, argv + argc);
  return run_reporting_errors("gapscope", argv[1], [&] { return it->second(args); });
}

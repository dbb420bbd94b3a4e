// Catch2 main for the Qt tests: the browser environment must be set and the
// QApplication must exist before any QtWebEngine object is made. ctest runs
// this binary under xvfb-run (tests/CMakeLists.txt), so WebGL is there too.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <unistd.h>

#include <QApplication>

#include "tests/ui/browser/browser_test_support.h"
#include "ui/browser/browser_environment.h"

int main(int argc, char** argv) {
  // Runs the tests make (and `gapscope run` children they start) go to a
  // history of their own, never the user's.
  const auto data_home = std::filesystem::temp_directory_path() / ("gapscope-ui-tests-" + std::to_string(getpid()));
  setenv("XDG_DATA_HOME", data_home.c_str(), 1);
  gapscope::browser::prepare_browser_environment();
  int qt_argc = 1;
  QApplication app(qt_argc, argv);
  const int failed = Catch::Session().run(argc, argv);
  gapscope::test::release_shared_session();
  std::error_code ignored;
  std::filesystem::remove_all(data_home, ignored);
  return failed;
}

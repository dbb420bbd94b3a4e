// Helpers for tests that drive the real `gapscope` executable, offscreen (no
// display) as on a headless machine.
#pragma once
#include <catch2/catch.hpp>

#include <unistd.h>

#include <string>

#include <QProcess>
#include <QProcessEnvironment>

namespace gapscope::test {

struct CliResult {
  int exit_code;
  std::string out, err;
};

inline QProcessEnvironment headless_environment() {
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.remove("DISPLAY");
  env.remove("QT_QPA_PLATFORM");
  return env;
}

inline CliResult run_program(const QString& program, const QStringList& args) {
  QProcess process;
  process.setProcessEnvironment(headless_environment());
  process.start(program, args);
  REQUIRE(process.waitForFinished(600000));
  return {process.exitCode(), process.readAllStandardOutput().toStdString(),
          process.readAllStandardError().toStdString()};
}

inline CliResult run_gapscope(const QStringList& args) { return run_program(GAPSCOPE_EXE, args); }

// As the user "nobody" when the tests run as root (through setpriv), so that
// file and folder modes bind as they do for everyone else; as is otherwise.
inline CliResult run_gapscope_unprivileged(const QStringList& args) {
  if (::geteuid() != 0) return run_gapscope(args);
  return run_program("setpriv", QStringList{"--reuid=65534", "--regid=65534", "--clear-groups", GAPSCOPE_EXE} + args);
}

}  // namespace gapscope::test

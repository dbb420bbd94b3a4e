#include "ui/runs/json_lines_child.h"

#include <QEventLoop>
#include <QProcess>
#include <QTimer>

#include "core/base/json_text.h"

namespace gapscope::ui {

std::string ChildOutcome::how_it_ended() const {
  return crashed ? "crashed" : "exited with code " + std::to_string(exit_code);
}

ChildOutcome run_json_lines_child(const QString& program, const QStringList& arguments,
                                  const std::atomic<bool>& cancelled,
                                  const std::function<void(const nlohmann::json&)>& on_record) {
  QProcess child;
  child.setProgram(program);
  child.setArguments(arguments);
  ChildOutcome outcome;
  std::string pending;
  auto read_lines = [&] {
    pending += child.readAllStandardOutput().toStdString();
    size_t end;
    while ((end = pending.find('\n')) != std::string::npos) {
      const std::string line = pending.substr(0, end);
      pending.erase(0, end + 1);
      if (const auto parsed = try_parse_json_text(line)) on_record(*parsed);
    }
  };
  QEventLoop loop;
  QObject::connect(&child, &QProcess::readyReadStandardOutput, &loop, read_lines);
  QObject::connect(&child, &QProcess::readyReadStandardError, &loop,
                   [&] { outcome.errors += child.readAllStandardError().toStdString(); });
  QObject::connect(&child, &QProcess::finished, &loop, &QEventLoop::quit);
  QObject::connect(&child, &QProcess::errorOccurred, &loop, [&](QProcess::ProcessError error) {
    if (error == QProcess::FailedToStart) loop.quit();
  });
  QTimer cancel_poll;
  QObject::connect(&cancel_poll, &QTimer::timeout, &loop, [&] {
    if (cancelled) child.kill();
  });
  cancel_poll.start(50);
  child.start();
  if (child.state() != QProcess::NotRunning || child.error() != QProcess::FailedToStart) loop.exec();
  read_lines();
  outcome.errors += child.readAllStandardError().toStdString();
  outcome.started = child.error() != QProcess::FailedToStart;
  outcome.cancelled = cancelled;
  outcome.crashed = child.exitStatus() == QProcess::CrashExit;
  outcome.exit_code = child.exitCode();
  return outcome;
}

}  // namespace gapscope::ui

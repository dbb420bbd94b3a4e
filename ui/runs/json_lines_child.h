// A child process that speaks JSON lines on stdout (gapscope-native bench, the
// PyTorch runner): started, read line by line as it writes, killed on cancel.
// One place for what both process runners need: the event loop, the cancel
// poll, and how the child ended.
#pragma once
#include <atomic>
#include <functional>
#include <string>

#include <QStringList>
#include <nlohmann/json.hpp>

namespace gapscope::ui {

struct ChildOutcome {
  bool started = false, cancelled = false, crashed = false;
  int exit_code = 0;
  std::string errors;  // everything it wrote on stderr
  // "crashed" / "exited with code 3", for messages.
  std::string how_it_ended() const;
};

// Runs `program` with `arguments` to its end (or until `cancelled` turns
// true: then it is killed), calling `on_record` for each stdout line that is
// a JSON value; other lines are ignored.
ChildOutcome run_json_lines_child(const QString& program, const QStringList& arguments,
                                  const std::atomic<bool>& cancelled,
                                  const std::function<void(const nlohmann::json&)>& on_record);

}  // namespace gapscope::ui

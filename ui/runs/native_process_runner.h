// Runs native jobs in a `gapscope-native bench` child process and reads its
// JSON-lines records from stdout (DESIGN.md: process boundaries are cheap).
// Why a child rather than a thread of this process: the memory record is then
// the peak RSS of the engine alone (this process also hosts Qt and Chromium's
// browser process), a crash in a run cannot take the workbench down, and
// cancel is a kill. The child gets the exact protocol (--protocol) and the
// job's weights as a native model file, so it runs what the browser runs.
#pragma once
#include <atomic>
#include <string>

#include <QString>

#include "core/measure/runner.h"

namespace gapscope::ui {

class NativeProcessRunner final : public Runner {
 public:
  // backend_id: native-cpu (native-vulkan when built); threads 0 = all.
  NativeProcessRunner(std::string backend_id, int threads = 0);
  std::string backend_id() const override { return backend_id_; }
  // Throws RunFailed when the child cannot start, fails or is cancelled.
  std::vector<Measurement> run(const Job& job, const MeasurementSink& sink) override;
  // Kills the child of the run in flight (safe from any thread).
  void cancel() override { cancelled_ = true; }

 private:
  std::string backend_id_;
  int threads_;
  std::atomic<bool> cancelled_{false};
};

// gapscope-native beside this executable, else $GAPSCOPE_NATIVE, else on PATH;
// throws std::runtime_error naming where it looked.
QString find_native_executable();

}  // namespace gapscope::ui

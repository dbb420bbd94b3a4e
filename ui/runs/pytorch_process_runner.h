// pytorch-cpu: the job's model, with its weights and rows, in PyTorch
// (Debian's python3-torch) in a child process
// (resources/pytorch/gapscope_torch_runner.py), timed with the same protocol
// and turned into the same records. The paper's native side was a mainstream
// framework (TensorFlow in Python); gapscope's own engine is faster than that,
// so findings are judged against both.
#pragma once
#include <atomic>
#include <string>
#include <vector>

#include <QString>

#include "core/measure/runner.h"

namespace gapscope::ui {

class PyTorchProcessRunner final : public Runner {
 public:
  // threads: torch's intra-op threads, as native-cpu's (0 = all hardware threads).
  explicit PyTorchProcessRunner(int threads = 0);
  std::string backend_id() const override { return "pytorch-cpu"; }
  // Throws RunFailed: "unavailable" (no python3 with torch), "unsupported"
  // (a layer, loss or optimizer it cannot build: the message names it),
  // "cancelled", or "pytorch_failed".
  std::vector<Measurement> run(const Job& job, const MeasurementSink& sink) override;
  void cancel() override { cancelled_ = true; }

  // The model's outputs for the job's first `rows` rows (no timing): how the
  // tests hold PyTorch's model to native-cpu's.
  std::vector<float> predict(const Job& job, int64_t rows);

 private:
  std::vector<Measurement> run_child(const Job& job, int64_t predict_rows, const MeasurementSink& sink,
                                     std::vector<float>* predictions);
  int threads_;
  std::atomic<bool> cancelled_{false};
};

// $GAPSCOPE_PYTHON, else Debian's /usr/bin/python3 (where python3-torch
// lives), else python3 on PATH.
QString find_python_for_torch();
// The runner script: $GAPSCOPE_PYTORCH_RUNNER, else share/gapscope/pytorch
// beside this executable (as the web harness); throws std::runtime_error
// naming where it looked.
QString find_torch_runner_script();

}  // namespace gapscope::ui

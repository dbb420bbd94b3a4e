// Runner: runs a Job (model spec + weights + protocol) on one backend and emits
// Measurements. NativeRunner drives an OpsBackend; the browser runner (ui/)
// drives a web page; both emit the same records.
#pragma once
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/measure/measurement.h"
#include "core/nn/weights.h"
#include "core/spec/model_spec.h"

namespace gapscope {

struct DataRows;  // core/measure/synthetic_data.h

// How many untimed and timed runs each phase gets (DESIGN.md, measurement protocol).
struct Protocol {
  int64_t batch_size = 64;
  int load_warmup = 2, load_runs = 15;
  int warmup_runs = 10;        // "first inference" measured on fresh models
  int infer_warmup = 20, infer_runs = 200;
  int train_warmup = 5, train_runs = 30;
  std::vector<std::string> phases = {"load", "warmup", "infer", "train", "file_size"};
  bool wants(const std::string& phase) const;
  // Every phase's timed run count multiplied by `factor` (at least 3 each):
  // --runs-scale 0.2 for a quick look, 5 for tighter figures.
  Protocol scaled(double factor) const;
};

struct Job {
  ModelSpec spec;
  std::optional<WeightSet> weights;  // none: seeded initialisation
  Protocol protocol;
  uint64_t seed = 1;
  nlohmann::json config;             // copied into every record (preset, depth, width, ...)
  std::string run_id;
  // Rows to infer and train on (a real dataset); none: seeded synthetic rows.
  std::shared_ptr<const DataRows> data;
};

using MeasurementSink = std::function<void(const Measurement&)>;

// Where a run is, for progress bars and live charts: one event per training
// step (with its loss, and accuracy where the backend reports it), and every
// few runs of the other phases. Never part of the records.
struct ProgressEvent {
  std::string phase;  // load | warmup | infer | train
  int64_t step = 0;   // runs done in this phase, warm-up runs included
  int64_t steps = 0;  // runs this phase makes in all
  double ms = 0;      // the last run's time
  double loss = std::numeric_limits<double>::quiet_NaN();      // train only
  double accuracy = std::numeric_limits<double>::quiet_NaN();  // train only, where known
};
using ProgressSink = std::function<void(const ProgressEvent&)>;
nlohmann::json progress_to_json(const ProgressEvent& event);  // {"kind": "progress", ...}
ProgressEvent progress_from_json(const nlohmann::json& j);

// A run that produced no records (or not all): the browser timed out or
// crashed, the framework cannot express the model, the user cancelled.
// `reason` is a short machine-readable word (docs/measurement-schema.md,
// failure records); what() says what happened, for people.
class RunFailed : public std::runtime_error {
 public:
  RunFailed(std::string reason, const std::string& message)
      : std::runtime_error(message), reason_(std::move(reason)) {}
  const std::string& reason() const { return reason_; }

 private:
  std::string reason_;
};

class Runner {
 public:
  virtual ~Runner() = default;
  virtual std::string backend_id() const = 0;
  // Emits each record as soon as its phase is done; returns them all too.
  virtual std::vector<Measurement> run(const Job& job, const MeasurementSink& sink) = 0;
  // Optional: told as the run goes (set before run()).
  void set_progress_sink(ProgressSink sink) { progress_ = std::move(sink); }
  // Stops the run in flight (called from the thread that runs the event loop
  // the runner waits in: a Stop button, a Ctrl-C poll); run() then throws
  // RunFailed("cancelled"). Runners that cannot be stopped ignore it.
  virtual void cancel() {}

 protected:
  void report(const ProgressEvent& event) const {
    if (progress_) progress_(event);
  }
  ProgressSink progress_;
};

}  // namespace gapscope

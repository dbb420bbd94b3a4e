// One run as it is recorded, whoever starts it (`gapscope run`, the workbench,
// a sweep, a reproduction), so every run reads back the same way:
// - the run record is a run in the history and the first JSON line;
// - each item (one model on one backend) is a configuration, planned up front,
//   so a stopped run shows what never ran as pending;
// - every measurement is a JSON line and a history row the moment it arrives;
// - an item ends done, or failed with a failure line; a cancelled item stays
//   pending in the history, so a resume runs it again (from a clean start).
// The JSON line of a record is written before its history row: when the
// history fails, the lines still have everything.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/measure/runner.h"
#include "core/store/results_store.h"

namespace gapscope {

// Where a run's records go; each part is optional.
struct RunRecording {
  ResultsStore* history = nullptr;
  std::function<void(const nlohmann::json&)> lines = {};  // the run's JSON lines, in order
  // Unset: a failed history write throws (StoreError mostly) out of the call
  // that made it. Set: the session stops writing to the history, says so here
  // once (what it tried, why it failed) and the run goes on.
  std::function<void(const std::string& what, const std::string& error)> history_lost = {};
};

// How one item ended.
struct ItemOutcome {
  std::vector<Measurement> records;  // every record, when it succeeded
  std::string failure_reason;        // empty: done; RunFailed's reason, "error" for any other exception
  std::string failure_message;
  bool done() const { return failure_reason.empty(); }
  bool cancelled() const { return failure_reason == "cancelled"; }
};

// Makes the runner of a backend id (it may throw: the item then fails).
using RunnerFactory = std::function<std::unique_ptr<Runner>(const std::string& backend)>;

class RunSession {
 public:
  // A new run: run_record (run_metadata() and more; its "run_id" names the
  // run) is stored as a run of `kind` with `label`, then written as the first line.
  static RunSession begin(RunRecording recording, const nlohmann::json& run_record, const std::string& kind,
                          const std::string& label = "");
  // A stored run goes on (a resumed sweep); nothing is written until it plans or runs an item.
  static RunSession resume(RunRecording recording, const std::string& run_id);

  const std::string& run_id() const { return run_id_; }

  // Adds an item to the plan and returns its number for run(). In the
  // history the same index again (a resume) is the stored configuration.
  size_t plan(const ConfigurationPlan& item);
  // One item per backend, in run order, all measuring `job` (`gapscope run`, the workbench).
  void plan_backends(const Job& job, const std::vector<std::string>& backends);
  size_t item_count() const { return items_.size(); }

  // Runs item `item` on its backend: what an earlier attempt recorded is
  // dropped, every record is recorded as it arrives (then given to
  // on_record), and the item ends done or failed. A runner's RunFailed gives
  // its reason, any other exception (making the runner included) "error";
  // a failed history write is no failure of the item and is not caught here.
  // job.run_id must be this run's.
  ItemOutcome run(size_t item, const Job& job, const RunnerFactory& make_runner, const ProgressSink& progress = {},
                  const MeasurementSink& on_record = {});
  // Stops the item in flight, if any (from the event loop its runner waits in): run() then ends it cancelled.
  void cancel();

 private:
  struct Item {
    ConfigurationPlan plan;
    std::optional<int64_t> configuration;  // none without a history
  };
  RunSession(RunRecording recording, std::string run_id);
  void write_line(const nlohmann::json& line) const;
  // Runs a history write under the recording's policy (RunRecording::history_lost).
  void write_history(const std::string& what, const std::function<void(ResultsStore&)>& write);
  void record(const Item& item, const Measurement& measurement);
  void finish(const Item& item, const ItemOutcome& outcome);

  RunRecording recording_;
  std::string run_id_;
  std::vector<Item> items_;
  Runner* in_flight_ = nullptr;
};

}  // namespace gapscope

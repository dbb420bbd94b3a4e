// RunSession: every run is recorded the same way, whoever starts it. The run
// record opens the JSON lines and the history, the plan is stored up front,
// records land in both as they arrive, failures are named (a cancelled item
// stays pending and starts clean when run again), a resumed run reuses its
// stored plan, and a failing history either stops the run or, where the
// caller allows, is left behind while the lines go on.
#include <catch2/catch.hpp>

#include "core/run/run_session.h"
#include "core/spec/presets.h"
#include "tests/core/io/model_file_test_support.h"

namespace gapscope::test {
namespace {

// Emits one record per phase, then ends as `end` says (nothing: done). A
// cancel() lands after the record in flight, as a real runner's would.
class ScriptedRunner : public Runner {
 public:
  ScriptedRunner(std::string backend, std::vector<std::string> phases, std::function<void()> end = {},
                 std::function<void()> after_first_record = {})
      : backend_(std::move(backend)), phases_(std::move(phases)), end_(std::move(end)),
        after_first_record_(std::move(after_first_record)) {}
  std::string backend_id() const override { return backend_; }
  std::vector<Measurement> run(const Job& job, const MeasurementSink& sink) override {
    std::vector<Measurement> records;
    for (const std::string& phase : phases_) {
      Measurement m = make_measurement(phase, "ms", {1.0, 2.0, 3.0});
      m.run_id = job.run_id;
      m.backend = backend_;
      m.model = job.spec.name;
      m.config = job.config;
      report({phase, 1, 1, 2.0});
      sink(m);
      records.push_back(m);
      if (records.size() == 1 && after_first_record_) after_first_record_();
      if (cancelled_) throw RunFailed("cancelled", backend_ + ": cancelled");
    }
    if (end_) end_();
    return records;
  }
  void cancel() override { cancelled_ = true; }

 private:
  std::string backend_;
  std::vector<std::string> phases_;
  std::function<void()> end_, after_first_record_;
  bool cancelled_ = false;
};

// native-cpu measures two phases; tfjs-wasm one, then times out; brainjs
// cannot express the model; "broken" has no runner at all.
std::unique_ptr<Runner> scripted_runner(const std::string& backend) {
  if (backend == "native-cpu") return std::make_unique<ScriptedRunner>(backend, std::vector<std::string>{"load", "train"});
  if (backend == "tfjs-wasm")
    return std::make_unique<ScriptedRunner>(backend, std::vector<std::string>{"load"},
                                            [] { throw RunFailed("timeout", "tfjs-wasm: no answer in 1 s"); });
  if (backend == "brainjs")
    return std::make_unique<ScriptedRunner>(backend, std::vector<std::string>{},
                                            [] { throw RunFailed("unsupported", "brainjs: no conv2d"); });
  throw std::runtime_error("no runner for " + backend);
}

Job small_job() {
  Job job;
  job.spec = make_preset("paper-dnn", 1, 8);
  job.run_id = new_run_id();
  job.protocol.phases = {"load", "train"};
  job.config = {{"preset", "paper-dnn"}, {"batch", 64}};
  return job;
}

nlohmann::json run_record(const Job& job) {
  nlohmann::json record = run_metadata(job.run_id);
  record["flags"] = "test";
  return record;
}

struct Recorded {
  ScratchDir dir;
  ResultsStore history = ResultsStore::open(dir.path() / "history.sqlite");
  std::vector<nlohmann::json> lines;
  RunRecording recording() {
    return {.history = &history, .lines = [this](const nlohmann::json& line) { lines.push_back(line); }};
  }
  std::vector<std::string> kinds() const {
    std::vector<std::string> kinds;
    for (const auto& line : lines) kinds.push_back(line.at("kind"));
    return kinds;
  }
};

}  // namespace

TEST_CASE("A run session records the run, its plan up front, every record and how each item ended",
          "[run-session]") {
  Recorded out;
  const Job job = small_job();
  const nlohmann::json record = run_record(job);
  RunSession run = RunSession::begin(out.recording(), record, "run", "label");
  run.plan_backends(job, {"native-cpu", "tfjs-wasm", "brainjs"});
  REQUIRE(out.lines.size() == 1);
  CHECK(out.lines[0] == record);  // the run record itself comes first
  {  // the whole plan is there before anything ran
    const StoredRun stored = out.history.load_run(job.run_id);
    CHECK(stored.summary.kind == "run");
    CHECK(stored.summary.label == "label");
    REQUIRE(stored.configurations.size() == 3);
    for (const StoredConfiguration& c : stored.configurations) CHECK(c.status == ConfigurationStatus::pending);
    CHECK(stored.configurations[1].plan.backend == "tfjs-wasm");
    CHECK(stored.configurations[1].plan.config == job.config);
  }

  std::vector<std::string> progress_phases;
  int passed_on = 0;
  const ItemOutcome native = run.run(
      0, job, scripted_runner, [&](const ProgressEvent& e) { progress_phases.push_back(e.phase); },
      [&](const Measurement&) { ++passed_on; });
  CHECK(native.done());
  CHECK(native.records.size() == 2);
  CHECK(progress_phases == std::vector<std::string>{"load", "train"});
  CHECK(passed_on == 2);
  const ItemOutcome wasm = run.run(1, job, scripted_runner);
  CHECK(wasm.failure_reason == "timeout");
  CHECK(wasm.failure_message == "tfjs-wasm: no answer in 1 s");
  CHECK(wasm.records.empty());
  CHECK(run.run(2, job, scripted_runner).failure_reason == "unsupported");

  CHECK(out.kinds() == std::vector<std::string>{"run", "measurement", "measurement", "measurement", "failure", "failure"});
  const nlohmann::json& failure = out.lines[4];
  CHECK(failure["run_id"] == job.run_id);
  CHECK(failure["backend"] == "tfjs-wasm");
  CHECK(failure["reason"] == "timeout");
  CHECK(failure["config"] == job.config);

  const StoredRun stored = out.history.load_run(job.run_id);
  CHECK(stored.summary.done == 1);
  CHECK(stored.summary.failed == 2);
  CHECK(stored.configurations[0].status == ConfigurationStatus::done);
  CHECK(stored.configurations[0].measurements.size() == 2);
  CHECK(stored.configurations[1].measurements.size() == 1);  // what it measured before it timed out
  CHECK(stored.configurations[1].failure_reason.value_or("") == "timeout");
  CHECK(stored.configurations[2].failure_message.value_or("") == "brainjs: no conv2d");
}

TEST_CASE("An item whose runner cannot be made, or throws something else, fails as 'error'", "[run-session]") {
  Recorded out;
  const Job job = small_job();
  RunSession run = RunSession::begin(out.recording(), run_record(job), "run");
  run.plan_backends(job, {"broken", "native-cpu"});
  const ItemOutcome broken = run.run(0, job, scripted_runner);
  CHECK(broken.failure_reason == "error");
  CHECK(broken.failure_message == "no runner for broken");
  const ItemOutcome throwing = run.run(1, job, [](const std::string& backend) -> std::unique_ptr<Runner> {
    return std::make_unique<ScriptedRunner>(backend, std::vector<std::string>{"load"},
                                            [] { throw std::logic_error("a bug"); });
  });
  CHECK(throwing.failure_reason == "error");
  const StoredRun stored = out.history.load_run(job.run_id);
  CHECK(stored.summary.failed == 2);
  CHECK(stored.configurations[1].failure_message.value_or("") == "a bug");
  CHECK(out.kinds() == std::vector<std::string>{"run", "failure", "measurement", "failure"});
}

TEST_CASE("A cancelled item is a failure line but stays pending, and runs again from a clean start",
          "[run-session]") {
  Recorded out;
  const Job job = small_job();
  RunSession run = RunSession::begin(out.recording(), run_record(job), "sweep");
  run.plan_backends(job, {"native-cpu"});
  // Stop pressed while the first phase's record comes in.
  const ItemOutcome stopped = run.run(0, job, [&](const std::string& backend) -> std::unique_ptr<Runner> {
    return std::make_unique<ScriptedRunner>(backend, std::vector<std::string>{"load", "train"}, std::function<void()>{},
                                            [&] { run.cancel(); });
  });
  CHECK(stopped.cancelled());
  CHECK(out.kinds() == std::vector<std::string>{"run", "measurement", "failure"});
  CHECK(out.lines.back()["reason"] == "cancelled");
  StoredConfiguration stored = out.history.load_run(job.run_id).configurations.at(0);
  CHECK(stored.status == ConfigurationStatus::pending);
  CHECK(stored.measurements.size() == 1);

  run.cancel();  // nothing in flight: no effect on what runs next
  const ItemOutcome again = run.run(0, job, [](const std::string& backend) -> std::unique_ptr<Runner> {
    return std::make_unique<ScriptedRunner>(backend, std::vector<std::string>{"train"});
  });
  CHECK(again.done());
  stored = out.history.load_run(job.run_id).configurations.at(0);
  CHECK(stored.status == ConfigurationStatus::done);
  REQUIRE(stored.measurements.size() == 1);  // the interrupted attempt's "load" is gone
  CHECK(stored.measurements[0].phase == "train");
}

TEST_CASE("A resumed run plans onto its stored configurations and goes on", "[run-session]") {
  Recorded out;
  const Job job = small_job();
  {
    RunSession first = RunSession::begin(out.recording(), run_record(job), "sweep");
    first.plan_backends(job, {"native-cpu", "native-cpu"});
    CHECK(first.run(0, job, scripted_runner).done());
  }
  const size_t lines_before = out.lines.size();
  RunSession resumed = RunSession::resume(out.recording(), job.run_id);
  CHECK(resumed.run_id() == job.run_id);
  CHECK(out.lines.size() == lines_before);  // no second run record
  resumed.plan_backends(job, {"native-cpu", "native-cpu"});
  CHECK(resumed.item_count() == 2);
  CHECK(resumed.run(1, job, scripted_runner).done());
  const StoredRun stored = out.history.load_run(job.run_id);
  CHECK(stored.configurations.size() == 2);
  CHECK(stored.summary.done == 2);
  // A different plan under a stored index is refused, not stored beside it.
  CHECK_THROWS_AS(resumed.plan({0, job.spec.name, "tfjs-wasm", job.protocol.phases, job.config}), StoreError);
}

TEST_CASE("A failing history stops the run, unless the session may go on without it", "[run-session]") {
  Recorded out;
  const Job job = small_job();
  RunSession::begin(out.recording(), run_record(job), "run");
  out.lines.clear();

  SECTION("by default the write throws, after the line is written") {
    CHECK_THROWS_AS(RunSession::begin(out.recording(), run_record(job), "run"), StoreError);  // the id is taken
    CHECK(out.lines.empty());  // the history refused the run before any line
    Job other = small_job();
    RunSession run = RunSession::begin(out.recording(), run_record(other), "run");
    run.plan_backends(other, {"native-cpu"});
    // The run disappears from the history once its item started: storing the first record fails.
    const RunnerFactory runners = [&](const std::string& backend) {
      out.history.delete_run(other.run_id);
      return scripted_runner(backend);
    };
    CHECK_THROWS_AS(run.run(0, other, runners), StoreError);
    CHECK(out.kinds() == std::vector<std::string>{"run", "measurement"});
  }

  SECTION("allowed, the session leaves the history behind, says so once, and the lines go on") {
    std::vector<std::string> notices;
    RunRecording recording = out.recording();
    recording.history_lost = [&](const std::string& what, const std::string& error) {
      notices.push_back(what + ": " + error);
    };
    RunSession run = RunSession::begin(recording, run_record(job), "workbench");  // the id is taken
    run.plan_backends(job, {"native-cpu", "brainjs"});
    CHECK(run.run(0, job, scripted_runner).done());
    CHECK(run.run(1, job, scripted_runner).failure_reason == "unsupported");
    REQUIRE(notices.size() == 1);
    CHECK_THAT(notices[0], Catch::Contains("record the run: ") && Catch::Contains("already stored"));
    CHECK(out.kinds() == std::vector<std::string>{"run", "measurement", "measurement", "failure"});
    CHECK(out.history.load_run(job.run_id).configurations.empty());  // nothing went to the other run
  }
}

TEST_CASE("Without a history the JSON lines alone record the run", "[run-session]") {
  std::vector<nlohmann::json> lines;
  const Job job = small_job();
  RunSession run =
      RunSession::begin({.lines = [&](const nlohmann::json& line) { lines.push_back(line); }}, run_record(job), "run");
  run.plan_backends(job, {"native-cpu", "brainjs"});
  CHECK(run.item_count() == 2);
  CHECK(run.run(0, job, scripted_runner).done());
  CHECK(run.run(1, job, scripted_runner).failure_reason == "unsupported");
  CHECK(lines.size() == 4);
}

}  // namespace gapscope::test

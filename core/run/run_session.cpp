#include "core/run/run_session.h"

namespace gapscope {

RunSession::RunSession(RunRecording recording, std::string run_id)
    : recording_(std::move(recording)), run_id_(std::move(run_id)) {}

RunSession RunSession::begin(RunRecording recording, const nlohmann::json& run_record, const std::string& kind,
                             const std::string& label) {
  RunSession session(std::move(recording), run_record.at("run_id").get<std::string>());
  session.write_history("record the run", [&](ResultsStore& history) { history.begin_run(run_record, kind, label); });
  session.write_line(run_record);
  return session;
}

RunSession RunSession::resume(RunRecording recording, const std::string& run_id) {
  return RunSession(std::move(recording), run_id);
}

size_t RunSession::plan(const ConfigurationPlan& item) {
  Item planned{item, std::nullopt};
  write_history("plan " + item.backend,
                [&](ResultsStore& history) { planned.configuration = history.add_configuration(run_id_, item); });
  items_.push_back(std::move(planned));
  return items_.size() - 1;
}

void RunSession::plan_backends(const Job& job, const std::vector<std::string>& backends) {
  for (size_t i = 0; i < backends.size(); ++i)
    plan({static_cast<int64_t>(i), job.spec.name, backends[i], job.protocol.phases, job.config});
}

ItemOutcome RunSession::run(size_t index, const Job& job, const RunnerFactory& make_runner,
                            const ProgressSink& progress, const MeasurementSink& on_record) {
  const Item& item = items_.at(index);
  if (item.configuration)  // an interrupted earlier attempt leaves nothing behind
    write_history("restart " + item.plan.backend,
                  [&](ResultsStore& history) { history.restart_configuration(*item.configuration); });
  ItemOutcome outcome;
  struct InFlight {  // cleared however run() leaves
    Runner*& slot;
    ~InFlight() { slot = nullptr; }
  } in_flight{in_flight_};
  try {
    const std::unique_ptr<Runner> runner = make_runner(item.plan.backend);
    if (progress) runner->set_progress_sink(progress);
    in_flight_ = runner.get();
    outcome.records = runner->run(job, [&](const Measurement& m) {
      record(item, m);
      if (on_record) on_record(m);
    });
  } catch (const RunFailed& e) {
    outcome.failure_reason = e.reason();
    outcome.failure_message = e.what();
  } catch (const StoreError&) {
    throw;  // the history failed, not the backend
  } catch (const std::exception& e) {
    outcome.failure_reason = "error";
    outcome.failure_message = e.what();
  }
  finish(item, outcome);
  return outcome;
}

void RunSession::cancel() {
  if (in_flight_) in_flight_->cancel();
}

void RunSession::write_line(const nlohmann::json& line) const {
  if (recording_.lines) recording_.lines(line);
}

void RunSession::write_history(const std::string& what, const std::function<void(ResultsStore&)>& write) {
  if (!recording_.history) return;
  try {
    write(*recording_.history);
  } catch (const std::exception& e) {
    if (!recording_.history_lost) throw;
    recording_.history = nullptr;
    recording_.history_lost(what, e.what());
  }
}

void RunSession::record(const Item& item, const Measurement& measurement) {
  write_line(to_json(measurement));
  if (item.configuration)
    write_history("store a measurement",
                  [&](ResultsStore& history) { history.record_measurement(*item.configuration, measurement); });
}

void RunSession::finish(const Item& item, const ItemOutcome& outcome) {
  if (!outcome.done())
    write_line(failure_record(run_id_, item.plan.backend, item.plan.model, item.plan.config, outcome.failure_reason,
                              outcome.failure_message));
  if (!item.configuration || outcome.cancelled()) return;  // cancelled: pending, a resume runs it again
  write_history("mark " + item.plan.backend + " finished", [&](ResultsStore& history) {
    if (outcome.done())
      history.mark_done(*item.configuration);
    else
      history.mark_failed(*item.configuration, outcome.failure_reason, outcome.failure_message);
  });
}

}  // namespace gapscope

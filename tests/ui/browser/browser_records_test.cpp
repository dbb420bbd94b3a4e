// A browser run yields the same record schema as a native run, with what was
// really active, and each job gets its own renderer process.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <set>

#include "tests/ui/browser/browser_test_support.h"

namespace gapscope::test {
namespace {

const nlohmann::json kMlp = {
    {"format", "gapscope.model/1"}, {"name", "mlp-784-32-10"}, {"input", {{"shape", {784}}}},
    {"layers", {{{"type", "dense"}, {"units", 32}, {"activation", "relu"}}, {{"type", "dense"}, {"units", 10}, {"activation", "softmax"}}}},
    {"loss", "categorical_crossentropy"}, {"optimizer", {{"type", "adam"}, {"learning_rate", 0.001}}}};

}  // namespace

TEST_CASE("tfjs-wasm records: every phase, capabilities, no leaked tensors, renderer memory", "[browser][records]") {
  Job job = small_job(kMlp, {"load", "warmup", "infer", "train", "file_size"});
  browser::BrowserRunner runner(shared_session(), "tfjs-wasm");
  std::vector<std::string> streamed;
  const auto records = runner.run(job, [&](const Measurement& m) { streamed.push_back(m.phase); });

  std::map<std::string, const Measurement*> by_phase;
  for (const Measurement& m : records) by_phase[m.phase] = &m;
  for (const char* phase : {"load", "warmup", "infer", "train", "js_memory", "file_size", "memory"}) {
    INFO(phase);
    REQUIRE(by_phase.count(phase));
    CHECK(by_phase[phase]->backend == "tfjs-wasm");
    CHECK(by_phase[phase]->run_id == job.run_id);
    CHECK(by_phase[phase]->config == job.config);
    CHECK(by_phase[phase]->summary.median > 0);
  }
  CHECK(streamed.size() == records.size());
  CHECK(by_phase["train"]->summary.n == job.protocol.train_runs);
  CHECK(by_phase["infer"]->summary.n == job.protocol.infer_runs);

  const Capabilities& caps = by_phase["train"]->capabilities;
  CHECK(caps.at("tfjs_backend") == "wasm");
  CHECK(caps.at("tfjs_version") == "4.22.0");
  CHECK(caps.at("wasm_simd") == "true");
  CHECK(caps.count("threads"));
  CHECK_THAT(caps.at("user_agent"), Catch::Contains("QtWebEngine"));
  // Served cross-origin isolated, so Chromium's timer is fine (5 us), not 100 us.
  CHECK(caps.at("cross_origin_isolated") == "true");
  CHECK(std::stod(caps.at("timer_resolution_ms")) < 0.05);

  CHECK(by_phase["js_memory"]->details.at("leaked_tensors") == 0);
  CHECK(by_phase["file_size"]->format == "tfjs");
  CHECK(by_phase["memory"]->details.at("memory_measure") == "renderer_peak_rss");
  CHECK(by_phase["memory"]->summary.median > 20e6);  // a renderer with TF.js loaded

  // The record survives the JSON-lines round trip with its extra fields.
  const Measurement again = measurement_from_json(to_json(*by_phase["js_memory"]));
  CHECK(again.details == by_phase["js_memory"]->details);
}

TEST_CASE("A browser job reports progress: every training step with its loss and accuracy", "[browser][records]") {
  Job job = small_job(kMlp, {"infer", "train"});
  browser::BrowserRunner runner(shared_session(), "tfjs-wasm");
  std::vector<ProgressEvent> events;
  runner.set_progress_sink([&](const ProgressEvent& e) { events.push_back(e); });
  runner.run(job, nullptr);
  std::vector<ProgressEvent> train;
  for (const auto& e : events)
    if (e.phase == "train") train.push_back(e);
  REQUIRE(train.size() == static_cast<size_t>(job.protocol.train_warmup + job.protocol.train_runs));
  CHECK(train.back().step == train.back().steps);
  for (const auto& e : train) {
    CHECK(std::isfinite(e.loss));
    CHECK(e.accuracy >= 0);
    CHECK(e.accuracy <= 1);
    CHECK(e.ms > 0);
  }
  CHECK(std::any_of(events.begin(), events.end(), [](const auto& e) { return e.phase == "infer"; }));
}

TEST_CASE("Each job runs in a fresh renderer process", "[browser][records]") {
  browser::BrowserRunner runner(shared_session(), "tfjs-cpu");
  runner.run(small_job(kMlp, {"infer"}), nullptr);
  const qint64 first = runner.last_outcome().renderer_pid;
  runner.run(small_job(kMlp, {"infer"}), nullptr);
  const qint64 second = runner.last_outcome().renderer_pid;
  CHECK(first > 0);
  CHECK(second > 0);
  CHECK(first != second);
}

TEST_CASE("Capability queries say what a backend is, or why it is unavailable", "[browser][records]") {
  auto& session = shared_session();
  session.queryCapabilities("tfjs-wasm", std::chrono::seconds(60));
  auto outcome = browser::wait_for_outcome(session);
  REQUIRE(outcome.ok());
  auto caps = nlohmann::json::parse(outcome.value_json.toStdString());
  CHECK(caps["available"] == "true");
  CHECK(caps["wasm_simd"] == "true");

  session.queryCapabilities("no-such-backend", std::chrono::seconds(60));
  outcome = browser::wait_for_outcome(session);
  CHECK(outcome.status == browser::BrowserOutcome::Status::failed);
  CHECK(outcome.error.contains("unknown backend"));
}

}  // namespace gapscope::test

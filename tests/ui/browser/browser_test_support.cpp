#include "tests/ui/browser/browser_test_support.h"

#include "ui/browser/browser_environment.h"

#include <cmath>
#include <limits>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QThread>

#include <catch2/catch.hpp>

#include "core/nn/initial_weights.h"
#include "core/nn/model.h"
#include "core/ops/cpu/cpu_backend.h"
#include "core/spec/model_spec.h"

namespace gapscope::test {

namespace {
std::unique_ptr<browser::BrowserSession> g_session;
}

browser::BrowserSession& shared_session() {
  if (!g_session) g_session = std::make_unique<browser::BrowserSession>();
  return *g_session;
}

void release_shared_session() { g_session.reset(); }

Job small_job(const nlohmann::json& spec_json, std::vector<std::string> phases) {
  Job job;
  job.spec = parse_model_spec(spec_json);
  job.seed = 3;
  job.weights = initial_weights(job.spec, job.seed);
  job.run_id = new_run_id();
  Protocol& p = job.protocol;
  p.batch_size = 16;
  p.load_warmup = 1;
  p.load_runs = 3;
  p.warmup_runs = 2;
  p.infer_warmup = 2;
  p.infer_runs = 5;
  p.train_warmup = 1;
  p.train_runs = 3;
  p.phases = std::move(phases);
  job.config = {{"test", true}};
  return job;
}

Job checks_only_job(const nlohmann::json& spec_json) { return small_job(spec_json, {}); }

std::vector<float> native_predictions(const Job& job, const std::vector<float>& x, int64_t rows) {
  CpuBackend cpu(1);
  Model model(job.spec, cpu, job.seed, &*job.weights);
  std::vector<float> out(static_cast<size_t>(rows * model.output_size()));
  model.predict(std::span<const float>(x).first(static_cast<size_t>(rows * model.input_size())), rows, out);
  return out;
}

std::vector<float> native_losses(const Job& job, const std::vector<float>& x, const std::vector<float>& target,
                                 int steps) {
  CpuBackend cpu(1);
  Model model(job.spec, cpu, job.seed, &*job.weights);
  const int64_t batch = job.protocol.batch_size;
  model.reserve(batch);
  std::vector<float> losses;
  for (int k = 0; k < steps; ++k) {
    model.stage_batch(std::span<const float>(x).first(static_cast<size_t>(batch * model.input_size())),
                      std::span<const float>(target).first(static_cast<size_t>(batch * model.target_size())), batch);
    model.train_step();
    losses.push_back(model.read_loss());
  }
  return losses;
}

std::vector<float> flattened_outputs(const nlohmann::json& record) {
  std::vector<float> out;
  for (const auto& row : record.at("outputs"))
    for (const auto& v : row) out.push_back(v.is_number() ? v.get<float>() : std::numeric_limits<float>::quiet_NaN());
  return out;
}

const nlohmann::json* find_record(const std::vector<nlohmann::json>& records, const std::string& kind) {
  for (const auto& r : records)
    if (r.value("kind", "") == kind) return &r;
  return nullptr;
}

double worst_excess(const std::vector<float>& actual, const std::vector<float>& expected, double rtol, double atol) {
  if (actual.size() != expected.size()) return std::numeric_limits<double>::infinity();
  double worst = -std::numeric_limits<double>::infinity();
  for (size_t i = 0; i < actual.size(); ++i) {
    const double excess = std::abs(double(actual[i]) - expected[i]) - (atol + rtol * std::abs(double(expected[i])));
    if (!std::isfinite(actual[i]) || !std::isfinite(excess)) return std::numeric_limits<double>::infinity();
    worst = std::max(worst, excess);
  }
  return worst;
}

std::vector<std::string> tfjs_backends() {
  std::vector<std::string> backends = {"tfjs-cpu", "tfjs-wasm"};
  if (browser::browser_environment().has_display)
    backends.push_back("tfjs-webgl");
  else if (qEnvironmentVariable("GAPSCOPE_REQUIRE_WEBGL") == "1")
    FAIL("GAPSCOPE_REQUIRE_WEBGL=1 but there is no display (run under xvfb-run)");
  else
    WARN("no display: tfjs-webgl is not checked (run under xvfb-run)");
  return backends;
}

PredictionPair predictions_on_both(const std::string& backend, const nlohmann::json& spec_json, int rows) {
  Job job = checks_only_job(spec_json);
  browser::BrowserRunner runner(shared_session(), backend);
  runner.checks.predict_rows = rows;
  runner.run(job, nullptr);
  const nlohmann::json* predictions = find_record(runner.check_records(), "predictions");
  REQUIRE(predictions != nullptr);
  return {flattened_outputs(*predictions), native_predictions(job, runner.last_job().x, rows)};
}

LossCurves loss_curves_on_both(const std::string& backend, const nlohmann::json& spec_json, int steps) {
  Job job = checks_only_job(spec_json);
  browser::BrowserRunner runner(shared_session(), backend);
  runner.checks.train_steps_check = steps;
  runner.run(job, nullptr);
  const nlohmann::json* curve = find_record(runner.check_records(), "loss_curve");
  REQUIRE(curve != nullptr);
  return {curve->at("losses").get<std::vector<float>>(),
          native_losses(job, runner.last_job().x, runner.last_job().target, steps)};
}

bool wait_until(const std::function<bool()>& predicate, int timeout_ms) {
  QElapsedTimer timer;
  timer.start();
  while (!predicate()) {
    if (timer.elapsed() > timeout_ms) return false;
    QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    QThread::msleep(5);
  }
  return true;
}

}  // namespace gapscope::test

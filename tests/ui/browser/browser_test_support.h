// Shared pieces of the browser tests: one BrowserSession per test binary, small
// protocols, and the native engine's answers on the rows a job sent.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/measure/runner.h"
#include "ui/browser/browser_runner.h"
#include "ui/browser/browser_session.h"

namespace gapscope::test {

browser::BrowserSession& shared_session();
// Called by main before the QApplication goes (QtWebEngine objects must die first).
void release_shared_session();

// A job with a tiny protocol (a few runs per phase) for `spec_json`.
Job small_job(const nlohmann::json& spec_json, std::vector<std::string> phases = {"load", "warmup", "infer", "train"});
// A job that runs no timed phase (checks only).
Job checks_only_job(const nlohmann::json& spec_json);

// Native-cpu outputs for the first `rows` rows of x (same weights as the job).
std::vector<float> native_predictions(const Job& job, const std::vector<float>& x, int64_t rows);
// Native-cpu losses of `steps` training steps on the first batch of the job's data.
std::vector<float> native_losses(const Job& job, const std::vector<float>& x, const std::vector<float>& target,
                                 int steps);

// The outputs of a predictions record, flattened row by row.
std::vector<float> flattened_outputs(const nlohmann::json& predictions_record);
const nlohmann::json* find_record(const std::vector<nlohmann::json>& records, const std::string& kind);

// The TF.js backends this machine runs: cpu, wasm, and webgl where there is a
// display (with GAPSCOPE_REQUIRE_WEBGL=1 a missing display fails the test).
std::vector<std::string> tfjs_backends();
// Predictions agree within kRelative * |native| + kAbsolute: TF.js's backends
// differ among themselves by ~5e-7 (NOTES.md); the absolute part covers
// outputs near zero, where relative error is void.
constexpr double kRelative = 1e-4, kAbsolute = 1e-5;

// |a - b| <= atol + rtol * |b| for every element; returns the worst excess
// (<= 0 when all pass). NaN never passes.
double worst_excess(const std::vector<float>& actual, const std::vector<float>& expected, double rtol, double atol);

// The first `rows` predictions of `backend` and of native-cpu, same weights and rows.
struct PredictionPair {
  std::vector<float> browser, native;
};
PredictionPair predictions_on_both(const std::string& backend, const nlohmann::json& spec_json, int rows = 8);
// The losses of `steps` training steps on the first batch, from the same
// weights, in `backend` and natively.
struct LossCurves {
  std::vector<float> browser, native;
};
LossCurves loss_curves_on_both(const std::string& backend, const nlohmann::json& spec_json, int steps);

// Runs until `predicate` holds or `timeout_ms` passes (processing Qt events).
bool wait_until(const std::function<bool()>& predicate, int timeout_ms);

}  // namespace gapscope::test

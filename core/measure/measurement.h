// A measurement record: one phase of one run on one backend. Every runner
// (native, browser) emits the same JSON-lines schema, documented in
// docs/measurement-schema.md, so comparisons and reports are backend-agnostic.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/measure/statistics.h"
#include "core/ops/ops_backend.h"

namespace gapscope {

inline constexpr const char* kMeasurementSchema = "gapscope.measurement/1";

struct Measurement {
  std::string run_id;
  std::string backend;          // "native-cpu", "tfjs-wasm", ...
  std::string model;            // spec name
  nlohmann::json config;        // preset, depth, width, batch, threads, ...
  std::string phase;            // load | warmup | infer | train | file_size | file_load | memory | ...
  std::string unit;             // ms | bytes | ratio
  std::string format;           // file_size and file_load only: native | json | tfjs
  int64_t warmup = 0;           // untimed runs before the sample
  std::vector<double> samples;
  SampleSummary summary;
  Capabilities capabilities;
  // Fields a runner adds beyond the common ones (e.g. the browser's
  // memory_measure, leaked_tensors); kept through to_json/measurement_from_json.
  nlohmann::json details = nlohmann::json::object();
};

// Fills summary from samples.
Measurement make_measurement(std::string phase, std::string unit, std::vector<double> samples);
nlohmann::json to_json(const Measurement& m);
Measurement measurement_from_json(const nlohmann::json& j);

// A run that failed ("kind": "failure"): which backend, why (a short reason
// word) and the message; tables and reports show it instead of numbers.
nlohmann::json failure_record(const std::string& run_id, const std::string& backend, const std::string& model,
                              const nlohmann::json& config, const std::string& reason, const std::string& message);

// Machine and software facts recorded once per run ("kind": "run" record).
nlohmann::json run_metadata(const std::string& run_id);
std::string new_run_id();

}  // namespace gapscope

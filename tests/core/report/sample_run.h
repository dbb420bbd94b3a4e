// A hand-built stored run for the report tests: a paper-dnn sweep over depth
// {1, 2} x width {64, 128} on native-cpu and tfjs-wasm in two rounds, every
// phase measured, plus one brainjs configuration that failed; and ratios and
// a tree made by hand from it.
#pragma once
#include <cmath>
#include <string>
#include <vector>

#include "core/analysis/ratio_analysis.h"
#include "core/store/results_store.h"

namespace report_test {

using namespace gapscope;

inline const std::string kFailureMessage = "brainjs: unsupported activation 'softmax', \"quoted\"\nsecond line <b>&";

inline Measurement sample_measurement(const std::string& phase, const std::string& unit, std::vector<double> samples,
                                      int64_t warmup, const Capabilities& caps, const std::string& format = "") {
  Measurement m = make_measurement(phase, unit, std::move(samples));
  m.warmup = warmup;
  m.capabilities = caps;
  m.format = format;
  return m;
}

inline StoredConfiguration sample_configuration(int64_t index, const std::string& backend, int64_t depth, int64_t width,
                                                int round, bool with_measurements = true) {
  StoredConfiguration c;
  c.run_id = "20261126T061500Z-abcdef";
  c.plan.index = index;
  c.plan.backend = backend;
  c.plan.model = "paper-dnn-" + std::to_string(depth) + "x" + std::to_string(width);
  c.plan.config = {{"preset", "paper-dnn"}, {"depth", depth}, {"width", width}, {"batch", 64},
                   {"round", round},        {"rounds", 2},    {"seed", 7}};
  c.status = ConfigurationStatus::done;
  if (!with_measurements) return c;
  const bool native = backend.rfind("native-", 0) == 0;
  const Capabilities caps =
      native ? Capabilities{{"threads", "16"}, {"simd", "avx2+fma"}}
             : Capabilities{{"framework", "tfjs"}, {"tfjs_backend", "wasm"}, {"tfjs_version", "4.22.0"},
                            {"wasm_simd", "true"}, {"wasm_threads", "false"}, {"threads", "1"}};
  const double size = static_cast<double>(depth * width);  // time grows with the model
  const double slow = native ? 1 : 3;
  const double r = round;
  c.measurements.push_back(sample_measurement("load", "ms", {size / 50 * slow, size / 45 * slow + r}, 1, caps));
  c.measurements.push_back(sample_measurement("warmup", "ms", {size / 20 * slow, size / 21 * slow}, 0, caps));
  c.measurements.push_back(
      sample_measurement("infer", "ms", {size / 1000 * slow, size / 900 * slow, size / 950 * slow + r}, 10, caps));
  c.measurements.push_back(
      sample_measurement("train", "ms", {size / 10 * slow, size / 9 * slow, size / 11 * slow + r}, 2, caps));
  c.measurements.push_back(sample_measurement("memory", "bytes", {50e6 + size * 1000}, 0, caps));
  if (native) c.measurements.push_back(sample_measurement("cpu_utilisation", "ratio", {1.8 + r / 10}, 2, caps));
  if (round == 0) {
    if (native) {
      c.measurements.push_back(sample_measurement("file_size", "bytes", {size * 4000}, 0, caps, "native"));
      c.measurements.push_back(sample_measurement("file_size", "bytes", {size * 11000}, 0, caps, "json"));
    } else {
      c.measurements.push_back(sample_measurement("file_size", "bytes", {size * 4100}, 0, caps, "tfjs"));
    }
  }
  for (Measurement& m : c.measurements) {
    m.run_id = c.run_id;
    m.backend = backend;
    m.model = c.plan.model;
    m.config = {{"threads", native ? 16 : 1}};
  }
  return c;
}

inline StoredRun sample_run() {
  StoredRun run;
  run.summary.id = "20261126T061500Z-abcdef";
  run.summary.kind = "sweep";
  run.summary.label = "paper-fig1-4 <trimmed>";
  run.summary.created = "2026-11-26T06:15:00Z";
  run.summary.metadata = {
      {"schema", "gapscope.measurement/1"},
      {"kind", "run"},
      {"run_id", run.summary.id},
      {"started", "2026-11-26T06:15:00Z"},
      {"machine", {{"cpu", "Test CPU 9000"}, {"hardware_threads", 16}, {"vulkan_device", "llvmpipe (cpu, Mesa)"}}},
      {"software",
       {{"gapscope", "0.3.0"},
        {"git_revision", "abc1234"},
        {"compiler", "gcc 12.2.0"},
        {"qt", "6.4.2"},
        {"qtwebengine", "6.4.2 (Chromium 102.0.5005.177)"},
        {"tfjs", "4.22.0"},
        {"chromium_flags", "--enable-unsafe-swiftshader"}}},
      {"seed", 7},
      {"flags", "--preset paper-fig1-4"},
      {"sweep",
       {{"name", "paper-fig1-4"}, {"model", "paper-dnn"}, {"depths", {1, 2}}, {"widths", {64, 128}},
        {"backends", {"native-cpu", "tfjs-wasm", "brainjs"}}, {"rounds", 2}, {"batch", 64}, {"seed", 7}}}};
  run.summary.facts = run_facts_from_metadata(run.summary.metadata);
  int64_t index = 0;
  for (int round = 0; round < 2; ++round)
    for (const int64_t depth : {1, 2})
      for (const int64_t width : {64, 128})
        for (const char* backend : {"native-cpu", "tfjs-wasm"})
          run.configurations.push_back(sample_configuration(index++, backend, depth, width, round));
  StoredConfiguration failed = sample_configuration(index++, "brainjs", 1, 64, 0, false);
  failed.status = ConfigurationStatus::failed;
  failed.failure_reason = "unsupported";
  failed.failure_message = kFailureMessage;
  run.configurations.push_back(failed);
  run.summary.configurations = static_cast<int64_t>(run.configurations.size());
  return run;
}

// tfjs-wasm is 3x slower everywhere but 4x when training the wider model.
inline RatioAnalysis sample_analysis() {
  RatioAnalysis analysis;
  std::vector<Sample> samples;
  for (const char* task : {"train", "infer"})
    for (const int64_t depth : {1, 2})
      for (const int64_t width : {64, 128}) {
        const double ratio = std::string(task) == "train" && width == 128 ? 4 : 3;
        const double native = static_cast<double>(depth * width) / (std::string(task) == "train" ? 10 : 1000);
        analysis.points.push_back({"paper-dnn", depth, width, "tfjs-wasm", "native-cpu", task, native * ratio, native, ratio});
        samples.push_back({{std::string("tfjs-wasm"), std::string(task), static_cast<double>(depth),
                            static_cast<double>(width)},
                           std::log10(ratio)});
      }
  analysis.tree = RegressionTree::fit({{"backend", true}, {"task", true}, {"depth", false}, {"width", false}}, samples);
  analysis.notes = {"1 browser measurement had no <native> counterpart"};
  return analysis;
}

}  // namespace report_test

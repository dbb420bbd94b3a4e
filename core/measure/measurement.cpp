#include "core/measure/measurement.h"

#include <chrono>
#include <ctime>
#include <random>
#include <set>

#include "core/measure/process_stats.h"
#include "core/build_info.h"

namespace gapscope {

Measurement make_measurement(std::string phase, std::string unit, std::vector<double> samples) {
  Measurement m;
  m.phase = std::move(phase);
  m.unit = std::move(unit);
  m.summary = summarize(samples);
  m.samples = std::move(samples);
  return m;
}

nlohmann::json to_json(const Measurement& m) {
  nlohmann::json j = {{"schema", kMeasurementSchema}, {"kind", "measurement"},
                      {"run_id", m.run_id},           {"backend", m.backend},
                      {"model", m.model},             {"config", m.config},
                      {"phase", m.phase},             {"unit", m.unit},
                      {"median", m.summary.median},   {"p10", m.summary.p10},
                      {"p90", m.summary.p90},         {"mean", m.summary.mean},
                      {"min", m.summary.min},         {"max", m.summary.max},
                      {"n", m.summary.n},             {"warmup", m.warmup},
                      {"samples", m.samples},         {"capabilities", m.capabilities}};
  if (!m.format.empty()) j["format"] = m.format;
  if (m.config.is_null()) j["config"] = nlohmann::json::object();
  if (m.details.is_object())
    for (const auto& [key, value] : m.details.items())
      if (!j.contains(key)) j[key] = value;
  return j;
}

Measurement measurement_from_json(const nlohmann::json& j) {
  if (j.value("schema", "") != kMeasurementSchema)
    throw std::invalid_argument("not a " + std::string(kMeasurementSchema) + " record");
  Measurement m = make_measurement(j.at("phase").get<std::string>(), j.at("unit").get<std::string>(),
                                   j.at("samples").get<std::vector<double>>());
  m.run_id = j.value("run_id", "");
  m.backend = j.at("backend").get<std::string>();
  m.model = j.value("model", "");
  m.config = j.value("config", nlohmann::json::object());
  m.format = j.value("format", "");
  m.warmup = j.value("warmup", 0);
  m.capabilities = j.value("capabilities", Capabilities{});
  static const std::set<std::string> common = {
      "schema", "kind", "run_id", "backend", "model", "config", "phase", "unit", "median", "p10",
      "p90", "mean", "min", "max", "n", "warmup", "samples", "capabilities", "format"};
  for (const auto& [key, value] : j.items())
    if (!common.count(key)) m.details[key] = value;
  return m;
}

nlohmann::json failure_record(const std::string& run_id, const std::string& backend, const std::string& model,
                              const nlohmann::json& config, const std::string& reason, const std::string& message) {
  return {{"schema", kMeasurementSchema}, {"kind", "failure"}, {"run_id", run_id},
          {"backend", backend},           {"model", model},     {"config", config.is_object() ? config : nlohmann::json::object()},
          {"reason", reason},             {"error", message}};
}

std::string new_run_id() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", std::gmtime(&t));
  std::random_device rd;
  char suffix[8];
  std::snprintf(suffix, sizeof suffix, "%06x", rd() & 0xFFFFFF);
  return std::string(stamp) + "-" + suffix;
}

nlohmann::json run_metadata(const std::string& run_id) {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  char iso[32];
  std::strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return {{"schema", kMeasurementSchema},
          {"kind", "run"},
          {"run_id", run_id},
          {"started", iso},
          {"machine",
           {{"cpu", cpu_model_name()},
            {"hardware_threads", hardware_threads()},
            {"memory_bytes", total_memory_bytes()},
            {"os", operating_system_name()}}},
          {"software",
           {{"gapscope", GAPSCOPE_VERSION},
            {"git_revision", git_revision()},
            {"compiler", compiler_description()}}}};
}

}  // namespace gapscope

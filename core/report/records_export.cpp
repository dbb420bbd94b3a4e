#include "core/report/records_export.h"

#include "core/report/report_numbers.h"
#include "core/report/report_vocabulary.h"

namespace gapscope {
namespace {

const std::vector<std::string> kColumns = {"run_id",  "configuration", "model", "preset",  "depth",   "width",
                                           "batch",   "round",         "backend", "status", "phase",  "format",
                                           "unit",    "n",             "warmup", "median",  "p10",    "p90",
                                           "mean",    "min",           "max",    "samples", "capabilities",
                                           "reason",  "message"};

std::string optional_text(const std::optional<int64_t>& value) { return value ? std::to_string(*value) : ""; }

std::string csv_row(const std::vector<std::string>& fields) {
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) line += (i ? "," : "") + csv_field(fields[i]);
  return line + "\r\n";
}

// The columns every row of a configuration shares, up to status.
std::vector<std::string> configuration_fields(const StoredRun& run, const StoredConfiguration& c) {
  const GridPoint point = grid_point(c);
  const std::string run_id = !c.run_id.empty() ? c.run_id : run.summary.id;
  return {run_id,
          std::to_string(c.plan.index),
          c.plan.model,
          point.preset,
          optional_text(point.depth),
          optional_text(point.width),
          optional_text(point.batch),
          optional_text(point.round),
          c.plan.backend,
          to_string(c.status)};
}

std::string samples_text(const std::vector<double>& samples) {
  std::string text;
  for (const double s : samples) text += (text.empty() ? "" : " ") + format_exact(s);
  return text;
}

std::string capabilities_text(const Capabilities& capabilities) {
  std::string text;
  for (const auto& [key, value] : capabilities) text += (text.empty() ? "" : ";") + key + "=" + value;
  return text;
}

std::string json_line(const nlohmann::json& record) {
  // A message with broken UTF-8 (a crashed renderer's output) must not stop the export.
  return record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (const char c : text) quoted += c == '"' ? "\"\"" : std::string(1, c);
  return quoted + "\"";
}

std::string records_csv(const StoredRun& run) {
  std::string csv = csv_row(kColumns);
  for (const StoredConfiguration& c : run.configurations) {
    const std::vector<std::string> shared = configuration_fields(run, c);
    for (const Measurement& m : c.measurements) {
      std::vector<std::string> row = shared;
      if (!m.backend.empty()) row[8] = m.backend;
      const SampleSummary& s = m.summary;
      for (const std::string& field :
           {m.phase, m.format, m.unit, std::to_string(s.n), std::to_string(m.warmup), format_exact(s.median),
            format_exact(s.p10), format_exact(s.p90), format_exact(s.mean), format_exact(s.min), format_exact(s.max),
            samples_text(m.samples), capabilities_text(m.capabilities), std::string(), std::string()})
        row.push_back(field);
      csv += csv_row(row);
    }
    if (c.status == ConfigurationStatus::failed) {
      std::vector<std::string> row = shared;
      row.resize(kColumns.size() - 2);  // no measurement columns
      row.push_back(c.failure_reason.value_or(""));
      row.push_back(c.failure_message.value_or(""));
      csv += csv_row(row);
    }
  }
  return csv;
}

std::string records_json(const StoredRun& run) {
  nlohmann::json metadata = run.summary.metadata;
  if (!metadata.is_object() || metadata.empty())
    metadata = {{"schema", kMeasurementSchema}, {"kind", "run"}, {"run_id", run.summary.id}};
  std::string lines = json_line(metadata);
  for (const StoredConfiguration& c : run.configurations)
    for (const Measurement& stored : c.measurements) {
      Measurement m = stored;
      // The plan's config is what the store searches by; keep what the runner added besides.
      nlohmann::json config = m.config.is_object() ? m.config : nlohmann::json::object();
      if (c.plan.config.is_object()) config.update(c.plan.config);
      m.config = config;
      if (m.run_id.empty()) m.run_id = !c.run_id.empty() ? c.run_id : run.summary.id;
      if (m.backend.empty()) m.backend = c.plan.backend;
      if (m.model.empty()) m.model = c.plan.model;
      lines += json_line(to_json(m));
    }
  for (const StoredConfiguration& c : run.configurations)
    if (c.status == ConfigurationStatus::failed)
      lines += json_line(failure_record(!c.run_id.empty() ? c.run_id : run.summary.id, c.plan.backend, c.plan.model,
                                        c.plan.config, c.failure_reason.value_or(""),
                                        c.failure_message.value_or("")));
  return lines;
}

}  // namespace gapscope

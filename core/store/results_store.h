// The run history: an SQLite file of runs (with machine and software facts),
// their configurations and every measurement. Each write is its own committed
// transaction, so a process killed mid-sweep loses at most the configuration
// in flight, and a resumed sweep asks which configurations are done.
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/measure/measurement.h"
#include "core/store/history_file.h"
#include "core/store/run_facts.h"
#include "core/store/schema_migration.h"
#include "core/store/sqlite_handle.h"
#include "core/store/store_error.h"

namespace gapscope {

enum class ConfigurationStatus { pending, done, failed };
const char* to_string(ConfigurationStatus status);

// What a run plans to measure: one model on one backend with one config.
// preset/depth/width/batch are read from config for searching.
struct ConfigurationPlan {
  int64_t index = 0;  // position in the run's plan, stable across a resume
  std::string model;
  std::string backend;
  std::vector<std::string> phases;
  nlohmann::json config = nlohmann::json::object();
};

struct StoredConfiguration {
  int64_t id = 0;
  std::string run_id;
  ConfigurationPlan plan;
  std::optional<std::string> preset;
  std::optional<int64_t> depth, width, batch;
  ConfigurationStatus status = ConfigurationStatus::pending;
  std::optional<std::string> failure_reason, failure_message;
  std::vector<Measurement> measurements;  // only filled by load_run
};

struct RunSummary {
  std::string id;
  std::string created;
  std::string kind;
  std::string label;
  RunFacts facts;
  nlohmann::json metadata;  // the whole run record as given
  int64_t configurations = 0, done = 0, failed = 0;
};

struct StoredRun {
  RunSummary summary;
  std::vector<StoredConfiguration> configurations;  // by index
};

// Every field optional; all given ones must match.
struct RunFilter {
  std::optional<std::string> kind = std::nullopt;
  std::optional<std::string> backend = std::nullopt;         // some configuration on it
  std::optional<std::string> model_contains = std::nullopt;  // some configuration's model name has it
  std::optional<std::string> created_from = std::nullopt;    // ISO-8601 UTC, inclusive
  std::optional<std::string> created_before = std::nullopt;  // exclusive
};

class ResultsStore {
 public:
  // Opens a gapscope history as `access` allows (history_file.h): `record`
  // creates a missing file with the current schema; an older one is migrated
  // (unless it is read-only: `read` takes read-only files). Throws StoreError
  // naming the file for anything else: no such file, an empty file, a newer,
  // corrupt or foreign one, one it may not write; that file is then left byte
  // for byte as it was.
  static ResultsStore open(const std::filesystem::path& path, StoreAccess access = StoreAccess::record);
  // The same with another migration list (tests of the migration mechanism).
  static ResultsStore open(const std::filesystem::path& path, const Migrations& migrations,
                           StoreAccess access = StoreAccess::record);

  const std::filesystem::path& path() const { return path_; }
  int64_t schema_version() const;

  // Records a run from its metadata record (run_metadata(): "run_id",
  // "started", "machine", "software"...). Throws if the id is already stored
  // or `kind` is not one of kRunKinds (run_filter_values.h).
  void begin_run(const nlohmann::json& metadata, const std::string& kind = "run", const std::string& label = "");
  bool has_run(const std::string& run_id) const;

  // Adds a pending configuration and returns its id. Adding the same index
  // again (a resumed run) returns the stored one if it is the same plan, and
  // throws if it is a different one.
  int64_t add_configuration(const std::string& run_id, const ConfigurationPlan& plan);

  // Stores one measurement of a configuration. The same (configuration,
  // phase, format) again replaces the earlier one: a re-measured phase
  // supersedes, it never duplicates.
  void record_measurement(int64_t configuration_id, const Measurement& measurement);

  // Drops what an earlier, interrupted attempt recorded and sets it pending
  // again: a resumed configuration starts clean (one transaction).
  void restart_configuration(int64_t configuration_id);

  void mark_done(int64_t configuration_id);
  void mark_failed(int64_t configuration_id, const std::string& reason, const std::string& message);

  // Newest first.
  std::vector<RunSummary> list_runs(const RunFilter& filter = {}) const;
  // Throws StoreError if there is no such run.
  StoredRun load_run(const std::string& run_id) const;
  // The indexes of run_id's configurations that are done (a resume skips them).
  std::vector<int64_t> done_configurations(const std::string& run_id) const;
  // With its configurations and measurements; false if there was no such run.
  bool delete_run(const std::string& run_id);

  // "ok", or SQLite's list of problems.
  std::string integrity_check() const;

 private:
  ResultsStore(std::filesystem::path path, sqlite::Connection db);
  std::vector<RunSummary> query_runs(const RunFilter& filter, const std::optional<std::string>& id) const;
  StoredConfiguration read_configuration(const sqlite::Statement& row) const;
  std::vector<Measurement> measurements_of(int64_t configuration_id) const;
  void set_status(int64_t configuration_id, ConfigurationStatus status, const std::optional<std::string>& reason,
                  const std::optional<std::string>& message);

  std::filesystem::path path_;
  sqlite::Connection db_;
};

}  // namespace gapscope

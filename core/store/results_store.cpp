#include "core/store/results_store.h"

#include <algorithm>
#include <chrono>
#include <ctime>

#include "core/base/json_text.h"
#include "core/store/results_schema.h"
#include "core/store/run_filter_values.h"

namespace gapscope {

namespace {

std::string utc_now() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char iso[32];
  std::strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return iso;
}

ConfigurationStatus status_from(const std::string& text) {
  if (text == "done") return ConfigurationStatus::done;
  if (text == "failed") return ConfigurationStatus::failed;
  return ConfigurationStatus::pending;
}

// Reads what the store wrote as JSON (run records, plans, measurements),
// parsed by parse_json_text (depth limit). A file changed or damaged outside
// gapscope gives a StoreError naming the file and the row, never a JSON
// exception.
template <class Read>
auto stored_json(const std::filesystem::path& path, const std::string& what, Read read) -> decltype(read()) {
  const auto damaged = [&](const std::exception& e) {
    return StoreError("results store " + path.string() + ": " + what + " is not what gapscope writes: " + e.what());
  };
  try {
    return read();
  } catch (const nlohmann::json::exception& e) {
    throw damaged(e);
  } catch (const SpecError& e) {
    throw damaged(e);
  } catch (const std::invalid_argument& e) {
    throw damaged(e);
  }
}

template <class T>
std::optional<T> optional_field(const nlohmann::json& config, const char* key) {
  if (!config.is_object() || !config.contains(key)) return std::nullopt;
  const auto& value = config.at(key);
  if constexpr (std::is_same_v<T, std::string>) {
    if (value.is_string()) return value.get<std::string>();
  } else {
    if (value.is_number_integer()) return value.get<T>();
  }
  return std::nullopt;
}

constexpr const char* kConfigurationColumns =
    "id, run_id, position, model, backend, phases, config, preset, depth, width, batch, status, "
    "failure_reason, failure_message";

}  // namespace

const char* to_string(ConfigurationStatus status) {
  switch (status) {
    case ConfigurationStatus::done: return "done";
    case ConfigurationStatus::failed: return "failed";
    case ConfigurationStatus::pending: break;
  }
  return "pending";
}

ResultsStore ResultsStore::open(const std::filesystem::path& path, StoreAccess access) {
  return open(path, results_migrations(), access);
}

ResultsStore ResultsStore::open(const std::filesystem::path& path, const Migrations& migrations, StoreAccess access) {
  if (!check_history_file(path, access)) create_history_file(path, migrations);
  sqlite::Connection db = sqlite::open_connection(path, sqlite::OpenMode::existing);
  // A GUI and a CLI sweep may share the file: wait for the other's write lock.
  sqlite3_busy_timeout(db.get(), 5000);
  // Everything before the migration only reads: a refused file stays as it was.
  check_schema_openable(db.get(), path, migrations);
  if (access != StoreAccess::read) check_history_writable(db.get(), path);
  if (sqlite3_db_readonly(db.get(), "main") == 1) {
    const auto version = gapscope::schema_version(db.get(), path), target = static_cast<int64_t>(migrations.size());
    if (version != target)
      throw StoreError("results store " + path.string() + " has schema version " + std::to_string(version) +
                       " and needs migrating to " + std::to_string(target) +
                       ", but it is read-only to this user; it was left untouched");
    return ResultsStore(path, std::move(db));
  }
  // Every history gapscope makes is WAL (create_history_file); files of older
  // versions were made WAL when they were opened.
  sqlite::exec(db.get(), "PRAGMA journal_mode = WAL");
  sqlite::exec(db.get(), "PRAGMA foreign_keys = ON");
  migrate_schema(db.get(), path, migrations);
  return ResultsStore(path, std::move(db));
}

ResultsStore::ResultsStore(std::filesystem::path path, sqlite::Connection db)
    : path_(std::move(path)), db_(std::move(db)) {}

int64_t ResultsStore::schema_version() const { return gapscope::schema_version(db_.get(), path_); }

void ResultsStore::begin_run(const nlohmann::json& metadata, const std::string& kind, const std::string& label) {
  const std::string run_id = metadata.value("run_id", "");
  if (run_id.empty()) throw StoreError("results store " + path_.string() + ": a run record needs a run_id");
  if (has_run(run_id)) throw StoreError("results store " + path_.string() + ": run " + run_id + " is already stored");
  if (std::find(kRunKinds.begin(), kRunKinds.end(), kind) == kRunKinds.end())
    throw StoreError("results store " + path_.string() + ": '" + kind + "' is not a kind of run (run_filter_values.h)");
  const RunFacts facts = run_facts_from_metadata(metadata);
  sqlite::Statement insert(db_.get(),
                           "INSERT INTO runs (id, created, kind, label, app_version, git_revision, cpu_model, "
                           "hardware_threads, vulkan_device, qt_version, qtwebengine_version, chromium_version, "
                           "chromium_flags, tfjs_version, compiler, seed, flags, record) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)");
  insert.bind(1, run_id).bind(2, facts.started.value_or(utc_now())).bind(3, kind).bind(4, label);
  insert.bind(5, facts.app_version).bind(6, facts.git_revision).bind(7, facts.cpu_model);
  insert.bind(8, facts.hardware_threads).bind(9, facts.vulkan_device).bind(10, facts.qt_version);
  insert.bind(11, facts.qtwebengine_version).bind(12, facts.chromium_version).bind(13, facts.chromium_flags);
  insert.bind(14, facts.tfjs_version).bind(15, facts.compiler).bind(16, facts.seed).bind(17, facts.flags);
  insert.bind(18, metadata.dump());
  insert.run();
}

bool ResultsStore::has_run(const std::string& run_id) const {
  sqlite::Statement query(db_.get(), "SELECT 1 FROM runs WHERE id = ?1");
  query.bind(1, run_id);
  return query.step();
}

int64_t ResultsStore::add_configuration(const std::string& run_id, const ConfigurationPlan& plan) {
  const std::string phases = nlohmann::json(plan.phases).dump();
  const nlohmann::json config = plan.config.is_null() ? nlohmann::json::object() : plan.config;
  sqlite::Transaction transaction(db_.get());
  sqlite::Statement existing(db_.get(),
                             "SELECT id, model, backend, phases, config FROM configurations "
                             "WHERE run_id = ?1 AND position = ?2");
  existing.bind(1, run_id).bind(2, plan.index);
  if (existing.step()) {
    const bool same = existing.text(1) == plan.model && existing.text(2) == plan.backend &&
                      existing.text(3) == phases &&
                      stored_json(path_, "the plan of configuration " + std::to_string(existing.integer(0)),
                                  [&] { return parse_json_text(existing.text(4)); }) == config;
    if (!same)
      throw StoreError("results store " + path_.string() + ": run " + run_id +
                       " already has a different configuration " + std::to_string(plan.index));
    return existing.integer(0);
  }
  if (!has_run(run_id)) throw StoreError("results store " + path_.string() + ": no run " + run_id);
  sqlite::Statement insert(db_.get(),
                           "INSERT INTO configurations (run_id, position, model, preset, depth, width, batch, "
                           "backend, phases, config) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  insert.bind(1, run_id).bind(2, plan.index).bind(3, plan.model);
  insert.bind(4, optional_field<std::string>(config, "preset")).bind(5, optional_field<int64_t>(config, "depth"));
  insert.bind(6, optional_field<int64_t>(config, "width")).bind(7, optional_field<int64_t>(config, "batch"));
  insert.bind(8, plan.backend).bind(9, phases).bind(10, config.dump());
  insert.run();
  const int64_t id = sqlite3_last_insert_rowid(db_.get());
  transaction.commit();
  return id;
}

void ResultsStore::record_measurement(int64_t configuration_id, const Measurement& m) {
  // One statement, so one implicit transaction: committed when it returns.
  sqlite::Statement upsert(
      db_.get(),
      "INSERT INTO measurements (configuration_id, backend, phase, format, unit, median, p10, p90, mean, min, max, "
      "n, warmup, samples, capabilities, record) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16) "
      "ON CONFLICT (configuration_id, phase, format) DO UPDATE SET backend = excluded.backend, "
      "unit = excluded.unit, median = excluded.median, p10 = excluded.p10, p90 = excluded.p90, "
      "mean = excluded.mean, min = excluded.min, max = excluded.max, n = excluded.n, warmup = excluded.warmup, "
      "samples = excluded.samples, capabilities = excluded.capabilities, record = excluded.record");
  const SampleSummary& s = m.summary;
  upsert.bind(1, configuration_id).bind(2, m.backend).bind(3, m.phase).bind(4, m.format).bind(5, m.unit);
  upsert.bind(6, s.median).bind(7, s.p10).bind(8, s.p90).bind(9, s.mean).bind(10, s.min).bind(11, s.max);
  upsert.bind(12, s.n).bind(13, m.warmup);
  upsert.bind(14, nlohmann::json(m.samples).dump()).bind(15, nlohmann::json(m.capabilities).dump());
  upsert.bind(16, to_json(m).dump());
  upsert.run();
}

void ResultsStore::restart_configuration(int64_t configuration_id) {
  sqlite::Transaction transaction(db_.get());
  sqlite::Statement clear(db_.get(), "DELETE FROM measurements WHERE configuration_id = ?1");
  clear.bind(1, configuration_id);
  clear.run();
  set_status(configuration_id, ConfigurationStatus::pending, std::nullopt, std::nullopt);
  transaction.commit();
}

void ResultsStore::set_status(int64_t configuration_id, ConfigurationStatus status,
                              const std::optional<std::string>& reason, const std::optional<std::string>& message) {
  sqlite::Statement update(db_.get(),
                           "UPDATE configurations SET status = ?2, failure_reason = ?3, failure_message = ?4 "
                           "WHERE id = ?1");
  update.bind(1, configuration_id).bind(2, to_string(status)).bind(3, reason).bind(4, message);
  update.run();
  if (sqlite3_changes(db_.get()) == 0)
    throw StoreError("results store " + path_.string() + ": no configuration " + std::to_string(configuration_id));
}

void ResultsStore::mark_done(int64_t configuration_id) {
  set_status(configuration_id, ConfigurationStatus::done, std::nullopt, std::nullopt);
}

void ResultsStore::mark_failed(int64_t configuration_id, const std::string& reason, const std::string& message) {
  set_status(configuration_id, ConfigurationStatus::failed, reason, message);
}

std::vector<RunSummary> ResultsStore::list_runs(const RunFilter& filter) const {
  return query_runs(filter, std::nullopt);
}

std::vector<RunSummary> ResultsStore::query_runs(const RunFilter& filter, const std::optional<std::string>& id) const {
  // Absent filters bind NULL and drop out: one fixed statement for every combination.
  sqlite::Statement query(
      db_.get(),
      "SELECT r.id, r.created, r.kind, r.label, r.record, "
      "(SELECT count(*) FROM configurations c WHERE c.run_id = r.id), "
      "(SELECT count(*) FROM configurations c WHERE c.run_id = r.id AND c.status = 'done'), "
      "(SELECT count(*) FROM configurations c WHERE c.run_id = r.id AND c.status = 'failed') "
      "FROM runs r "
      "WHERE (?1 IS NULL OR r.kind = ?1) "
      "AND (?2 IS NULL OR EXISTS (SELECT 1 FROM configurations c WHERE c.run_id = r.id AND c.backend = ?2)) "
      "AND (?3 IS NULL OR EXISTS (SELECT 1 FROM configurations c WHERE c.run_id = r.id AND instr(c.model, ?3) > 0)) "
      "AND (?4 IS NULL OR r.created >= ?4) AND (?5 IS NULL OR r.created < ?5) AND (?6 IS NULL OR r.id = ?6) "
      "ORDER BY r.created DESC, r.rowid DESC");
  query.bind(1, filter.kind).bind(2, filter.backend).bind(3, filter.model_contains);
  query.bind(4, filter.created_from).bind(5, filter.created_before).bind(6, id);
  std::vector<RunSummary> runs;
  while (query.step()) {
    RunSummary run;
    run.id = query.text(0);
    run.created = query.text(1);
    run.kind = query.text(2);
    run.label = query.text(3);
    stored_json(path_, "the record of run '" + run.id + "'", [&] {
      run.metadata = parse_json_text(query.text(4));
      if (!run.metadata.is_object())
        throw std::invalid_argument(std::string("a run record is a JSON object, this is ") + run.metadata.type_name());
      run.facts = run_facts_from_metadata(run.metadata);
    });
    run.configurations = query.integer(5);
    run.done = query.integer(6);
    run.failed = query.integer(7);
    runs.push_back(std::move(run));
  }
  return runs;
}

StoredConfiguration ResultsStore::read_configuration(const sqlite::Statement& row) const {
  StoredConfiguration c;
  c.id = row.integer(0);
  c.run_id = row.text(1);
  c.plan.index = row.integer(2);
  c.plan.model = row.text(3);
  c.plan.backend = row.text(4);
  stored_json(path_, "the plan of configuration " + std::to_string(c.id), [&] {
    c.plan.phases = parse_json_text(row.text(5)).get<std::vector<std::string>>();
    c.plan.config = parse_json_text(row.text(6));
  });
  c.preset = row.optional_text(7);
  c.depth = row.optional_integer(8);
  c.width = row.optional_integer(9);
  c.batch = row.optional_integer(10);
  c.status = status_from(row.text(11));
  c.failure_reason = row.optional_text(12);
  c.failure_message = row.optional_text(13);
  return c;
}

std::vector<Measurement> ResultsStore::measurements_of(int64_t configuration_id) const {
  sqlite::Statement query(db_.get(), "SELECT record FROM measurements WHERE configuration_id = ?1 ORDER BY id");
  query.bind(1, configuration_id);
  std::vector<Measurement> measurements;
  while (query.step())
    measurements.push_back(stored_json(path_, "a measurement of configuration " + std::to_string(configuration_id),
                                       [&] { return measurement_from_json(parse_json_text(query.text(0))); }));
  return measurements;
}

StoredRun ResultsStore::load_run(const std::string& run_id) const {
  // One read transaction: a sweep committing meanwhile cannot tear the snapshot.
  sqlite::exec(db_.get(), "BEGIN");
  struct EndRead {
    sqlite3* db;
    ~EndRead() { sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr); }
  } end_read{db_.get()};
  std::vector<RunSummary> found = query_runs({}, run_id);
  if (found.empty()) throw StoreError("results store " + path_.string() + ": no run " + run_id);
  StoredRun run;
  run.summary = std::move(found.front());
  sqlite::Statement query(db_.get(), std::string("SELECT ") + kConfigurationColumns +
                                         " FROM configurations WHERE run_id = ?1 ORDER BY position");
  query.bind(1, run_id);
  while (query.step()) {
    StoredConfiguration c = read_configuration(query);
    c.measurements = measurements_of(c.id);
    run.configurations.push_back(std::move(c));
  }
  return run;
}

std::vector<int64_t> ResultsStore::done_configurations(const std::string& run_id) const {
  sqlite::Statement query(db_.get(),
                          "SELECT position FROM configurations WHERE run_id = ?1 AND status = 'done' "
                          "ORDER BY position");
  query.bind(1, run_id);
  std::vector<int64_t> indexes;
  while (query.step()) indexes.push_back(query.integer(0));
  return indexes;
}

bool ResultsStore::delete_run(const std::string& run_id) {
  sqlite::Statement remove(db_.get(), "DELETE FROM runs WHERE id = ?1");
  remove.bind(1, run_id);
  remove.run();
  return sqlite3_changes(db_.get()) > 0;
}

std::string ResultsStore::integrity_check() const {
  sqlite::Statement query(db_.get(), "PRAGMA integrity_check");
  std::string result;
  while (query.step()) {
    if (!result.empty()) result += '\n';
    result += query.text(0);
  }
  return result;
}

}  // namespace gapscope

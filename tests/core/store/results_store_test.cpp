// The run history store: everything recorded reads back equal after a reopen,
// filters and deletes behave, a killed writer loses nothing it committed, and
// files it cannot use (newer, corrupt) are refused and left byte for byte.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <random>

#include <catch2/catch.hpp>

#include "core/store/results_schema.h"
#include "core/build_info.h"
#include "core/store/results_store.h"

using namespace gapscope;
using Catch::Matchers::Contains;

namespace {

class ScratchDir {
 public:
  ScratchDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("gapscope-store-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

nlohmann::json run_record(const std::string& run_id, const std::string& started) {
  nlohmann::json record = run_metadata(run_id);
  record["started"] = started;
  record["software"]["qtwebengine"] = "6.4.2 (Chromium 102.0.5005.177)";
  record["machine"]["vulkan_device"] = "llvmpipe";
  record["seed"] = 42;
  return record;
}

ConfigurationPlan plan(int64_t index, const std::string& model, const std::string& backend, int64_t width = 128) {
  return {index, model, backend, {"infer", "train"},
          {{"preset", "paper-dnn"}, {"depth", 2}, {"width", width}, {"batch", 32}, {"threads", 1}}};
}

Measurement measurement(const std::string& run_id, const std::string& backend, const std::string& phase,
                        std::vector<double> samples, const std::string& format = "") {
  Measurement m = make_measurement(phase, format.empty() ? "ms" : "bytes", std::move(samples));
  m.run_id = run_id;
  m.backend = backend;
  m.model = "paper-dnn-2x128";
  m.config = {{"preset", "paper-dnn"}, {"batch", 32}};
  m.format = format;
  m.warmup = 5;
  m.capabilities = {{"threads", "1"}, {"simd", "avx2+fma"}};
  m.details = {{"leaked_tensors", 0}};
  return m;
}

int64_t count_rows(const std::filesystem::path& path, const std::string& table) {
  sqlite::Connection db = sqlite::open_connection(path);
  sqlite::Statement query(db.get(), "SELECT count(*) FROM " + table);  // table names are the test's own
  query.step();
  return query.integer(0);
}

}  // namespace

TEST_CASE("results store: a recorded run reads back equal after reopening", "[store]") {
  ScratchDir dir;
  const auto path = dir.path() / "results.sqlite";  // history_file_test: which folders it may create
  const Measurement infer = measurement("r1", "native-cpu", "infer", {1.5, 1.2, 1.9, 1.4});
  const Measurement size = measurement("r1", "native-cpu", "file_size", {12345}, "native");
  {
    ResultsStore store = ResultsStore::open(path);
    CHECK(store.schema_version() == kResultsSchemaVersion);
    store.begin_run(run_record("r1", "2026-11-26T06:15:00Z"), "sweep", "first try");
    const int64_t c0 = store.add_configuration("r1", plan(0, "paper-dnn-2x128", "native-cpu"));
    const int64_t c1 = store.add_configuration("r1", plan(1, "paper-dnn-2x256", "native-cpu", 256));
    store.record_measurement(c0, infer);
    store.record_measurement(c0, size);
    store.mark_done(c0);
    store.mark_failed(c1, "timeout", "took longer than 600 s");
  }
  REQUIRE(std::filesystem::exists(path));
  ResultsStore store = ResultsStore::open(path);
  const StoredRun run = store.load_run("r1");
  CHECK(run.summary.kind == "sweep");
  CHECK(run.summary.label == "first try");
  CHECK(run.summary.created == "2026-11-26T06:15:00Z");
  CHECK(run.summary.metadata == run_record("r1", "2026-11-26T06:15:00Z"));
  CHECK(run.summary.facts.chromium_version == "102.0.5005.177");
  CHECK(run.summary.facts.vulkan_device == "llvmpipe");
  CHECK(run.summary.facts.seed == 42);
  CHECK(run.summary.facts.git_revision == std::string(git_revision()));
  CHECK(run.summary.configurations == 2);
  CHECK(run.summary.done == 1);
  CHECK(run.summary.failed == 1);
  REQUIRE(run.configurations.size() == 2);

  const StoredConfiguration& first = run.configurations[0];
  CHECK(first.plan.model == "paper-dnn-2x128");
  CHECK(first.plan.backend == "native-cpu");
  CHECK(first.plan.phases == std::vector<std::string>{"infer", "train"});
  CHECK(first.plan.config == plan(0, "paper-dnn-2x128", "native-cpu").config);
  CHECK(first.preset == "paper-dnn");
  CHECK(first.depth == 2);
  CHECK(first.width == 128);
  CHECK(first.batch == 32);
  CHECK(first.status == ConfigurationStatus::done);
  REQUIRE(first.measurements.size() == 2);
  CHECK(to_json(first.measurements[0]) == to_json(infer));
  CHECK(first.measurements[0].summary.median == infer.summary.median);
  CHECK(first.measurements[0].samples == infer.samples);
  CHECK(first.measurements[0].capabilities == infer.capabilities);
  CHECK(first.measurements[0].details == infer.details);
  CHECK(to_json(first.measurements[1]) == to_json(size));

  const StoredConfiguration& second = run.configurations[1];
  CHECK(second.status == ConfigurationStatus::failed);
  CHECK(second.failure_reason == "timeout");
  CHECK(second.failure_message == "took longer than 600 s");
  CHECK(second.measurements.empty());
  CHECK(store.integrity_check() == "ok");
}

TEST_CASE("results store: list filters by kind, backend, model and date, newest first", "[store]") {
  ScratchDir dir;
  ResultsStore store = ResultsStore::open(dir.path() / "results.sqlite");
  store.begin_run(run_record("old", "2026-01-10T00:00:00Z"), "run");
  store.add_configuration("old", plan(0, "paper-dnn-2x128", "tfjs-wasm"));
  store.begin_run(run_record("mid", "2026-06-10T00:00:00Z"), "sweep");
  store.add_configuration("mid", plan(0, "paper-cnn-small", "native-cpu"));
  store.begin_run(run_record("new", "2026-11-10T00:00:00Z"), "sweep");
  store.add_configuration("new", plan(0, "paper-dnn-4x512", "native-vulkan"));

  auto ids = [&](const RunFilter& filter) {
    std::vector<std::string> out;
    for (const RunSummary& run : store.list_runs(filter)) out.push_back(run.id);
    return out;
  };
  using Ids = std::vector<std::string>;
  CHECK(ids({}) == Ids{"new", "mid", "old"});
  CHECK(ids({.kind = "sweep"}) == Ids{"new", "mid"});
  CHECK(ids({.backend = "tfjs-wasm"}) == Ids{"old"});
  CHECK(ids({.model_contains = "dnn"}) == Ids{"new", "old"});
  CHECK(ids({.model_contains = "100%_'"}).empty());
  CHECK(ids({.created_from = "2026-06-01", .created_before = "2026-12-01"}) == Ids{"new", "mid"});
  CHECK(ids({.kind = "sweep", .model_contains = "cnn", .created_before = "2026-07-01"}) == Ids{"mid"});
  CHECK(ids({.backend = "brainjs"}).empty());
}

TEST_CASE("results store: deleting a run removes its configurations and measurements", "[store]") {
  ScratchDir dir;
  const auto path = dir.path() / "results.sqlite";
  {
    ResultsStore store = ResultsStore::open(path);
    for (const std::string id : {"keep", "drop"}) {
      store.begin_run(run_record(id, "2026-02-02T00:00:00Z"));
      const int64_t c = store.add_configuration(id, plan(0, "paper-dnn-2x128", "native-cpu"));
      store.record_measurement(c, measurement(id, "native-cpu", "infer", {1, 2, 3}));
      store.record_measurement(c, measurement(id, "native-cpu", "train", {4, 5, 6}));
    }
    CHECK(store.delete_run("drop"));
    CHECK_FALSE(store.delete_run("drop"));
    CHECK_FALSE(store.has_run("drop"));
    CHECK_THROWS_AS(store.load_run("drop"), StoreError);
    CHECK(store.load_run("keep").configurations.at(0).measurements.size() == 2);
  }
  CHECK(count_rows(path, "runs") == 1);
  CHECK(count_rows(path, "configurations") == 1);
  CHECK(count_rows(path, "measurements") == 2);
}

TEST_CASE("results store: resuming sees done configurations and never duplicates a measurement", "[store]") {
  ScratchDir dir;
  const auto path = dir.path() / "results.sqlite";
  ResultsStore store = ResultsStore::open(path);
  store.begin_run(run_record("r", "2026-03-03T00:00:00Z"), "sweep");
  CHECK_THROWS_AS(store.begin_run(run_record("r", "2026-03-03T00:00:00Z")), StoreError);
  const int64_t c0 = store.add_configuration("r", plan(0, "paper-dnn-2x128", "native-cpu"));
  const int64_t c1 = store.add_configuration("r", plan(1, "paper-dnn-2x256", "native-cpu", 256));
  store.add_configuration("r", plan(2, "paper-dnn-2x512", "native-cpu", 512));
  store.mark_done(c0);
  store.mark_done(c1);
  CHECK(store.done_configurations("r") == std::vector<int64_t>{0, 1});

  SECTION("adding a planned configuration again returns the stored one") {
    CHECK(store.add_configuration("r", plan(1, "paper-dnn-2x256", "native-cpu", 256)) == c1);
    CHECK_THROWS_AS(store.add_configuration("r", plan(1, "paper-dnn-2x999", "native-cpu", 999)), StoreError);
    CHECK(count_rows(path, "configurations") == 3);
  }
  SECTION("the same configuration, phase and format again replaces the earlier measurement") {
    store.record_measurement(c0, measurement("r", "native-cpu", "infer", {9, 9, 9}));
    store.record_measurement(c0, measurement("r", "native-cpu", "infer", {1, 2, 3}));
    store.record_measurement(c0, measurement("r", "native-cpu", "file_size", {100}, "native"));
    store.record_measurement(c0, measurement("r", "native-cpu", "file_size", {200}, "json"));
    const auto measurements = store.load_run("r").configurations.at(0).measurements;
    REQUIRE(measurements.size() == 3);
    CHECK(measurements[0].samples == std::vector<double>{1, 2, 3});
    CHECK(measurements[0].summary.median == 2);
    CHECK(count_rows(path, "measurements") == 3);
  }
  SECTION("restarting an interrupted configuration drops what it recorded and sets it pending") {
    const int64_t c2 = store.add_configuration("r", plan(2, "paper-dnn-2x512", "native-cpu", 512));
    store.record_measurement(c2, measurement("r", "native-cpu", "load", {4}));
    store.mark_failed(c2, "timeout", "no result within 600 s");
    store.restart_configuration(c2);
    const auto restarted = store.load_run("r").configurations.at(2);
    CHECK(restarted.status == ConfigurationStatus::pending);
    CHECK_FALSE(restarted.failure_reason);
    CHECK(restarted.measurements.empty());
    CHECK(store.load_run("r").configurations.at(0).status == ConfigurationStatus::done);
    CHECK_THROWS_AS(store.restart_configuration(9999), StoreError);
  }
  SECTION("unknown runs and configurations are refused") {
    CHECK_THROWS_AS(store.add_configuration("nope", plan(0, "m", "native-cpu")), StoreError);
    CHECK_THROWS_AS(store.record_measurement(9999, measurement("r", "native-cpu", "infer", {1})), StoreError);
    CHECK_THROWS_AS(store.mark_done(9999), StoreError);
  }
}

TEST_CASE("results store: a writer killed mid-run loses nothing it committed", "[store]") {
  ScratchDir dir;
  const auto path = dir.path() / "results.sqlite";
  constexpr int kCommitted = 25;
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // The child: no Catch2 here, any failure is an exit code.
    try {
      ResultsStore store = ResultsStore::open(path);
      store.begin_run(run_record("killed", "2026-04-04T00:00:00Z"), "sweep");
      const int64_t done = store.add_configuration("killed", plan(0, "paper-dnn-2x128", "native-cpu"));
      for (int i = 0; i < kCommitted; ++i)
        store.record_measurement(done, measurement("killed", "native-cpu", "phase" + std::to_string(i),
                                                   {double(i), double(i) + 1}));
      store.mark_done(done);
      const int64_t in_flight = store.add_configuration("killed", plan(1, "paper-dnn-2x256", "native-cpu", 256));
      store.record_measurement(in_flight, measurement("killed", "native-cpu", "infer", {7}));
      ::raise(SIGKILL);
    } catch (...) {
    }
    ::_exit(3);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFSIGNALED(status));
  REQUIRE(WTERMSIG(status) == SIGKILL);

  ResultsStore store = ResultsStore::open(path);
  CHECK(store.integrity_check() == "ok");
  const StoredRun run = store.load_run("killed");
  REQUIRE(run.configurations.size() == 2);
  CHECK(run.configurations[0].status == ConfigurationStatus::done);
  REQUIRE(run.configurations[0].measurements.size() == kCommitted);
  for (int i = 0; i < kCommitted; ++i) {
    CHECK(run.configurations[0].measurements[i].phase == "phase" + std::to_string(i));
    CHECK(run.configurations[0].measurements[i].samples == std::vector<double>{double(i), double(i) + 1});
  }
  CHECK(run.configurations[1].status == ConfigurationStatus::pending);
  CHECK(run.configurations[1].measurements.size() == 1);
  CHECK(store.done_configurations("killed") == std::vector<int64_t>{0});
}

TEST_CASE("results store: a file from a newer gapscope is refused and left unchanged", "[store]") {
  ScratchDir dir;
  const auto path = dir.path() / "future.sqlite";
  {
    sqlite::Connection db = sqlite::open_connection(path);
    sqlite::exec(db.get(), "CREATE TABLE runs (id TEXT PRIMARY KEY); PRAGMA user_version = 99");
  }
  const std::string before = read_bytes(path);
  REQUIRE_FALSE(before.empty());
  try {
    ResultsStore::open(path);
    FAIL("opening a version-99 file succeeded");
  } catch (const StoreError& e) {
    CHECK_THAT(e.what(), Contains(path.string()));
    CHECK_THAT(e.what(), Contains("version 99"));
    CHECK_THAT(e.what(), Contains("up to " + std::to_string(kResultsSchemaVersion)));
  }
  CHECK(read_bytes(path) == before);
  CHECK_FALSE(std::filesystem::exists(path.string() + "-wal"));
}

TEST_CASE("results store: a file that is not a database is refused and left unchanged", "[store]") {
  ScratchDir dir;
  const auto path = dir.path() / "garbage.sqlite";
  std::mt19937 random(7);
  std::string garbage(8192, '\0');
  for (char& byte : garbage) byte = static_cast<char>(random() & 0xFF);
  write_bytes(path, garbage);
  try {
    ResultsStore::open(path);
    FAIL("opening random bytes succeeded");
  } catch (const StoreError& e) {
    CHECK_THAT(e.what(), Contains(path.string()));
    CHECK_THAT(e.what(), Contains("not a readable SQLite database"));
  }
  CHECK(read_bytes(path) == garbage);

  SECTION("and so is somebody else's SQLite database") {
    const auto other = dir.path() / "other.sqlite";
    {
      sqlite::Connection db = sqlite::open_connection(other);
      sqlite::exec(db.get(), "CREATE TABLE contacts (name TEXT)");
    }
    const std::string other_before = read_bytes(other);
    CHECK_THROWS_WITH(ResultsStore::open(other), Contains(other.string()) && Contains("something else"));
    CHECK(read_bytes(other) == other_before);
  }
}

TEST_CASE("results store: migrations upgrade an old file in one transaction", "[store]") {
  ScratchDir dir;
  const auto path = dir.path() / "migrating.sqlite";
  const Migrations version1 = {"CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)"};
  {
    ResultsStore store = ResultsStore::open(path, version1);
    CHECK(store.schema_version() == 1);
    sqlite::Connection db = sqlite::open_connection(path);
    sqlite::exec(db.get(), "INSERT INTO notes (text) VALUES ('kept')");
  }

  SECTION("a failing step rolls back every step before it") {
    const Migrations broken = {version1[0], "ALTER TABLE notes ADD COLUMN author TEXT",
                               "INSERT INTO no_such_table VALUES (1)"};
    CHECK_THROWS_WITH(ResultsStore::open(path, broken),
                      Contains(path.string()) && Contains("version 2 to 3") && Contains("unchanged"));
    CHECK(ResultsStore::open(path, version1).schema_version() == 1);
    sqlite::Connection db = sqlite::open_connection(path);
    CHECK_THROWS_AS(sqlite::Statement(db.get(), "SELECT author FROM notes"), StoreError);
  }
  SECTION("every missing step runs and the version follows") {
    const Migrations version3 = {version1[0], "ALTER TABLE notes ADD COLUMN author TEXT",
                                 "UPDATE notes SET author = 'migrated'"};
    CHECK(ResultsStore::open(path, version3).schema_version() == 3);
    sqlite::Connection db = sqlite::open_connection(path);
    sqlite::Statement query(db.get(), "SELECT text, author FROM notes");
    REQUIRE(query.step());
    CHECK(query.text(0) == "kept");
    CHECK(query.text(1) == "migrated");
    CHECK_FALSE(query.step());
  }
  SECTION("the real list knows the current version") {
    CHECK(static_cast<int64_t>(results_migrations().size()) == kResultsSchemaVersion);
  }
}

TEST_CASE("results store: the default path follows XDG_DATA_HOME, else HOME", "[store]") {
  const char* saved_xdg = std::getenv("XDG_DATA_HOME");
  const std::string xdg = saved_xdg ? saved_xdg : "";
  ::setenv("XDG_DATA_HOME", "/data/home", 1);
  CHECK(default_results_path() == std::filesystem::path("/data/home/gapscope/results.sqlite"));
  ::unsetenv("XDG_DATA_HOME");
  const char* home = std::getenv("HOME");
  if (home && *home)
    CHECK(default_results_path() == std::filesystem::path(home) / ".local/share/gapscope/results.sqlite");
  if (saved_xdg) ::setenv("XDG_DATA_HOME", xdg.c_str(), 1);
}

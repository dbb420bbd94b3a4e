// What the fuzzer (tests/fuzz/results_store_fuzzer.cpp) found: a history file
// whose JSON columns were changed outside gapscope made list_runs/load_run
// throw nlohmann's exceptions (uncaught: a crash). They must be StoreErrors
// naming the file and the row.
#include <unistd.h>

#include <random>

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include "core/store/results_store.h"
#include "tests/core/store/one_run_store.h"

using namespace gapscope;
using Catch::Matchers::Contains;

namespace {

std::filesystem::path fresh_store_with_one_run(const std::filesystem::path& dir) {
  return gapscope::test::write_one_run_store(dir / "results.sqlite", "sweep", false);
}

void change(const std::filesystem::path& path, const std::string& sql) {
  sqlite::Connection db = sqlite::open_connection(path);
  sqlite::exec(db.get(), sql);
}

}  // namespace

TEST_CASE("results store: damaged JSON columns are StoreErrors, never JSON exceptions",
          "[store][fuzz-regression]") {
  std::random_device rd;
  const auto dir = std::filesystem::temp_directory_path() /
                   ("gapscope-store-fuzz-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
  std::filesystem::create_directories(dir);
  struct Cleanup {
    std::filesystem::path dir;
    ~Cleanup() {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
    }
  } cleanup{dir};

  SECTION("a run record that is not JSON (the fuzzer's input)") {
    const auto path = fresh_store_with_one_run(dir);
    change(path, R"(UPDATE runs SET record = '{"run_id" {')");
    const ResultsStore store = ResultsStore::open(path);
    CHECK_THROWS_AS(store.list_runs(), StoreError);
    CHECK_THROWS_WITH(store.list_runs(), Contains(path.string()) && Contains("the record of run 'r1'"));
    CHECK_THROWS_AS(store.load_run("r1"), StoreError);
  }
  SECTION("a run record of the wrong JSON type") {
    const auto path = fresh_store_with_one_run(dir);
    change(path, "UPDATE runs SET record = '[1, 2]'");
    CHECK_THROWS_AS(ResultsStore::open(path).list_runs(), StoreError);
  }
  SECTION("a plan's phases that are not strings") {
    const auto path = fresh_store_with_one_run(dir);
    change(path, "UPDATE configurations SET phases = '[1]'");
    CHECK_THROWS_AS(ResultsStore::open(path).load_run("r1"), StoreError);
    CHECK_THROWS_WITH(ResultsStore::open(path).load_run("r1"), Contains("the plan of configuration"));
  }
  SECTION("a measurement record that is not a measurement") {
    const auto path = fresh_store_with_one_run(dir);
    for (const char* bad : {"'[]'", "'{}'", "'{\"schema\": 3'"}) {
      change(path, std::string("UPDATE measurements SET record = ") + bad);
      CHECK_THROWS_AS(ResultsStore::open(path).load_run("r1"), StoreError);
      CHECK_THROWS_WITH(ResultsStore::open(path).load_run("r1"), Contains("a measurement of configuration"));
    }
  }
  SECTION("a value over the 16 MiB limit is refused, not allocated") {
    const auto path = fresh_store_with_one_run(dir);
    sqlite3* raw = nullptr;  // a plain connection, without gapscope's limit, writes the huge row
    REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
    const int rc = sqlite3_exec(raw, "UPDATE measurements SET record = printf('%.*c', 20000000, 'x')", nullptr,
                                nullptr, nullptr);
    sqlite3_close(raw);
    REQUIRE(rc == SQLITE_OK);
    CHECK_THROWS_AS(ResultsStore::open(path).load_run("r1"), StoreError);
    CHECK_THROWS_WITH(ResultsStore::open(path).load_run("r1"), Contains("too big"));
  }
}

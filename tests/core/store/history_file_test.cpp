// Which files the run history creates, opens or refuses (core/store/history_file.h):
// reading never creates a file, recording never creates a folder a user named,
// nothing that is not a gapscope history is changed, and a new history never
// shows up half-made, even with several processes creating it at once.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>

#include "core/store/results_store.h"
#include "tests/core/io/model_file_test_support.h"

using namespace gapscope;
using Catch::Matchers::Contains;
using gapscope::test::read_bytes;
using gapscope::test::ScratchDir;
using gapscope::test::write_bytes;

namespace {

std::vector<std::string> entries(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir))
    names.push_back(std::filesystem::relative(entry.path(), dir).string());
  std::sort(names.begin(), names.end());
  return names;
}

nlohmann::json record(const std::string& run_id) { return {{"run_id", run_id}, {"started", "2026-05-05T00:00:00Z"}}; }

}  // namespace

TEST_CASE("history file: reading or deleting never creates a history, nor its folders", "[store]") {
  ScratchDir dir;
  const auto missing = dir.path() / "missing.sqlite";
  const auto typo = dir.path() / "typo" / "dir" / "h.sqlite";
  for (StoreAccess access : {StoreAccess::read, StoreAccess::modify}) {
    CHECK_THROWS_WITH(ResultsStore::open(missing, access), Contains(missing.string()) && Contains("does not exist"));
    CHECK_THROWS_WITH(ResultsStore::open(typo, access), Contains(typo.string()) && Contains("does not exist"));
  }
  CHECK(entries(dir.path()).empty());
}

TEST_CASE("history file: recording creates a history in a folder that exists, or in gapscope's default one",
          "[store]") {
  ScratchDir dir;
  const auto typo = dir.path() / "typo" / "dir" / "h.sqlite";
  CHECK_THROWS_WITH(ResultsStore::open(typo),
                    Contains(typo.string()) && Contains("its folder " + typo.parent_path().string() + " does not exist"));
  CHECK(entries(dir.path()).empty());

  const char* saved = std::getenv("XDG_DATA_HOME");
  const std::string saved_value = saved ? saved : "";
  ::setenv("XDG_DATA_HOME", (dir.path() / "data").c_str(), 1);
  {
    ResultsStore store = ResultsStore::open(default_results_path());
    store.begin_run(record("r"));
  }
  CHECK(ResultsStore::open(default_results_path(), StoreAccess::read).list_runs().size() == 1);
  if (saved) ::setenv("XDG_DATA_HOME", saved_value.c_str(), 1);
  else ::unsetenv("XDG_DATA_HOME");
  CHECK(entries(dir.path()) == std::vector<std::string>{"data", "data/gapscope", "data/gapscope/results.sqlite"});
}

TEST_CASE("history file: an existing file that is not a gapscope history is refused for every use, unchanged",
          "[store]") {
  ScratchDir dir;
  const std::string empty = dir.file("empty.sqlite");
  write_bytes(empty, "");
  const std::string blank = dir.file("blank.sqlite");  // an SQLite database, but nobody's history
  {
    sqlite::Connection db = sqlite::open_connection(blank);
    sqlite::exec(db.get(), "CREATE TABLE t (x); DROP TABLE t; PRAGMA user_version = 0");
  }
  const std::string blank_bytes = read_bytes(blank);
  const std::string folder = dir.file("folder.sqlite");
  std::filesystem::create_directory(folder);
  for (StoreAccess access : {StoreAccess::read, StoreAccess::modify, StoreAccess::record}) {
    CHECK_THROWS_WITH(ResultsStore::open(empty, access), Contains(empty) && Contains("empty file (0 bytes)"));
    CHECK_THROWS_WITH(ResultsStore::open(blank, access), Contains(blank) && Contains("not a gapscope run history"));
    CHECK_THROWS_WITH(ResultsStore::open(folder, access), Contains(folder) && Contains("not a regular file"));
    CHECK_THROWS_WITH(ResultsStore::open("", access), Contains("no file name"));
  }
  CHECK(std::filesystem::file_size(empty) == 0);
  CHECK(read_bytes(blank) == blank_bytes);
  CHECK(entries(dir.path()) == std::vector<std::string>{"blank.sqlite", "empty.sqlite", "folder.sqlite"});
}

TEST_CASE("history file: \"file:\" names are files, never SQLite URIs", "[store]") {
  ScratchDir dir;
  const auto saved = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());  // only a relative name can start with "file:"
  { ResultsStore::open("file:h.sqlite?mode=memory").begin_run(record("r")); }
  CHECK(ResultsStore::open("file:h.sqlite?mode=memory", StoreAccess::read).list_runs().size() == 1);
  std::filesystem::current_path(saved);
  CHECK(std::filesystem::is_regular_file(dir.path() / "file:h.sqlite?mode=memory"));
}

TEST_CASE("history file: processes creating a history at once all record into one complete file", "[store]") {
  ScratchDir dir;
  const auto path = dir.path() / "h.sqlite";
  constexpr int kWriters = 6;
  std::vector<pid_t> children;
  for (int i = 0; i < kWriters; ++i) {
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {  // no Catch2 in a child: its verdict is its exit code
      int code = 1;
      try {
        ResultsStore::open(path).begin_run(record("r" + std::to_string(i)));
        code = 0;
      } catch (...) {
      }
      ::_exit(code);
    }
    children.push_back(child);
  }
  for (pid_t child : children) {
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
  }
  CHECK(ResultsStore::open(path, StoreAccess::read).list_runs().size() == kWriters);
  CHECK(entries(dir.path()) == std::vector<std::string>{"h.sqlite"});  // no temporary file left behind
}

// The temp files a killed save leaves (".NAME.tmp-PID-N") are removed by the
// next save into their folder, and nothing else is.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>

#include "core/base/atomic_file.h"
#include "core/base/temp_file.h"
#include "tests/core/io/model_file_test_support.h"

using namespace gapscope;
using gapscope::test::read_bytes;
using gapscope::test::ScratchDir;
using gapscope::test::write_bytes;

namespace {

// The PID of a process that has exited (and been reaped): as a save killed by SIGKILL.
long dead_pid() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  REQUIRE(child > 0);
  ::waitpid(child, nullptr, 0);
  return child;
}

// Makes a file look untouched for an hour, as a killed save's temp file some time later.
void age(const std::string& path) {
  std::filesystem::last_write_time(path, std::filesystem::file_time_type::clock::now() - std::chrono::hours(1));
}

std::string temp_name(const std::string& target, long pid, int n) {
  return "." + target + ".tmp-" + std::to_string(pid) + "-" + std::to_string(n);
}

}  // namespace

TEST_CASE("temp_file_owner reads the PID of our temp names only", "[io][atomic][temp]") {
  CHECK(temp_file_owner(".m.gsm.tmp-1234-0") == 1234);
  CHECK(temp_file_owner(".a.tmp-b.json.tmp-77-12") == 77);
  CHECK_FALSE(temp_file_owner("m.gsm.tmp-1234-0"));  // not hidden
  CHECK_FALSE(temp_file_owner(".tmp-1234-0"));        // no target name
  CHECK_FALSE(temp_file_owner(".m.gsm.tmp-12a-0"));
  CHECK_FALSE(temp_file_owner(".m.gsm.tmp-1234"));
  CHECK_FALSE(temp_file_owner(".m.gsm.tmp-1234-"));
  CHECK_FALSE(temp_file_owner(".m.gsm.tmp-1234-0.bak"));
}

TEST_CASE("a save removes the temp files dead processes left beside it, and only those", "[io][atomic][temp]") {
  ScratchDir dir;
  const long dead = dead_pid();
  const std::string stale = dir.file(temp_name("m.gsm", dead, 0));
  const std::string stale_other = dir.file(temp_name("other.json", dead, 3));
  const std::string alive = dir.file(temp_name("m.gsm", ::getpid(), 999));  // a save in flight
  const std::string not_ours = dir.file("notes.tmp-" + std::to_string(dead) + "-0");
  const std::string folder = dir.file(temp_name("folder", dead, 0));
  // Of a dead PID but just written: maybe a save in flight on another machine sharing the folder.
  const std::string fresh = dir.file(temp_name("m.gsm", dead, 1));
  for (const std::string& file : {stale, stale_other, alive, not_ours, folder}) {
    if (file == folder) std::filesystem::create_directory(folder);
    else write_bytes(file, "bytes");
    age(file);
  }
  write_bytes(fresh, "bytes");

  write_file_atomically(dir.file("m.gsm"), "model");
  CHECK(read_bytes(dir.file("m.gsm")) == "model");
  CHECK_FALSE(std::filesystem::exists(stale));
  CHECK_FALSE(std::filesystem::exists(stale_other));
  CHECK(std::filesystem::exists(alive));
  CHECK(std::filesystem::exists(fresh));
  CHECK(std::filesystem::exists(not_ours));
  CHECK(std::filesystem::is_directory(folder));
}

TEST_CASE("checking a target before the work also clears stale temp files", "[io][atomic][temp]") {
  ScratchDir dir;
  const std::string stale = dir.file(temp_name("m.gsm", dead_pid(), 0));
  write_bytes(stale, std::string(1 << 16, 'x'));
  age(stale);
  check_writable_target(dir.file("m.gsm"));
  CHECK_FALSE(std::filesystem::exists(stale));
  CHECK(std::filesystem::is_empty(dir.path()));
}

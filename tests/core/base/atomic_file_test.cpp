// Atomic writes leave the previous file intact whatever goes wrong, leave no
// temporary files behind, and replace nothing but a regular file.
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <cerrno>
#include <cstring>

#include "core/base/atomic_file.h"
#include "tests/core/io/model_file_test_support.h"

using namespace gapscope;
using gapscope::test::read_bytes;
using gapscope::test::ScratchDir;
using gapscope::test::write_bytes;
using Catch::Matchers::Contains;
using Catch::Matchers::Equals;
using Catch::Matchers::StartsWith;

namespace {

size_t entries_in(const std::filesystem::path& dir) {
  return static_cast<size_t>(std::distance(std::filesystem::directory_iterator(dir), {}));
}

// Lowers the file size limit for this process (soft limit only) and ignores
// SIGXFSZ, so writes past it fail with EFBIG: a disk filling up mid-write.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    ::getrlimit(RLIMIT_FSIZE, &saved_);
    old_handler_ = ::signal(SIGXFSZ, SIG_IGN);
    rlimit lowered = saved_;
    lowered.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &lowered);
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &saved_);
    ::signal(SIGXFSZ, old_handler_);
  }

 private:
  rlimit saved_{};
  sighandler_t old_handler_;
};

}  // namespace

TEST_CASE("write_file_atomically writes and replaces", "[io][atomic]") {
  ScratchDir dir;
  std::string path = dir.file("a.bin");
  write_file_atomically(path, "first");
  CHECK(read_bytes(path) == "first");
  write_file_atomically(path, std::string(100000, 'x'));
  CHECK(read_bytes(path) == std::string(100000, 'x'));
  write_file_atomically(path, "");
  CHECK(read_bytes(path).empty());
  CHECK(entries_in(dir.path()) == 1);
}

TEST_CASE("write_file_atomically keeps the mode of the file it replaces", "[io][atomic]") {
  ScratchDir dir;
  std::string path = dir.file("a.bin");
  write_file_atomically(path, "first");
  ::chmod(path.c_str(), 0640);
  write_file_atomically(path, "second");
  struct stat info {};
  ::stat(path.c_str(), &info);
  CHECK((info.st_mode & 0777) == 0640);
}

TEST_CASE("saving over a directory fails clearly and changes nothing", "[io][atomic]") {
  ScratchDir dir;
  std::string target = dir.file("model.bin");
  std::filesystem::create_directory(target);
  write_bytes(target + "/inside", "keep");
  CHECK_THROWS_WITH(write_file_atomically(target, "new"),
                    Equals("cannot write " + target +
                           ": it is a directory, not a regular file (only a regular file is ever replaced)"));
  CHECK(read_bytes(target + "/inside") == "keep");
  CHECK(entries_in(dir.path()) == 1);
}

TEST_CASE("saving into a read-only directory fails clearly and leaves the old file", "[io][atomic]") {
  ScratchDir dir;
  std::string path = dir.file("model.bin");
  write_bytes(path, "old contents");
  std::filesystem::permissions(dir.path(), std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
  if (::geteuid() == 0) {
    // root writes into read-only directories anyway; /proc refuses even root.
    WARN("running as root: checking an unwritable /proc directory instead of a chmod'ed one");
    CHECK_THROWS_WITH(write_file_atomically("/proc/self/model.bin", "new"),
                      StartsWith("cannot write /proc/self/model.bin: cannot create a temporary file in /proc/self: "));
  } else {
    CHECK_THROWS_WITH(write_file_atomically(path, "new"),
                      StartsWith("cannot write " + path + ": cannot create a temporary file in " +
                                 dir.path().string() + ": Permission denied"));
  }
  std::filesystem::permissions(dir.path(), std::filesystem::perms::owner_all);
  CHECK(read_bytes(path) == "old contents");
  CHECK(entries_in(dir.path()) == 1);
}

TEST_CASE("a write that fails midway (disk full) leaves the old file and no temp file", "[io][atomic]") {
  ScratchDir dir;
  std::string path = dir.file("model.bin");
  write_bytes(path, "old contents");
  {
    FileSizeLimit limit(4096);
    CHECK_THROWS_WITH(write_file_atomically(path, std::string(1 << 20, 'n')),
                      StartsWith("cannot write " + path + ": writing failed after 4,096 of 1,048,576 bytes: "));
  }
  CHECK(read_bytes(path) == "old contents");
  CHECK(entries_in(dir.path()) == 1);
}

TEST_CASE("read_file_limited names the path and the limit", "[io][atomic]") {
  ScratchDir dir;
  std::string path = dir.file("f");
  write_bytes(path, std::string(2000, 'a'));
  CHECK(read_file_limited(path, 2000).size() == 2000);
  CHECK_THROWS_WITH(read_file_limited(path, 1900),
                    Equals("cannot read " + path + ": the file has 2,000 bytes (2 KiB), over the limit of 1,900 "
                           "bytes (1.9 KiB)"));
  CHECK_THROWS_WITH(read_file_limited(dir.file("none"), 10),
                    Equals("cannot read " + dir.file("none") + ": No such file or directory"));
  CHECK_THROWS_WITH(read_file_limited(dir.path().string(), 10), Contains("it is a directory"));
}

namespace {

// A device node of our own in a scratch folder, with /dev/null's numbers; never
// a real device node. Needs root (or CAP_MKNOD): false, with a warning, elsewhere.
bool make_char_device(const std::string& path) {
  if (::mknod(path.c_str(), S_IFCHR | 0600, ::makedev(1, 3)) == 0) return true;
  WARN("cannot mknod a character device here (" << std::strerror(errno) << "): that case is skipped");
  return false;
}

std::string kind_of(const std::string& path) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) return "absent";
  if (S_ISCHR(info.st_mode)) return "character device";
  if (S_ISFIFO(info.st_mode)) return "FIFO";
  if (S_ISREG(info.st_mode)) return "regular file";
  return "other";
}

}  // namespace

TEST_CASE("saving never replaces a device node, a FIFO or a link to one", "[io][atomic][special]") {
  ScratchDir dir;
  const std::string fifo = dir.file("fifo");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  CHECK_THROWS_WITH(write_file_atomically(fifo, "new"),
                    Equals("cannot write " + fifo +
                           ": it is a FIFO (named pipe), not a regular file (only a regular file is ever replaced)"));
  CHECK_THROWS_AS(check_writable_target(fifo), FileWriteError);
  CHECK(kind_of(fifo) == "FIFO");

  const std::string link = dir.file("link-to-fifo");
  std::filesystem::create_symlink(fifo, link);
  CHECK_THROWS_WITH(write_file_atomically(link, "new"), StartsWith("cannot write " + link + ": it is a FIFO"));
  CHECK(std::filesystem::is_symlink(link));

  const std::string device = dir.file("null");
  if (make_char_device(device)) {
    CHECK_THROWS_WITH(write_file_atomically(device, "new"),
                      StartsWith("cannot write " + device + ": it is a character device, not a regular file"));
    AtomicFileSet set;  // a TF.js set: refused at add(), before any byte is written
    CHECK_THROWS_AS(set.add(device, "shard"), FileWriteError);
    CHECK(kind_of(device) == "character device");
  }
  CHECK(entries_in(dir.path()) == (kind_of(device) == "absent" ? 2u : 3u));  // no temp file left
}

TEST_CASE("check_writable_target finds what a save would refuse, before any work", "[io][atomic][special]") {
  ScratchDir dir;
  check_writable_target(dir.file("new.bin"));  // absent: fine
  write_bytes(dir.file("old.bin"), "old");
  check_writable_target(dir.file("old.bin"));  // a regular file: fine, and untouched
  CHECK(read_bytes(dir.file("old.bin")) == "old");
  CHECK(entries_in(dir.path()) == 1);  // the probe file is gone

  const std::string missing = dir.file("nodir/x/m.gsm");
  CHECK_THROWS_WITH(check_writable_target(missing),
                    Equals("cannot write " + missing + ": the folder " + dir.file("nodir/x") + " does not exist"));
  const std::string under_file = dir.file("old.bin/m.gsm");
  CHECK_THROWS_WITH(check_writable_target(under_file), Equals("cannot write " + under_file + ": " +
                                                               dir.file("old.bin") + " is not a folder"));
  std::filesystem::create_directory(dir.file("sub"));
  CHECK_THROWS_WITH(check_writable_target(dir.file("sub")), StartsWith("cannot write " + dir.file("sub") +
                                                                        ": it is a directory, not a regular file"));
  // A folder that takes no new files (root writes anywhere; /proc refuses even root).
  CHECK_THROWS_WITH(check_writable_target("/proc/self/m.gsm"),
                    StartsWith("cannot write /proc/self/m.gsm: cannot create a temporary file in /proc/self: "));
}

TEST_CASE("write failures are FileWriteError, apart from bad input", "[io][atomic]") {
  ScratchDir dir;
  FileSizeLimit limit(4096);
  CHECK_THROWS_AS(write_file_atomically(dir.file("big"), std::string(1 << 20, 'n')), FileWriteError);
}

// A pipe given as a file (`--model <(cat m.gsm)`) can be read more than once.
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <thread>

#include "core/base/atomic_file.h"
#include "core/base/replayable_input.h"
#include "tests/core/io/model_file_test_support.h"

using namespace gapscope;
using gapscope::test::read_bytes;
using gapscope::test::ScratchDir;
using gapscope::test::write_bytes;
using Catch::Matchers::Contains;

namespace {

// A pipe whose read end is open as /proc/self/fd/N, fed `bytes` by a thread.
class FedPipe {
 public:
  explicit FedPipe(std::string bytes) {
    REQUIRE(::pipe(fds_) == 0);
    writer_ = std::thread([this, bytes = std::move(bytes)] {
      // A reader that stops early makes write() fail with EPIPE, not kill the tests.
      sigset_t pipe_signal;
      ::sigemptyset(&pipe_signal);
      ::sigaddset(&pipe_signal, SIGPIPE);
      ::pthread_sigmask(SIG_BLOCK, &pipe_signal, nullptr);
      size_t done = 0;
      while (done < bytes.size()) {
        const ssize_t n = ::write(fds_[1], bytes.data() + done, bytes.size() - done);
        if (n <= 0) break;  // the reader stopped early
        done += static_cast<size_t>(n);
      }
      ::close(fds_[1]);
    });
  }
  ~FedPipe() {
    ::close(fds_[0]);
    writer_.join();
  }
  std::string path() const { return "/proc/self/fd/" + std::to_string(fds_[0]); }

 private:
  int fds_[2];
  std::thread writer_;
};

}  // namespace

TEST_CASE("a pipe is read once into memory and can then be read again and again", "[io][replay]") {
  const std::string bytes(300'000, 'm');
  FedPipe pipe(bytes);
  const std::string path = replayable_path(pipe.path(), 1 << 20);
  CHECK(path != pipe.path());
  CHECK(read_bytes(path) == bytes);
  CHECK(read_bytes(path) == bytes);
  CHECK(read_file_limited(path, 1 << 20) == bytes);
}

TEST_CASE("a pipe over the limit is refused by name; files are left as they are", "[io][replay]") {
  FedPipe pipe(std::string(5000, 'm'));
  CHECK_THROWS_WITH(replayable_path(pipe.path(), 4096),
                    Contains("cannot read " + pipe.path()) && Contains("more than the limit of 4,096 bytes"));
  ScratchDir dir;
  write_bytes(dir.file("m.gsm"), "model");
  CHECK(replayable_path(dir.file("m.gsm"), 10) == dir.file("m.gsm"));  // a file is never copied
  CHECK(replayable_path(dir.file("none"), 10) == dir.file("none"));     // its reader says it is missing
}

TEST_CASE("an endless character device stops at the limit", "[io][replay]") {
  CHECK_THROWS_WITH(replayable_path("/dev/zero", 1 << 20),
                    Contains("cannot read /dev/zero: it gives more than the limit of 1,048,576 bytes"));
}

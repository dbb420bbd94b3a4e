#include "core/base/replayable_input.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "core/base/number_text.h"

namespace gapscope {

namespace {

// write() all of `bytes` to `fd`; false (errno set) when it cannot.
bool write_all(int fd, const char* bytes, size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, bytes, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = EIO;
      return false;
    }
    bytes += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

std::string replayable_path(const std::string& path, int64_t max_bytes) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return path;
  if (!S_ISFIFO(info.st_mode) && !S_ISSOCK(info.st_mode) && !S_ISCHR(info.st_mode)) return path;

  auto fail = [&](const std::string& why) { throw std::runtime_error("cannot read " + path + ": " + why); };
  const int in = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) fail(std::strerror(errno));
  const int copy = ::memfd_create("gapscope-input", MFD_CLOEXEC);
  if (copy < 0) {
    const int error = errno;
    ::close(in);
    fail(std::string("no in-memory file for it: ") + std::strerror(error));
  }
  // Straight into the in-memory file, chunk by chunk: one copy in memory, and
  // an endless stream (/dev/zero) stops at the limit.
  char buffer[1 << 16];
  int64_t total = 0;
  while (true) {
    const ssize_t n = ::read(in, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    std::string error;
    if (n < 0) error = std::strerror(errno);
    else if (total + n > max_bytes)
      error = "it gives more than the limit of " + with_thousands(max_bytes) + " bytes (" + format_bytes(max_bytes) +
              ")";
    else if (n > 0 && !write_all(copy, buffer, static_cast<size_t>(n)))
      error = std::string("copying it into memory failed: ") + std::strerror(errno);
    if (!error.empty()) {
      ::close(in);
      ::close(copy);
      fail(error);
    }
    if (n == 0) break;
    total += n;
  }
  ::close(in);
  return "/proc/self/fd/" + std::to_string(copy);  // the descriptor stays open: the copy's lifetime
}

}  // namespace gapscope

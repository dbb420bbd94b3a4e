// Atomic writes: the bytes go to a temp file in the target's directory (same
// file system, so rename is atomic), are fsync'ed, then renamed over the
// target. Any failure removes the temp file and leaves the target untouched.
#include "core/base/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>

#include "core/base/number_text.h"
#include "core/base/temp_file.h"

namespace gapscope {

namespace {

std::string os_reason(int error) { return std::strerror(error); }

std::string kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// A rename replaces whatever the target is: a device node would become a
// regular file (`--save /dev/null` would replace the system's /dev/null).
// Follows symbolic links, so a link to a device is refused too. Returns the
// mode of the regular file to replace, nullopt when there is none.
std::optional<mode_t> check_target_kind(const std::string& path) {
  struct stat target {};
  if (::stat(path.c_str(), &target) != 0) {
    const int error = errno;
    if (error == ENOENT) return std::nullopt;  // absent (or a dangling link): created
    throw FileWriteError("cannot write " + path + ": " + os_reason(error));
  }
  if (S_ISREG(target.st_mode)) return target.st_mode;
  throw FileWriteError("cannot write " + path + ": it is " + kind_of(target.st_mode) +
                       ", not a regular file (only a regular file is ever replaced)");
}

void check_folder(const std::string& path) {
  const std::string dir = folder_of(path);
  struct stat folder {};
  if (::stat(dir.c_str(), &folder) != 0) {
    const int error = errno;
    throw FileWriteError("cannot write " + path + ": " +
                         (error == ENOENT ? "the folder " + dir + " does not exist" : dir + ": " + os_reason(error)));
  }
  if (!S_ISDIR(folder.st_mode)) throw FileWriteError("cannot write " + path + ": " + dir + " is not a folder");
}

void write_all(const TempFile& temp, const std::string& path, std::string_view bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(temp.fd(), bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      throw FileWriteError("cannot write " + path + ": writing failed after " + with_thousands(done) + " of " +
                           with_thousands(bytes.size()) + " bytes: " + os_reason(n < 0 ? errno : EIO) +
                           " (the previous file, if any, is unchanged)");
    done += static_cast<size_t>(n);
  }
}

// Makes the rename itself durable; best effort (not every file system allows it).
void sync_directory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

struct AtomicFileSet::Staged {
  std::string path;
  TempFile temp;
};

AtomicFileSet::AtomicFileSet() = default;
AtomicFileSet::~AtomicFileSet() = default;  // uncommitted temp files are removed by TempFile

void check_writable_target(const std::string& path) {
  check_folder(path);
  check_target_kind(path);
  create_temp_beside(path);  // removed again at once: the folder takes new files
}

void AtomicFileSet::add(const std::string& path, std::string_view bytes) {
  const std::optional<mode_t> replaced = check_target_kind(path);

  std::unique_ptr<Staged> staged(new Staged{path, create_temp_beside(path)});
  TempFile& temp = staged->temp;
  write_all(temp, path, bytes);
  // Keep the mode of the file we replace.
  if (replaced) ::fchmod(temp.fd(), *replaced & 07777);
  if (::fsync(temp.fd()) != 0) throw FileWriteError("cannot write " + path + ": fsync failed: " + os_reason(errno));
  if (temp.close() != 0) throw FileWriteError("cannot write " + path + ": close failed: " + os_reason(errno));
  staged_.push_back(std::move(staged));
}

void AtomicFileSet::commit() {
  // Again just before renaming: a target may have become something else meanwhile.
  for (auto& staged : staged_) check_target_kind(staged->path);
  // Renames need no space: once every file is written, they go through.
  for (auto& staged : staged_) {
    if (::rename(staged->temp.path().c_str(), staged->path.c_str()) != 0)
      throw FileWriteError("cannot write " + staged->path + ": renaming the temporary file over it failed: " +
                           os_reason(errno));
    staged->temp.release();
  }
  for (auto& staged : staged_) sync_directory(folder_of(staged->path));
  staged_.clear();
}

void write_file_atomically(const std::string& path, std::string_view bytes) {
  AtomicFileSet file;
  file.add(path, bytes);
  file.commit();
}

std::string folder_of(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  return dir.empty() ? "." : dir;
}

std::string read_file_limited(const std::string& path, int64_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("cannot read " + path + ": " + os_reason(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};

  struct stat info {};
  if (::fstat(fd, &info) != 0) throw std::runtime_error("cannot read " + path + ": " + os_reason(errno));
  if (S_ISDIR(info.st_mode)) throw std::runtime_error("cannot read " + path + ": it is a directory");
  auto too_big = [&](int64_t size) {
    return std::runtime_error("cannot read " + path + ": the file has " + with_thousands(size) + " bytes (" +
                              format_bytes(size) + "), over the limit of " + with_thousands(max_bytes) + " bytes (" +
                              format_bytes(max_bytes) + ")");
  };
  // Check the size before allocating anything for it.
  if (S_ISREG(info.st_mode) && info.st_size > max_bytes) throw too_big(info.st_size);

  std::string bytes;
  if (S_ISREG(info.st_mode)) bytes.reserve(static_cast<size_t>(info.st_size));
  char buffer[1 << 16];
  while (true) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error("cannot read " + path + ": " + os_reason(errno));
    if (n == 0) break;
    // The file may grow while we read, or be a pipe with no size.
    if (static_cast<int64_t>(bytes.size()) + n > max_bytes) throw too_big(static_cast<int64_t>(bytes.size()) + n);
    bytes.append(buffer, static_cast<size_t>(n));
  }
  return bytes;
}

}  // namespace gapscope

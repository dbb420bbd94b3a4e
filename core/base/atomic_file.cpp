// Atomic writes: the bytes go to a temp file in the target's directory (same
// file system, so rename is atomic), are fsync'ed, then renamed over the
// target. Any failure removes the temp file and leaves the target untouched.
#include "core/base/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <stdexcept>

#include "core/base/number_text.h"

namespace gapscope {

namespace {

std::string os_reason(int error) { return std::strerror(error); }

// Closes the descriptor and removes the temp file unless released.
class TempFile {
 public:
  TempFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  int fd() const { return fd_; }
  const std::string& path() const { return path_; }
  int close() {
    int result = ::close(fd_);
    fd_ = -1;
    return result;
  }
  void release() { path_.clear(); }

 private:
  int fd_;
  std::string path_;
};

std::string directory_of(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  return dir.empty() ? "." : dir;
}

// A fresh name beside the target; O_EXCL guarantees it is ours.
TempFile create_temp_beside(const std::string& path) {
  static std::atomic<unsigned> counter{0};
  std::string dir = directory_of(path);
  std::string base = std::filesystem::path(path).filename().string();
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string temp = dir + "/." + base + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    // 0666 so the saved file gets the usual umask-derived mode.
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) return TempFile(fd, temp);
    if (errno != EEXIST)
      throw std::runtime_error("cannot write " + path + ": cannot create a temporary file in " + dir + ": " +
                               os_reason(errno));
  }
  throw std::runtime_error("cannot write " + path + ": no free temporary file name in " + dir);
}

void write_all(const TempFile& temp, const std::string& path, std::string_view bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(temp.fd(), bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      throw std::runtime_error("cannot write " + path + ": writing failed after " + with_thousands(done) + " of " +
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

void AtomicFileSet::add(const std::string& path, std::string_view bytes) {
  struct stat target {};
  bool target_exists = ::stat(path.c_str(), &target) == 0;
  if (target_exists && S_ISDIR(target.st_mode))
    throw std::runtime_error("cannot write " + path + ": it is a directory");

  std::unique_ptr<Staged> staged(new Staged{path, create_temp_beside(path)});
  TempFile& temp = staged->temp;
  write_all(temp, path, bytes);
  // Keep the mode of the file we replace.
  if (target_exists && S_ISREG(target.st_mode)) ::fchmod(temp.fd(), target.st_mode & 07777);
  if (::fsync(temp.fd()) != 0)
    throw std::runtime_error("cannot write " + path + ": fsync failed: " + os_reason(errno));
  if (temp.close() != 0) throw std::runtime_error("cannot write " + path + ": close failed: " + os_reason(errno));
  staged_.push_back(std::move(staged));
}

void AtomicFileSet::commit() {
  // Renames need no space: once every file is written, they go through.
  for (auto& staged : staged_) {
    if (::rename(staged->temp.path().c_str(), staged->path.c_str()) != 0)
      throw std::runtime_error("cannot write " + staged->path + ": renaming the temporary file over it failed: " +
                               os_reason(errno));
    staged->temp.release();
  }
  for (auto& staged : staged_) sync_directory(directory_of(staged->path));
  staged_.clear();
}

void write_file_atomically(const std::string& path, std::string_view bytes) {
  AtomicFileSet file;
  file.add(path, bytes);
  file.commit();
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

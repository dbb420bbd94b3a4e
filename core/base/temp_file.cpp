#include "core/base/temp_file.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "core/base/atomic_file.h"

namespace gapscope {

namespace {

constexpr const char* kMarker = ".tmp-";

// A save in flight writes to its temp file all along; one untouched this long
// is stale even when its PID is of another machine (a folder shared over NFS)
// or another PID namespace, where "no such process" proves nothing.
constexpr time_t kStaleAfterSeconds = 15 * 60;

bool all_digits(const std::string& text) {
  return !text.empty() && text.size() <= 18 && text.find_first_not_of("0123456789") == std::string::npos;
}

// kill(pid, 0) fails with ESRCH only when no such process exists; EPERM means
// it runs under another user.
bool process_is_gone(long pid) { return pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH; }

}  // namespace

TempFile::~TempFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!path_.empty()) ::unlink(path_.c_str());
}

int TempFile::close() {
  int result = ::close(fd_);
  fd_ = -1;
  return result;
}

std::optional<long> temp_file_owner(const std::string& file_name) {
  // "." NAME ".tmp-" PID "-" N, NAME non-empty.
  if (file_name.size() < 2 || file_name[0] != '.') return std::nullopt;
  const size_t marker = file_name.rfind(kMarker);
  if (marker == std::string::npos || marker < 2) return std::nullopt;
  const std::string tail = file_name.substr(marker + std::strlen(kMarker));
  const size_t dash = tail.find('-');
  if (dash == std::string::npos) return std::nullopt;
  const std::string pid = tail.substr(0, dash), counter = tail.substr(dash + 1);
  if (!all_digits(pid) || !all_digits(counter)) return std::nullopt;
  return std::stol(pid);
}

int remove_stale_temp_files(const std::string& folder) {
  DIR* dir = ::opendir(folder.c_str());
  if (!dir) return 0;
  int removed = 0;
  while (const dirent* entry = ::readdir(dir)) {
    const auto owner = temp_file_owner(entry->d_name);
    if (!owner || !process_is_gone(*owner)) continue;
    // Only plain files: never follow or remove anything else that happens to match.
    struct stat info {};
    if (::fstatat(::dirfd(dir), entry->d_name, &info, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(info.st_mode)) continue;
    if (::time(nullptr) - info.st_mtime < kStaleAfterSeconds) continue;
    if (::unlinkat(::dirfd(dir), entry->d_name, 0) == 0) ++removed;
  }
  ::closedir(dir);
  return removed;
}

// A fresh name beside the target; O_EXCL guarantees it is ours.
TempFile create_temp_beside(const std::string& target) {
  static std::atomic<unsigned> counter{0};
  const std::string dir = folder_of(target);
  remove_stale_temp_files(dir);
  const std::string base = std::filesystem::path(target).filename().string();
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string temp = dir + "/." + base + kMarker + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    // 0666 so the saved file gets the usual umask-derived mode.
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) return TempFile(fd, temp);
    if (errno != EEXIST)
      throw FileWriteError("cannot write " + target + ": cannot create a temporary file in " + dir + ": " +
                           std::strerror(errno));
  }
  throw FileWriteError("cannot write " + target + ": no free temporary file name in " + dir);
}

}  // namespace gapscope

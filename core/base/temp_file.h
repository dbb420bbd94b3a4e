// The temp files of atomic writes (core/base/atomic_file.h): a hidden
// ".NAME.tmp-PID-N" beside the target NAME, created exclusively. A process
// killed mid-save (SIGKILL, power loss) leaves one behind; the next save into
// that folder removes those of processes that no longer run, once untouched
// for 15 minutes.
#pragma once
#include <optional>
#include <string>

namespace gapscope {

// An open temp file; closes it and removes it unless released.
class TempFile {
 public:
  TempFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  int fd() const { return fd_; }
  const std::string& path() const { return path_; }
  int close();
  void release() { path_.clear(); }

 private:
  int fd_;
  std::string path_;
};

// Creates a fresh temp file beside `target`, first removing the stale temp
// files of dead processes in that folder. Throws FileWriteError naming target.
TempFile create_temp_beside(const std::string& target);

// The PID in a temp file name of ours (".NAME.tmp-PID-N"); nullopt for any other name.
std::optional<long> temp_file_owner(const std::string& file_name);

// Removes the temp files of ours in `folder` whose process no longer runs and
// that were not modified for 15 minutes (best effort: a file it cannot remove
// stays). Returns how many it removed.
int remove_stale_temp_files(const std::string& folder);

}  // namespace gapscope

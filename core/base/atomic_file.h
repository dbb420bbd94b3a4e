// Writes a file so that a crash, a full disk or a read-only target leaves any
// previous file intact: write to a temp file beside it, fsync, rename. The one
// home of the rules on output targets: only an absent target or a regular file
// is ever replaced (never a device, FIFO, socket or folder), and
// check_writable_target() tells before any work whether a save will be allowed.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/file_write_error.h"

namespace gapscope {

// Checks that `path` can be saved, before the work that produces it: its
// folder exists and takes new files (a temp file is created there and
// removed), and the target is absent or a regular file. Throws FileWriteError
// naming the path and why.
void check_writable_target(const std::string& path);

// Several files replaced together (a TF.js model.json and its shards): each
// is written and fsync'ed to a temp file beside its target by add(); commit()
// then renames them all, in the order added. A failure while writing (disk
// full, read-only directory) therefore changes none of the targets; files not
// committed are removed when the set goes away.
class AtomicFileSet {
 public:
  AtomicFileSet();
  ~AtomicFileSet();
  AtomicFileSet(const AtomicFileSet&) = delete;
  AtomicFileSet& operator=(const AtomicFileSet&) = delete;
  // Both throw FileWriteError naming the path and the OS reason.
  void add(const std::string& path, std::string_view bytes);
  void commit();

 private:
  struct Staged;
  std::vector<std::unique_ptr<Staged>> staged_;
};

// Throws FileWriteError naming the path and the OS reason.
void write_file_atomically(const std::string& path, std::string_view bytes);
// The folder part of a path; "." when it has none.
std::string folder_of(const std::string& path);
// Reads a whole file, refusing files larger than max_bytes (naming both numbers).
std::string read_file_limited(const std::string& path, int64_t max_bytes);

}  // namespace gapscope

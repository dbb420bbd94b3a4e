// Writes a file so that a crash, a full disk or a read-only target leaves any
// previous file intact: write to a temp file beside it, fsync, rename.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace gapscope {

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
  // Throws std::runtime_error naming the path and the OS reason.
  void add(const std::string& path, std::string_view bytes);
  void commit();

 private:
  struct Staged;
  std::vector<std::unique_ptr<Staged>> staged_;
};

// Throws std::runtime_error naming the path and the OS reason.
void write_file_atomically(const std::string& path, std::string_view bytes);
// Reads a whole file, refusing files larger than max_bytes (naming both numbers).
std::string read_file_limited(const std::string& path, int64_t max_bytes);

}  // namespace gapscope

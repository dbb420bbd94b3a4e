// Writes a file so that a crash, a full disk or a read-only target leaves any
// previous file intact: write to a temp file beside it, fsync, rename.
#pragma once
#include <string>
#include <string_view>

namespace gapscope {

// Throws std::runtime_error naming the path and the OS reason.
void write_file_atomically(const std::string& path, std::string_view bytes);
// Reads a whole file, refusing files larger than max_bytes (naming both numbers).
std::string read_file_limited(const std::string& path, int64_t max_bytes);

}  // namespace gapscope

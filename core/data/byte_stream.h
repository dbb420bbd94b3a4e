// Sequential reading of a data file that may be gzip-compressed. Compression is
// detected by content (the 1f 8b magic), never by the file name, and every
// offset is counted in the bytes the caller sees (the decompressed stream), so
// error messages can point at the exact byte a format reader rejected.
// zlib's inflate is driven directly (not gzread) so that a corrupt stream is
// reported at the exact decompressed offset. Concatenated gzip members are
// read as one stream; any other data after a member is a corrupt stream.
#pragma once
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace gapscope {

struct GzipInflater;  // zlib state, kept out of this header

class FileByteStream {
 public:
  // Throws DataError naming the path and the OS error when it cannot be opened.
  explicit FileByteStream(std::string path);
  ~FileByteStream();
  FileByteStream(const FileByteStream&) = delete;
  FileByteStream& operator=(const FileByteStream&) = delete;

  const std::string& path() const { return path_; }
  bool compressed() const { return compressed_; }
  int64_t offset() const { return offset_; }  // bytes delivered so far

  // Reads up to `count` bytes; fewer only at the end of the stream. A read
  // error or a corrupt/truncated gzip stream throws DataError.
  size_t read_some(uint8_t* destination, size_t count);

  // Reads exactly `count` bytes or throws DataError saying what was being read
  // (`what`), where it started and where the data ended.
  void read_exact(uint8_t* destination, size_t count, const std::string& what);

  // Reads `count` bytes into a vector that grows only as data actually
  // arrives, so a header promising terabytes cannot make us allocate them.
  std::vector<uint8_t> read_bounded(int64_t count, const std::string& what);
  // Reads `count` bytes in pieces of at most 1 MiB, handing each to `consume`
  // as it arrives (no buffer of the whole); truncation throws as read_exact.
  void read_in_pieces(int64_t count, const std::string& what,
                      const std::function<void(const uint8_t* bytes, size_t size)>& consume);

  // True when no byte follows (consumes at most one byte).
  bool at_end();

  // "byte offset N", plus "of the decompressed stream" for gzip input.
  std::string describe_offset(int64_t offset) const;

 private:
  size_t read_file(uint8_t* destination, size_t count);
  size_t inflate_some(uint8_t* destination, size_t count);
  [[noreturn]] void throw_gzip_error(const std::string& problem, int64_t offset) const;
  [[noreturn]] void throw_truncated(const std::string& what, int64_t start, int64_t expected) const;

  struct FileCloser {
    void operator()(std::FILE* file) const { std::fclose(file); }
  };

  std::string path_;
  std::unique_ptr<std::FILE, FileCloser> file_;
  bool compressed_ = false;
  std::unique_ptr<GzipInflater> inflater_;  // set for gzip input
  int64_t offset_ = 0;
};

}  // namespace gapscope

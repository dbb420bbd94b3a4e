#include "core/data/byte_stream.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <system_error>

#include "core/data/dataset.h"

namespace gapscope {
namespace {

std::string os_error_text(int error_number) {
  return std::generic_category().message(error_number);
}

// The first allocation of read_bounded; later ones double, so memory stays
// within twice the bytes that really arrived.
constexpr int64_t kFirstChunkBytes = 1 << 20;

}  // namespace

FileByteStream::FileByteStream(std::string path) : path_(std::move(path)) {
  std::error_code ignored;
  if (std::filesystem::is_directory(path_, ignored)) {
    throw DataError(path_ + ": is a directory, expected a data file");
  }
  raw_file_ = std::fopen(path_.c_str(), "rb");
  if (raw_file_ == nullptr) {
    throw DataError(path_ + ": cannot open: " + os_error_text(errno));
  }
  unsigned char magic[2] = {0, 0};
  const size_t magic_bytes = std::fread(magic, 1, 2, raw_file_);
  compressed_ = magic_bytes == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
  if (!compressed_) {
    std::rewind(raw_file_);
    return;
  }
  std::fclose(raw_file_);
  raw_file_ = nullptr;
  errno = 0;
  gzip_file_ = gzopen(path_.c_str(), "rb");
  if (gzip_file_ == nullptr) {
    throw DataError(path_ + ": cannot open gzip stream: " +
                    (errno != 0 ? os_error_text(errno) : std::string("out of memory")));
  }
  gzbuffer(gzip_file_, 1 << 17);  // fewer, larger reads than zlib's 8 KiB default
}

FileByteStream::~FileByteStream() {
  if (raw_file_ != nullptr) std::fclose(raw_file_);
  if (gzip_file_ != nullptr) gzclose(gzip_file_);
}

std::string FileByteStream::describe_offset(int64_t offset) const {
  return "byte offset " + std::to_string(offset) +
         (compressed_ ? " of the decompressed stream" : "");
}

size_t FileByteStream::read_some(uint8_t* destination, size_t count) {
  size_t total = 0;
  while (total < count) {
    // gzread takes an unsigned int; read in chunks well below that.
    const size_t request = std::min<size_t>(count - total, 1u << 30);
    size_t got = 0;
    if (raw_file_ != nullptr) {
      got = std::fread(destination + total, 1, request, raw_file_);
      if (got < request && std::ferror(raw_file_)) {
        throw DataError(path_ + ": read error at " + describe_offset(offset_ + total) + ": " +
                        os_error_text(errno));
      }
    } else {
      const int result = gzread(gzip_file_, destination + total, static_cast<unsigned>(request));
      got = result > 0 ? static_cast<size_t>(result) : 0;
      if (got < request) {
        // zlib reports a truncated stream only through gzerror (Z_BUF_ERROR),
        // while gzread itself returns a short count: always ask.
        int error_code = Z_OK;
        const char* message = gzerror(gzip_file_, &error_code);
        if (error_code != Z_OK) {
          const std::string where = describe_offset(offset_ + total + got);
          if (error_code == Z_BUF_ERROR) {
            throw DataError(path_ + ": gzip stream is truncated (zlib: " + message +
                            ") after " + where);
          }
          if (error_code == Z_ERRNO) {
            throw DataError(path_ + ": read error after " + where + ": " + os_error_text(errno));
          }
          throw DataError(path_ + ": corrupt gzip stream (zlib: " + message + ") after " + where);
        }
      }
    }
    total += got;
    if (got < request) break;  // end of stream
  }
  offset_ += static_cast<int64_t>(total);
  return total;
}

void FileByteStream::throw_truncated(const std::string& what, int64_t start,
                                     int64_t expected) const {
  throw DataError(path_ + ": " + what + " is truncated: expected " + std::to_string(expected) +
                  " bytes from " + describe_offset(start) + ", but the data ends at byte offset " +
                  std::to_string(offset_));
}

void FileByteStream::read_exact(uint8_t* destination, size_t count, const std::string& what) {
  const int64_t start = offset_;
  if (read_some(destination, count) < count) {
    throw_truncated(what, start, static_cast<int64_t>(count));
  }
}

std::vector<uint8_t> FileByteStream::read_bounded(int64_t count, const std::string& what) {
  const int64_t start = offset_;
  std::vector<uint8_t> bytes;
  int64_t filled = 0;
  while (filled < count) {
    const int64_t target = std::min(count, std::max(filled * 2, kFirstChunkBytes));
    bytes.resize(static_cast<size_t>(target));
    const size_t wanted = static_cast<size_t>(target - filled);
    const size_t got = read_some(bytes.data() + filled, wanted);
    filled += static_cast<int64_t>(got);
    if (got < wanted) throw_truncated(what, start, count);
  }
  return bytes;
}

bool FileByteStream::at_end() {
  uint8_t probe = 0;
  return read_some(&probe, 1) == 0;
}

}  // namespace gapscope

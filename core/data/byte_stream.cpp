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

// inflate and fread take unsigned int / size_t counts; stay well below both.
constexpr size_t kMaxRequestBytes = size_t{1} << 30;

}  // namespace

struct GzipInflater {
  z_stream stream{};
  bool initialized = false;
  std::vector<uint8_t> input = std::vector<uint8_t>(size_t{1} << 17);
  int64_t compressed_read = 0;  // bytes fetched from the file so far
  bool member_ended = false;    // inflate reported the end of a gzip member
  bool finished = false;        // ... and the file ended right after it

  int64_t compressed_offset() const { return compressed_read - stream.avail_in; }
  ~GzipInflater() {
    if (initialized) inflateEnd(&stream);
  }
};

FileByteStream::FileByteStream(std::string path) : path_(std::move(path)) {
  std::error_code ignored;
  if (std::filesystem::is_directory(path_, ignored)) {
    throw DataError(path_ + ": is a directory, expected a data file");
  }
  file_.reset(std::fopen(path_.c_str(), "rb"));
  if (file_ == nullptr) {
    throw DataError(path_ + ": cannot open: " + os_error_text(errno));
  }
  unsigned char magic[2] = {0, 0};
  compressed_ = std::fread(magic, 1, 2, file_.get()) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
  std::rewind(file_.get());
  if (!compressed_) return;
  inflater_ = std::make_unique<GzipInflater>();
  // 16 + MAX_WBITS: expect a gzip wrapper and check its CRC-32 and length.
  if (inflateInit2(&inflater_->stream, 16 + MAX_WBITS) != Z_OK) {
    throw DataError(path_ + ": cannot start gzip decompression (out of memory)");
  }
  inflater_->initialized = true;
}

FileByteStream::~FileByteStream() = default;  // here, where GzipInflater is complete

std::string FileByteStream::describe_offset(int64_t offset) const {
  return "byte offset " + std::to_string(offset) +
         (compressed_ ? " of the decompressed stream" : "");
}

size_t FileByteStream::read_file(uint8_t* destination, size_t count) {
  const size_t got = std::fread(destination, 1, count, file_.get());
  if (got < count && std::ferror(file_.get())) {
    throw DataError(path_ + ": read error: " + os_error_text(errno));
  }
  return got;
}

void FileByteStream::throw_gzip_error(const std::string& problem, int64_t offset) const {
  throw DataError(path_ + ": " + problem + " at " + describe_offset(offset) +
                  " (compressed byte offset " + std::to_string(inflater_->compressed_offset()) +
                  ")");
}

size_t FileByteStream::inflate_some(uint8_t* destination, size_t count) {
  GzipInflater& inflater = *inflater_;
  z_stream& stream = inflater.stream;
  size_t produced = 0;
  while (produced < count && !inflater.finished) {
    if (stream.avail_in == 0) {
      const size_t got = read_file(inflater.input.data(), inflater.input.size());
      inflater.compressed_read += static_cast<int64_t>(got);
      stream.next_in = inflater.input.data();
      stream.avail_in = static_cast<uInt>(got);
      if (got == 0) {
        if (inflater.member_ended) {
          inflater.finished = true;
          break;
        }
        throw_gzip_error("gzip stream is truncated (the file ends before the stream does)",
                         offset_ + static_cast<int64_t>(produced));
      }
    }
    if (inflater.member_ended) {
      // More bytes after a member: gzip allows another member to follow.
      inflateReset(&stream);
      inflater.member_ended = false;
    }
    const size_t request = std::min(count - produced, kMaxRequestBytes);
    stream.next_out = destination + produced;
    stream.avail_out = static_cast<uInt>(request);
    const int status = inflate(&stream, Z_NO_FLUSH);
    produced += request - stream.avail_out;
    if (status == Z_STREAM_END) {
      inflater.member_ended = true;
    } else if (status != Z_OK && status != Z_BUF_ERROR) {
      const std::string reason =
          stream.msg != nullptr ? stream.msg : "error " + std::to_string(status);
      throw_gzip_error("corrupt gzip stream (zlib: " + reason + ")",
                       offset_ + static_cast<int64_t>(produced));
    }
  }
  return produced;
}

size_t FileByteStream::read_some(uint8_t* destination, size_t count) {
  size_t total = 0;
  while (total < count) {
    const size_t request = std::min(count - total, kMaxRequestBytes);
    const size_t got = compressed_ ? inflate_some(destination + total, request)
                                   : read_file(destination + total, request);
    total += got;
    offset_ += static_cast<int64_t>(got);  // per chunk: error messages use it
    if (got < request) break;              // end of stream
  }
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

void FileByteStream::read_in_pieces(int64_t count, const std::string& what,
                                    const std::function<void(const uint8_t*, size_t)>& consume) {
  const int64_t start = offset_;
  std::vector<uint8_t> piece(static_cast<size_t>(std::min(count, kFirstChunkBytes)));
  for (int64_t filled = 0; filled < count;) {
    const size_t wanted = static_cast<size_t>(std::min<int64_t>(count - filled, kFirstChunkBytes));
    const size_t got = read_some(piece.data(), wanted);
    consume(piece.data(), got);
    filled += static_cast<int64_t>(got);
    if (got < wanted) throw_truncated(what, start, count);
  }
}

bool FileByteStream::at_end() {
  uint8_t probe = 0;
  return read_some(&probe, 1) == 0;
}

}  // namespace gapscope

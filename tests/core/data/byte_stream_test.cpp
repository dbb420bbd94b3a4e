// Reading raw or gzip data: compression detected by content, corrupt and
// truncated gzip streams and unreadable files become DataErrors with the path.
#include "core/data/byte_stream.h"

#include "core/data/mnist.h"
#include "tests/core/data/idx_test_files.h"

using namespace gapscope;
using namespace gapscope::test;
using Catch::Matchers::Contains;

namespace {

Bytes read_everything(const std::string& path) {
  FileByteStream stream(path);
  Bytes bytes(1 << 16);
  bytes.resize(stream.read_some(bytes.data(), bytes.size()));
  CHECK(stream.at_end());
  return bytes;
}

// Reads a gzip file to its end and returns the DataError message.
std::string gzip_error(const std::string& path) {
  return data_error_message([&] { read_everything(path); });
}

}  // namespace

TEST_CASE("gzip is detected by content, not by the file name", "[data][gzip]") {
  ScratchDirectory dir;
  const Bytes payload = idx_images(3, 5, 5);
  write_gzip(dir.file("compressed-without-suffix"), payload);
  write_raw(dir.file("raw-with-suffix.gz"), payload);

  FileByteStream compressed(dir.file("compressed-without-suffix"));
  CHECK(compressed.compressed());
  FileByteStream raw(dir.file("raw-with-suffix.gz"));
  CHECK_FALSE(raw.compressed());
  CHECK(read_everything(dir.file("compressed-without-suffix")) == payload);
  CHECK(read_everything(dir.file("raw-with-suffix.gz")) == payload);
}

TEST_CASE("offsets count decompressed bytes and say so", "[data][gzip]") {
  ScratchDirectory dir;
  write_gzip(dir.file("data"), Bytes(100, 1));
  FileByteStream stream(dir.file("data"));
  uint8_t buffer[40];
  stream.read_exact(buffer, 40, "first part");
  CHECK(stream.offset() == 40);
  CHECK(stream.describe_offset(40) == "byte offset 40 of the decompressed stream");
  const std::string message = data_error_message([&] { stream.read_bounded(70, "second part"); });
  CHECK_THAT(message, Contains("second part is truncated"));
  CHECK_THAT(message, Contains("expected 70 bytes from byte offset 40 of the decompressed stream"));
  CHECK_THAT(message, Contains("ends at byte offset 100"));
}

TEST_CASE("a corrupt gzip stream is a DataError naming the file", "[data][gzip]") {
  ScratchDirectory dir;
  // The gzip magic followed by a header that is not one.
  write_raw(dir.file("garbage.gz"),
            Bytes{0x1f, 0x8b, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42});
  const std::string header = gzip_error(dir.file("garbage.gz"));
  CHECK_THAT(header, Contains(dir.file("garbage.gz")));
  CHECK_THAT(header, Contains("corrupt gzip stream"));
  CHECK_THAT(header, Contains("byte offset 0 of the decompressed stream"));

  // A damaged checksum in the trailer: the data inflates, the check fails.
  Bytes payload(5000);
  for (size_t i = 0; i < payload.size(); ++i) payload[i] = test_pixel(i);
  write_gzip(dir.file("checksum.gz"), payload);
  Bytes damaged = read_raw(dir.file("checksum.gz"));
  damaged[damaged.size() - 8] ^= 0xFF;
  write_raw(dir.file("checksum.gz"), damaged);
  const std::string checksum = gzip_error(dir.file("checksum.gz"));
  CHECK_THAT(checksum, Contains("corrupt gzip stream"));
  CHECK_THAT(checksum, Contains("incorrect data check"));
  CHECK_THAT(checksum, Contains("byte offset 5000 of the decompressed stream"));

  // Bytes after a member that are not another member.
  write_gzip(dir.file("trailing.gz"), payload);
  Bytes trailing = read_raw(dir.file("trailing.gz"));
  trailing.insert(trailing.end(), {0, 0, 0, 0});
  write_raw(dir.file("trailing.gz"), trailing);
  const std::string after = gzip_error(dir.file("trailing.gz"));
  CHECK_THAT(after, Contains("corrupt gzip stream"));
  CHECK_THAT(after, Contains("byte offset 5000 of the decompressed stream"));
}

TEST_CASE("concatenated gzip members read as one stream", "[data][gzip]") {
  ScratchDirectory dir;
  const Bytes images = idx_images(4, 2, 2);
  write_gzip(dir.file("head.gz"), Bytes(images.begin(), images.begin() + 10));
  write_gzip(dir.file("tail.gz"), Bytes(images.begin() + 10, images.end()));
  Bytes joined = read_raw(dir.file("head.gz"));
  const Bytes tail = read_raw(dir.file("tail.gz"));
  joined.insert(joined.end(), tail.begin(), tail.end());
  write_raw(dir.file("joined.gz"), joined);
  CHECK(read_everything(dir.file("joined.gz")) == images);
}

TEST_CASE("a truncated gzip stream is a DataError naming the offset", "[data][gzip]") {
  ScratchDirectory dir;
  write_gzip(dir.file("images.gz"), idx_images(50, 28, 28));
  Bytes compressed = read_raw(dir.file("images.gz"));
  compressed.resize(compressed.size() / 2);
  write_raw(dir.file("images.gz"), compressed);
  write_raw(dir.file("labels"), idx_labels(cycling_labels(50, 10)));

  const std::string message =
      data_error_message([&] { load_idx(dir.file("images.gz"), dir.file("labels")); });
  CHECK_THAT(message, Contains(dir.file("images.gz")));
  CHECK_THAT(message, Contains("gzip stream is truncated"));
  CHECK_THAT(message, Contains("of the decompressed stream (compressed byte offset " +
                               std::to_string(compressed.size()) + ")"));
}

TEST_CASE("files that cannot be opened name the path and the OS error", "[data][gzip]") {
  ScratchDirectory dir;
  const std::string missing = dir.file("no-such-images");
  const std::string message = data_error_message([&] { FileByteStream stream(missing); });
  CHECK_THAT(message, Contains(missing));
  CHECK_THAT(message, Contains("No such file or directory"));

  const std::string directory = data_error_message([&] { FileByteStream stream(dir.path()); });
  CHECK_THAT(directory, Contains(dir.path().string()));
  CHECK_THAT(directory, Contains("is a directory"));
}

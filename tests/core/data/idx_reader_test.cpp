// IDX images + labels, raw and gzip: a round trip, then every malformed header
// or payload must give a DataError naming the file and the byte offset.
#include "core/data/idx_reader.h"

#include <chrono>

#include "core/data/mnist.h"
#include "tests/core/data/idx_test_files.h"

using namespace gapscope;
using namespace gapscope::test;
using Catch::Matchers::Contains;

namespace {

struct IdxPair {
  std::string images;
  std::string labels;
};

// Writes a valid 7-image 3x4 set with labels 0..6 cycling over `classes`.
IdxPair write_valid_pair(const ScratchDirectory& dir, bool images_gzip, bool labels_gzip,
                         int classes = 10) {
  IdxPair pair{dir.file(images_gzip ? "set-images-idx3-ubyte.gz" : "set-images-idx3-ubyte"),
               dir.file(labels_gzip ? "set-labels-idx1-ubyte.gz" : "set-labels-idx1-ubyte")};
  const Bytes images = idx_images(7, 3, 4);
  const Bytes labels = idx_labels(cycling_labels(7, classes));
  images_gzip ? write_gzip(pair.images, images) : write_raw(pair.images, images);
  labels_gzip ? write_gzip(pair.labels, labels) : write_raw(pair.labels, labels);
  return pair;
}

// The message of load_idx on a given images file and valid 7 labels.
std::string images_error(const ScratchDirectory& dir, const Bytes& images, bool gzip = false,
                         const DataLimits& limits = {}) {
  const std::string images_path = dir.file(gzip ? "bad-images.gz" : "bad-images");
  gzip ? write_gzip(images_path, images) : write_raw(images_path, images);
  const std::string labels_path = dir.file("good-labels");
  write_raw(labels_path, idx_labels(cycling_labels(7, 10)));
  const std::string message =
      data_error_message([&] { load_idx(images_path, labels_path, limits); });
  CHECK_THAT(message, Contains(images_path));
  return message;
}

std::string labels_error(const ScratchDirectory& dir, const Bytes& labels) {
  const std::string images_path = dir.file("good-images");
  write_raw(images_path, idx_images(7, 3, 4));
  const std::string labels_path = dir.file("bad-labels");
  write_raw(labels_path, labels);
  const std::string message = data_error_message([&] { load_idx(images_path, labels_path); });
  CHECK_THAT(message, Contains(labels_path));
  return message;
}

}  // namespace

TEST_CASE("load_idx reads raw and gzip IDX files alike", "[data][idx]") {
  ScratchDirectory dir;
  const bool images_gzip = GENERATE(false, true);
  const bool labels_gzip = GENERATE(false, true);
  const IdxPair pair = write_valid_pair(dir, images_gzip, labels_gzip);

  const Dataset dataset = load_idx(pair.images, pair.labels);
  CHECK(dataset.name == pair.images);
  CHECK(dataset.count() == 7);
  CHECK(dataset.sample_shape == Shape{12});
  CHECK(dataset.image_height == 3);
  CHECK(dataset.image_width == 4);
  CHECK(dataset.classes == 7);  // largest label + 1
  std::vector<float> expected(7 * 12);
  for (size_t i = 0; i < expected.size(); ++i) expected[i] = test_pixel(i) / 255.0f;
  CHECK(dataset.features == expected);
  CHECK(dataset.labels == std::vector<int32_t>{0, 1, 2, 3, 4, 5, 6});
}

TEST_CASE("pixels are normalised to exactly 0 and 1 at the ends", "[data][idx]") {
  ScratchDirectory dir;
  Bytes images = idx_header(0x00000803, {2, 1, 2});
  images.insert(images.end(), {0, 255, 128, 1});
  write_raw(dir.file("images"), images);
  write_raw(dir.file("labels"), idx_labels({0, 1}));
  const Dataset dataset = load_idx(dir.file("images"), dir.file("labels"));
  CHECK(dataset.features == std::vector<float>{0.0f, 1.0f, 128 / 255.0f, 1 / 255.0f});
}

TEST_CASE("load_idx_with_classes fixes the class count and rejects larger labels", "[data][idx]") {
  ScratchDirectory dir;
  const IdxPair pair = write_valid_pair(dir, true, false, 3);
  CHECK(load_idx_with_classes(pair.images, pair.labels, 10).classes == 10);

  write_raw(pair.labels, idx_labels({0, 1, 2, 12, 4, 5, 6}));
  CHECK(load_idx(pair.images, pair.labels).classes == 13);
  const std::string message =
      data_error_message([&] { load_idx_with_classes(pair.images, pair.labels, 10); });
  CHECK_THAT(message, Contains(pair.labels));
  CHECK_THAT(message, Contains("label 12 of sample 3"));
  CHECK_THAT(message, Contains("byte offset 11"));
  CHECK_THAT(message, Contains("below 10"));
}

TEST_CASE("a bad magic number names the file, offset 0 and the expected magic", "[data][idx]") {
  ScratchDirectory dir;
  Bytes images = idx_images(7, 3, 4);
  images[0] = 0x12;
  const std::string raw = images_error(dir, images);
  CHECK_THAT(raw, Contains("magic number 0x12000803"));
  CHECK_THAT(raw, Contains("byte offset 0"));
  CHECK_THAT(raw, Contains("expected 0x00000803"));

  const std::string gzip = images_error(dir, images, true);
  CHECK_THAT(gzip, Contains("byte offset 0 of the decompressed stream"));
}

TEST_CASE("an element type other than unsigned byte is rejected", "[data][idx]") {
  ScratchDirectory dir;
  const std::string message = images_error(dir, idx_header(0x00000D03, {7, 3, 4}));
  CHECK_THAT(message, Contains("0x0D (float32)"));
  CHECK_THAT(message, Contains("byte offset 2"));
  CHECK_THAT(message, Contains("expected 0x08"));
}

TEST_CASE("a wrong number of dimensions is rejected", "[data][idx]") {
  ScratchDirectory dir;
  // A labels file given as the images file: one dimension.
  const std::string message = images_error(dir, idx_labels(cycling_labels(7, 10)));
  CHECK_THAT(message, Contains("has 1 dimensions"));
  CHECK_THAT(message, Contains("byte offset 3"));
  CHECK_THAT(message, Contains("expected 3"));

  const std::string labels_message = labels_error(dir, idx_header(0x00000802, {7, 1}));
  CHECK_THAT(labels_message, Contains("has 2 dimensions"));
  CHECK_THAT(labels_message, Contains("expected 1"));
}

TEST_CASE("zero counts and zero image sizes are rejected", "[data][idx]") {
  ScratchDirectory dir;
  const std::string no_images = images_error(dir, idx_header(0x00000803, {0, 3, 4}));
  CHECK_THAT(no_images, Contains("0 images"));
  CHECK_THAT(no_images, Contains("byte offset 4"));

  const std::string no_rows = images_error(dir, idx_header(0x00000803, {7, 0, 4}));
  CHECK_THAT(no_rows, Contains("0 x 4 pixels"));
  CHECK_THAT(no_rows, Contains("byte offset 8"));

  const std::string no_labels = labels_error(dir, idx_header(0x00000801, {0}));
  CHECK_THAT(no_labels, Contains("0 labels"));
}

TEST_CASE("absurd image sizes are rejected against the limit before reading", "[data][idx]") {
  ScratchDirectory dir;
  const std::string message = images_error(dir, idx_header(0x00000803, {7, 65536, 65536}));
  CHECK_THAT(message, Contains("65536 x 65536 = 4294967296 pixels"));
  CHECK_THAT(message, Contains("limit of 16777216 elements per sample"));

  DataLimits small;
  small.max_file_bytes = 1000;  // 7 images of 12 pixels need 100 bytes; 100 images do not fit
  const std::string bytes_message =
      images_error(dir, idx_header(0x00000803, {100, 3, 4}), false, small);
  CHECK_THAT(bytes_message, Contains("100 images of 12 pixels"));
  CHECK_THAT(bytes_message, Contains("limit of 1000 bytes"));
}

TEST_CASE("a header claiming 2^31 images in a 100-byte file fails fast without allocating",
          "[data][idx]") {
  ScratchDirectory dir;
  Bytes lying = idx_header(0x00000803, {1u << 31, 28, 28});
  lying.resize(100, 7);
  const auto start = std::chrono::steady_clock::now();

  // With the default limits the count itself is refused.
  const std::string limit_message = images_error(dir, lying);
  CHECK_THAT(limit_message, Contains("2147483648 images"));
  CHECK_THAT(limit_message, Contains("limit of 10000000 samples"));

  // With limits that allow it (1.7 TB of pixels), reading must still not
  // allocate what the header promises: allocating it would throw bad_alloc,
  // not DataError, and the buffer only grows as bytes arrive.
  DataLimits huge;
  huge.max_samples = int64_t{1} << 32;
  huge.max_file_bytes = int64_t{1} << 42;
  huge.memory_bytes = 0;  // no memory check either
  for (bool gzip : {false, true}) {
    const std::string path = dir.file(gzip ? "lying.gz" : "lying");
    gzip ? write_gzip(path, lying) : write_raw(path, lying);
    IdxImageReader reader(path, huge);
    CHECK(reader.count() == int64_t{1} << 31);
    const std::string message = data_error_message([&] { reader.read_normalized_pixels(); });
    CHECK_THAT(message, Contains(path));
    CHECK_THAT(message, Contains("is truncated"));
    CHECK_THAT(message, Contains("expected 1683627180032 bytes from byte offset 16"));
    CHECK_THAT(message, Contains("ends at byte offset 100"));
  }
  // A labels file that lies the same way fails first when loading a pair.
  Bytes lying_labels = idx_header(0x00000801, {1u << 31});
  lying_labels.resize(100, 1);
  write_raw(dir.file("lying-labels"), lying_labels);
  const std::string labels_message =
      data_error_message([&] { load_idx(dir.file("lying"), dir.file("lying-labels"), huge); });
  CHECK_THAT(labels_message, Contains(dir.file("lying-labels")));
  CHECK_THAT(labels_message, Contains("expected 2147483648 bytes from byte offset 8"));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
}

TEST_CASE("short pixel or label data names where the data ended", "[data][idx]") {
  ScratchDirectory dir;
  Bytes images = idx_images(7, 3, 4);
  images.resize(16 + 30);
  const std::string message = images_error(dir, images, true);
  CHECK_THAT(message, Contains("pixel data (7 images of 3 x 4) is truncated"));
  CHECK_THAT(message, Contains("expected 84 bytes from byte offset 16 of the decompressed stream"));
  CHECK_THAT(message, Contains("ends at byte offset 46"));

  Bytes labels = idx_labels(cycling_labels(7, 10));
  labels.pop_back();
  CHECK_THAT(labels_error(dir, labels), Contains("ends at byte offset 14"));

  const std::string header = images_error(dir, Bytes{0, 0, 8, 3, 0, 0});
  CHECK_THAT(header, Contains("IDX header is truncated"));
  CHECK_THAT(header, Contains("ends at byte offset 6"));

  CHECK_THAT(images_error(dir, Bytes{}), Contains("IDX header is truncated"));
}

TEST_CASE("data after the last element is an error", "[data][idx]") {
  ScratchDirectory dir;
  Bytes images = idx_images(7, 3, 4);
  images.push_back(0);
  const std::string message = images_error(dir, images);
  CHECK_THAT(message, Contains("unexpected data after the last image, at byte offset 100"));

  Bytes labels = idx_labels(cycling_labels(7, 10));
  labels.push_back(3);
  CHECK_THAT(labels_error(dir, labels), Contains("after the last label, at byte offset 15"));
}

TEST_CASE("a label count different from the image count names both files", "[data][idx]") {
  ScratchDirectory dir;
  const std::string message = labels_error(dir, idx_labels(cycling_labels(6, 10)));
  CHECK_THAT(message, Contains("6 labels"));
  CHECK_THAT(message, Contains("7 images"));
  CHECK_THAT(message, Contains(dir.file("good-images")));
  CHECK_THAT(message, Contains("byte offset 4"));
}

TEST_CASE("images that would not fit the memory there is are refused before reading", "[data][idx]") {
  ScratchDirectory dir;
  DataLimits small_memory;
  small_memory.memory_bytes = 1 << 20;  // 7 images of 200 x 200 are 1.1 MiB of floats
  const std::string message = images_error(dir, idx_images(7, 200, 200), true, small_memory);
  CHECK_THAT(message, Contains("header says 7 images of 40,000 values"));
  CHECK_THAT(message, Contains("1.1 MiB as floats and 2.1 MiB while they are split and batched"));
  CHECK_THAT(message, Contains("more than the 1 MiB of memory available (set by the caller)"));
  small_memory.memory_bytes = 8 << 20;
  const std::string images_path = dir.file("fits.gz");
  write_gzip(images_path, idx_images(7, 200, 200));
  IdxImageReader reader(images_path, small_memory);
  CHECK(reader.read_normalized_pixels().size() == 7u * 200 * 200);
}

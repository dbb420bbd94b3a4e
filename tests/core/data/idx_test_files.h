// Helpers for the data-loader tests: a scratch directory, and IDX files
// (raw or gzip) written byte by byte, so tests can build any header, valid or not.
#pragma once
#include <zlib.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "core/data/dataset.h"

namespace gapscope::test {

using Bytes = std::vector<uint8_t>;

// A fresh directory under the system temp dir, removed with everything in it.
class ScratchDirectory {
 public:
  ScratchDirectory() {
    std::random_device entropy;
    path_ = std::filesystem::temp_directory_path() /
            ("gapscope-data-test-" + std::to_string(entropy()) + std::to_string(entropy()));
    std::filesystem::create_directories(path_);
  }
  ~ScratchDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;

  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline void append_big_endian_u32(Bytes& bytes, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8)
    bytes.push_back(static_cast<uint8_t>(value >> shift));
}

// The magic number, then the dimension sizes: any header, valid or not.
inline Bytes idx_header(uint32_t magic, const std::vector<uint32_t>& dimensions) {
  Bytes bytes;
  append_big_endian_u32(bytes, magic);
  for (uint32_t size : dimensions) append_big_endian_u32(bytes, size);
  return bytes;
}

// The pixel value the tests put at position `i` of the payload.
inline uint8_t test_pixel(size_t i) { return static_cast<uint8_t>((i * 37 + 11) % 256); }

inline Bytes idx_images(uint32_t count, uint32_t rows, uint32_t columns) {
  Bytes bytes = idx_header(0x00000803, {count, rows, columns});
  const size_t pixels = size_t{count} * rows * columns;
  for (size_t i = 0; i < pixels; ++i) bytes.push_back(test_pixel(i));
  return bytes;
}

inline Bytes idx_labels(const std::vector<uint8_t>& labels) {
  Bytes bytes = idx_header(0x00000801, {static_cast<uint32_t>(labels.size())});
  bytes.insert(bytes.end(), labels.begin(), labels.end());
  return bytes;
}

// Labels 0, 1, ..., classes-1, 0, 1, ...
inline std::vector<uint8_t> cycling_labels(size_t count, int classes) {
  std::vector<uint8_t> labels(count);
  for (size_t i = 0; i < count; ++i) labels[i] = static_cast<uint8_t>(i % classes);
  return labels;
}

inline void write_raw(const std::string& path, const Bytes& bytes) {
  std::ofstream file(path, std::ios::binary);
  file.write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
  REQUIRE(file.good());
}

inline void write_gzip(const std::string& path, const Bytes& bytes) {
  gzFile file = gzopen(path.c_str(), "wb9");
  REQUIRE(file != nullptr);
  if (!bytes.empty()) {
    REQUIRE(gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size())) ==
            static_cast<int>(bytes.size()));
  }
  REQUIRE(gzclose(file) == Z_OK);
}

inline Bytes read_raw(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

// Runs `action`, requires a DataError, and returns its message.
inline std::string data_error_message(const std::function<void()>& action) {
  try {
    action();
  } catch (const DataError& error) {
    return error.what();
  }
  FAIL("expected a DataError, none was thrown");
  return {};
}

}  // namespace gapscope::test

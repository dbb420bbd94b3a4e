#include "core/data/idx_reader.h"

#include <algorithm>
#include <cstdio>

namespace gapscope {
namespace {

constexpr uint8_t kUnsignedByteType = 0x08;

const char* element_type_name(uint8_t code) {
  switch (code) {
    case 0x08:
      return "unsigned byte";
    case 0x09:
      return "signed byte";
    case 0x0B:
      return "int16";
    case 0x0C:
      return "int32";
    case 0x0D:
      return "float32";
    case 0x0E:
      return "float64";
    default:
      return "unknown";
  }
}

std::string hex(uint32_t value, int digits) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%0*X", digits, value);
  return text;
}

uint32_t big_endian_u32(const uint8_t bytes[4]) {
  return (uint32_t{bytes[0]} << 24) | (uint32_t{bytes[1]} << 16) | (uint32_t{bytes[2]} << 8) |
         uint32_t{bytes[3]};
}

// Reads the magic number and the dimension sizes, checking the magic byte by
// byte so the message says which part is wrong.
std::vector<int64_t> read_idx_dimensions(FileByteStream& stream, uint8_t dimensions_expected,
                                         const std::string& file_kind,
                                         const std::string& dimensions_meaning) {
  const std::string& path = stream.path();
  const uint32_t expected_magic = (uint32_t{kUnsignedByteType} << 8) | dimensions_expected;
  uint8_t magic[4];
  stream.read_exact(magic, 4, "IDX header");
  if (magic[0] != 0 || magic[1] != 0) {
    throw DataError(path + ": not an IDX " + file_kind + " file: magic number " +
                    hex(big_endian_u32(magic), 8) + " at " + stream.describe_offset(0) +
                    ", expected " + hex(expected_magic, 8));
  }
  if (magic[2] != kUnsignedByteType) {
    throw DataError(path + ": IDX element type " + hex(magic[2], 2) + " (" +
                    element_type_name(magic[2]) + ") at " + stream.describe_offset(2) +
                    " is not supported, expected " + hex(kUnsignedByteType, 2) +
                    " (unsigned byte)");
  }
  if (magic[3] != dimensions_expected) {
    throw DataError(path + ": IDX " + file_kind + " file has " + std::to_string(magic[3]) +
                    " dimensions (" + stream.describe_offset(3) + "), expected " +
                    std::to_string(dimensions_expected) + " (" + dimensions_meaning + ")");
  }
  std::vector<int64_t> dimensions;
  for (int i = 0; i < dimensions_expected; ++i) {
    uint8_t size[4];
    stream.read_exact(size, 4, "IDX header");
    dimensions.push_back(big_endian_u32(size));
  }
  return dimensions;
}

void require_count_within_limits(const FileByteStream& stream, int64_t count,
                                 const std::string& what, const DataLimits& limits) {
  if (count == 0) {
    throw DataError(stream.path() + ": header says 0 " + what + " (" + stream.describe_offset(4) +
                    "), expected at least 1");
  }
  if (count > limits.max_samples) {
    throw DataError(stream.path() + ": header says " + std::to_string(count) + " " + what + " (" +
                    stream.describe_offset(4) + "), more than the limit of " +
                    std::to_string(limits.max_samples) + " samples");
  }
}

// Formats report where the data ended; IDX data must end with the last element.
void require_end_of_data(FileByteStream& stream, const std::string& last_element) {
  const int64_t end = stream.offset();
  if (!stream.at_end()) {
    throw DataError(stream.path() + ": unexpected data after the " + last_element + ", at " +
                    stream.describe_offset(end) + " (the header says the file ends there)");
  }
}

}  // namespace

IdxImageReader::IdxImageReader(const std::string& path, const DataLimits& limits) : stream_(path) {
  const std::vector<int64_t> dimensions =
      read_idx_dimensions(stream_, 3, "images", "count, rows, columns");
  count_ = dimensions[0];
  rows_ = dimensions[1];
  columns_ = dimensions[2];
  require_count_within_limits(stream_, count_, "images", limits);
  if (rows_ == 0 || columns_ == 0) {
    throw DataError(path + ": header says images are " + std::to_string(rows_) + " x " +
                    std::to_string(columns_) + " pixels (" + stream_.describe_offset(8) +
                    "), expected at least 1 x 1");
  }
  // Each factor is below 2^32, so the product fits in uint64 (not always in int64).
  const uint64_t pixels = static_cast<uint64_t>(rows_) * static_cast<uint64_t>(columns_);
  if (pixels > static_cast<uint64_t>(std::max<int64_t>(limits.max_sample_elements, 0))) {
    throw DataError(path + ": header says images are " + std::to_string(rows_) + " x " +
                    std::to_string(columns_) + " = " + std::to_string(pixels) +
                    " pixels (" + stream_.describe_offset(8) + "), more than the limit of " +
                    std::to_string(limits.max_sample_elements) + " elements per sample");
  }
  const int64_t pixels_per_image = static_cast<int64_t>(pixels);
  // Compare by division: count * pixels may not fit in 64 bits.
  const int64_t payload_limit = limits.max_file_bytes - kIdxImageHeaderBytes;
  if (payload_limit < 0 || count_ > payload_limit / pixels_per_image) {
    throw DataError(path + ": header says " + std::to_string(count_) + " images of " +
                    std::to_string(pixels_per_image) + " pixels (" + stream_.describe_offset(4) +
                    "), more than the limit of " + std::to_string(limits.max_file_bytes) +
                    " bytes per file");
  }
  memory_checked_ = require_memory_for(path + ": header says", count_, pixels_per_image, limits);
}

std::vector<float> IdxImageReader::read_normalized_pixels() {
  // Converted piece by piece as the bytes arrive: no copy of the raw bytes.
  // Reserved up front only when the constructor checked the size against the
  // memory there is (and then it is address space until pixels arrive);
  // unchecked, the vector grows only as data arrives.
  std::vector<float> normalized;
  if (memory_checked_) normalized.reserve(static_cast<size_t>(count_ * rows_ * columns_));
  stream_.read_in_pieces(count_ * rows_ * columns_,
                         "pixel data (" + std::to_string(count_) + " images of " + std::to_string(rows_) + " x " +
                             std::to_string(columns_) + ")",
                         [&](const uint8_t* bytes, size_t size) {
                           for (size_t i = 0; i < size; ++i) normalized.push_back(bytes[i] / 255.0f);
                         });
  require_end_of_data(stream_, "last image");
  return normalized;
}

IdxLabelReader::IdxLabelReader(const std::string& path, const DataLimits& limits) : stream_(path) {
  count_ = read_idx_dimensions(stream_, 1, "labels", "count")[0];
  require_count_within_limits(stream_, count_, "labels", limits);
  if (count_ > limits.max_file_bytes - kIdxLabelHeaderBytes) {
    throw DataError(path + ": header says " + std::to_string(count_) + " labels (" +
                    stream_.describe_offset(4) + "), more than the limit of " +
                    std::to_string(limits.max_file_bytes) + " bytes per file");
  }
}

std::vector<int32_t> IdxLabelReader::read_labels(int64_t class_limit) {
  const int64_t start = stream_.offset();
  const std::vector<uint8_t> values =
      stream_.read_bounded(count_, "label data (" + std::to_string(count_) + " labels)");
  require_end_of_data(stream_, "last label");
  std::vector<int32_t> labels(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i] >= class_limit) {
      throw DataError(path() + ": label " + std::to_string(values[i]) + " of sample " +
                      std::to_string(i) + " at " +
                      stream_.describe_offset(start + static_cast<int64_t>(i)) +
                      " is out of range, expected a class below " + std::to_string(class_limit));
    }
    labels[i] = values[i];
  }
  return labels;
}

}  // namespace gapscope

// IDX files, the format of MNIST and Fashion-MNIST: a big-endian header (two
// zero bytes, an element type code, the number of dimensions, then one uint32
// per dimension) followed by the elements. Only unsigned-byte elements are
// read. Headers are checked against DataLimits before anything is allocated,
// and the payload buffer grows only as bytes arrive, so a lying header costs
// nothing. Data after the last element is an error (IDX files end there), and
// so is anything after a gzip member other than another member (byte_stream.h).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/data/byte_stream.h"
#include "core/data/dataset.h"

namespace gapscope {

// An images file: magic 0x00000803, dimensions count x rows x columns.
class IdxImageReader {
 public:
  // Opens the file and validates the header; throws DataError.
  IdxImageReader(const std::string& path, const DataLimits& limits);

  const std::string& path() const { return stream_.path(); }
  const FileByteStream& stream() const { return stream_; }
  int64_t count() const { return count_; }  // header field at byte offset 4
  int64_t rows() const { return rows_; }
  int64_t columns() const { return columns_; }

  // All pixels, row-major per image, as value / 255 in [0, 1].
  std::vector<float> read_normalized_pixels();

 private:
  FileByteStream stream_;
  int64_t count_ = 0;
  int64_t rows_ = 0;
  int64_t columns_ = 0;
  bool memory_checked_ = false;  // the declared size fits the memory there is
};

// A labels file: magic 0x00000801, one dimension (count).
class IdxLabelReader {
 public:
  IdxLabelReader(const std::string& path, const DataLimits& limits);

  const std::string& path() const { return stream_.path(); }
  const FileByteStream& stream() const { return stream_; }
  int64_t count() const { return count_; }  // header field at byte offset 4

  // All labels; a value >= class_limit throws DataError naming its offset.
  std::vector<int32_t> read_labels(int64_t class_limit);

 private:
  FileByteStream stream_;
  int64_t count_ = 0;
};

inline constexpr int64_t kIdxImageHeaderBytes = 16;
inline constexpr int64_t kIdxLabelHeaderBytes = 8;

}  // namespace gapscope

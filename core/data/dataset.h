// In-memory labelled datasets: features normalised to [0,1] floats, labels as
// class indices. Every loader names the file and the byte offset on bad input.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/tensor/tensor.h"

namespace gapscope {

struct Dataset {
  std::string name;           // "mnist", "fashion-mnist", "fortunes", or the path
  Shape sample_shape;         // e.g. [784] (images are flattened, H*W*C order); text [T, V]
  int64_t image_height = 0;   // 0 when the samples are not images
  int64_t image_width = 0;
  int64_t classes = 0;
  // > 0 (text): features hold integer ids, one per row of sample_shape's last
  // axis, and a sample is their one-hot expansion to this depth. Keeps 40-char
  // windows at 40 floats each instead of 40 x vocabulary.
  int64_t one_hot_depth = 0;
  std::vector<float> features;  // count x stored_per_sample()
  std::vector<int32_t> labels;  // count, each in [0, classes)
  std::vector<std::string> class_names;  // where the source names its classes (an image folder's subfolders)
  int64_t count() const { return static_cast<int64_t>(labels.size()); }
  int64_t stored_per_sample() const;
  // Writes sample i as the model sees it: element_count(sample_shape) floats.
  void copy_sample(int64_t i, float* out) const;
};

struct DataSplit {
  Dataset train;
  Dataset test;
};

class DataError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct DataLimits {
  int64_t max_samples = 10'000'000;
  int64_t max_sample_elements = 1 << 24;
  int64_t max_file_bytes = 4LL << 30;  // after decompression
  // What loaded data may take: -1 available_memory_bytes() (MemAvailable, or
  // $GAPSCOPE_MEMORY_BUDGET) when a file is opened; 0 no check (buffers then
  // grow only as data arrives).
  int64_t memory_bytes = -1;
};

// The samples as floats, and as much again while they are split and batched,
// must fit the memory there is (limits.memory_bytes): checked before a byte is
// decoded (a 495 KB .gz can hold 650,000 images). Throws DataError
// "SUBJECT 60,000 images of 784 values: holding them takes ...". False when
// there was nothing to check against.
bool require_memory_for(const std::string& subject, int64_t count, int64_t values_per_image, const DataLimits& limits);

}  // namespace gapscope

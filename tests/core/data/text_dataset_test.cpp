// Text as a labelled dataset: one-hot windows expanded only when batched, the
// next character as label, train windows from the train text and test windows
// from the validation text, clear errors for texts too short for the window.
#include "core/data/text_dataset.h"

#include "tests/core/data/idx_test_files.h"

using namespace gapscope;
using namespace gapscope::test;
using Catch::Matchers::Contains;

namespace {

TextCorpus corpus_of(const std::string& text, double validation_fraction) {
  ScratchDirectory dir;
  const std::string path = dir.file("t.txt");
  write_raw(path, Bytes(text.begin(), text.end()));
  return load_text_corpus(path, validation_fraction);
}

}  // namespace

TEST_CASE("text dataset: samples are one-hot windows, labels the next character", "[data][text]") {
  const TextCorpus corpus = corpus_of("the quick brown fox jumps over the lazy dog, again and again.\n", 0.25);
  TextDatasetOptions options;
  options.window = 5;
  options.train_windows = 30;
  options.test_windows = 7;
  const DataSplit split = text_dataset(corpus, options);
  const auto v = static_cast<int64_t>(corpus.vocabulary.size());
  REQUIRE(split.train.count() == 30);
  REQUIRE(split.test.count() == 7);
  CHECK(split.train.sample_shape == Shape{5, v});
  CHECK(split.train.classes == v);
  CHECK(split.train.stored_per_sample() == 5);
  CHECK(split.train.features.size() == 30u * 5u);

  std::vector<float> sample(static_cast<size_t>(5 * v));
  for (int64_t i = 0; i < split.train.count(); ++i) {
    split.train.copy_sample(i, sample.data());
    std::vector<int32_t> ids;
    for (int64_t t = 0; t < 5; ++t) {
      int ones = 0;
      for (int64_t c = 0; c < v; ++c) {
        const float value = sample[static_cast<size_t>(t * v + c)];
        CHECK((value == 0.0f || value == 1.0f));
        if (value == 1.0f) {
          ++ones;
          ids.push_back(static_cast<int32_t>(c));
        }
      }
      REQUIRE(ones == 1);
    }
    // The window and its label are a substring of the train text.
    ids.push_back(split.train.labels[static_cast<size_t>(i)]);
    const auto found = std::search(corpus.train.begin(), corpus.train.end(), ids.begin(), ids.end());
    CHECK(found != corpus.train.end());
  }
  // Test windows come from the validation text only.
  for (int64_t i = 0; i < split.test.count(); ++i) {
    std::vector<int32_t> ids(split.test.features.begin() + i * 5, split.test.features.begin() + i * 5 + 5);
    ids.push_back(split.test.labels[static_cast<size_t>(i)]);
    CHECK(std::search(corpus.validation.begin(), corpus.validation.end(), ids.begin(), ids.end()) !=
          corpus.validation.end());
  }
}

TEST_CASE("text dataset: a text shorter than the window says which split and sizes", "[data][text]") {
  const TextCorpus corpus = corpus_of("abcdefghijklmnopqrstuvwxyz\n", 0.2);
  TextDatasetOptions options;
  options.window = 10;
  options.train_windows = 4;
  options.test_windows = 4;
  CHECK_THROWS_WITH(text_dataset(corpus, options),
                    Contains("the validation text has 5 characters, too few for windows of 10"));
  options.window = 40;
  CHECK_THROWS_WITH(text_dataset(corpus, options), Contains("the train text has 22 characters"));
}

TEST_CASE("text sources: fortunes and text:PATH, anything else is not text", "[data][text]") {
  CHECK(is_text_source("fortunes"));
  CHECK(is_text_source("text:/tmp/x.txt"));
  CHECK_FALSE(is_text_source("mnist"));
  CHECK_FALSE(is_text_source("/usr/share/datasets/fashion-mnist"));
  CHECK_THROWS_WITH(load_text_source("text:/nonexistent/corpus.txt"), Contains("/nonexistent/corpus.txt"));
}

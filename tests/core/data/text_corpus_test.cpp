// Character-level text corpora: vocabulary and UTF-8 round trips, the
// contiguous split, strict decoding and binary detection with byte offsets,
// seeded windows, and the fortunes default.
#include "core/data/text_corpus.h"

#include <algorithm>
#include <cmath>

#include "tests/core/data/idx_test_files.h"

using namespace gapscope;
using namespace gapscope::test;
using Catch::Matchers::Contains;

namespace {

void write_text(const std::string& path, const std::string& text) {
  write_raw(path, Bytes(text.begin(), text.end()));
}

std::vector<int32_t> joined(const TextCorpus& corpus) {
  std::vector<int32_t> all = corpus.train;
  all.insert(all.end(), corpus.validation.begin(), corpus.validation.end());
  return all;
}

}  // namespace

TEST_CASE("text corpus: vocabulary and round trip of multi-byte UTF-8", "[data][text]") {
  ScratchDirectory dir;
  const std::string path = dir.file("small.txt");
  // é (2 bytes), € (3 bytes), 𝄞 (4 bytes).
  const std::string text = "caf\u00e9 costs 3\u20ac \U0001D11E\nthe end\n";
  write_text(path, text);
  const TextCorpus corpus = load_text_corpus(path, 0.0);
  CHECK(corpus.name == path);
  CHECK(std::is_sorted(corpus.vocabulary.begin(), corpus.vocabulary.end()));
  CHECK(std::adjacent_find(corpus.vocabulary.begin(), corpus.vocabulary.end()) ==
        corpus.vocabulary.end());
  CHECK(corpus.index_of(U'\u00e9') >= 0);
  CHECK(corpus.index_of(U'\u20ac') >= 0);
  CHECK(corpus.index_of(U'\U0001D11E') >= 0);
  CHECK(corpus.index_of(U'z') == -1);
  CHECK(corpus.vocabulary.size() == 16);  // \n space 3 a c d e f h n o s t é € 𝄞
  CHECK(corpus.validation.empty());
  CHECK(corpus.train.size() == 24);  // code points, not bytes
  CHECK(corpus.decode(corpus.train) == text);
  CHECK_THROWS_AS(corpus.decode(std::vector<int32_t>{99}), std::out_of_range);
}

TEST_CASE("text corpus: \\r\\n becomes \\n and a BOM is dropped", "[data][text]") {
  ScratchDirectory dir;
  const std::string path = dir.file("crlf.txt");
  write_text(path, "\xEF\xBB\xBFone\r\ntwo\r\nthree\rfour\n");
  const TextCorpus corpus = load_text_corpus(path, 0.0);
  CHECK(corpus.decode(corpus.train) == "one\ntwo\nthree\rfour\n");
}

TEST_CASE("text corpus: the split is contiguous at 1 - fraction", "[data][text]") {
  ScratchDirectory dir;
  const std::string path = dir.file("split.txt");
  std::string text;
  for (int i = 0; i < 100; ++i) text += static_cast<char>('a' + i % 26);
  write_text(path, text);
  const TextCorpus corpus = load_text_corpus(path);  // 0.1
  CHECK(corpus.train.size() == 90);
  CHECK(corpus.validation.size() == 10);
  CHECK(corpus.decode(joined(corpus)) == text);
  CHECK(corpus.decode(corpus.validation) == text.substr(90));
  const TextCorpus quarter = load_text_corpus(path, 0.25);
  CHECK(quarter.train.size() == 75);
  CHECK(quarter.validation.size() == 25);
  CHECK_THAT(data_error_message([&] { load_text_corpus(path, 1.0); }), Contains("[0, 1)"));
  CHECK_THAT(data_error_message([&] { load_text_corpus(path, -0.1); }), Contains("[0, 1)"));
}

TEST_CASE("text corpus: invalid UTF-8 names the file and the byte offset", "[data][text]") {
  ScratchDirectory dir;
  const std::string path = dir.file("bad.txt");
  write_text(path, "hello \xC3(world");  // 0xC3 at offset 6 expects a continuation
  std::string message = data_error_message([&] { load_text_corpus(path); });
  CHECK_THAT(message, Contains(path));
  CHECK_THAT(message, Contains("invalid UTF-8 at byte offset 6"));

  write_text(path, "abc\xC0\xAF");  // overlong '/'
  message = data_error_message([&] { load_text_corpus(path); });
  CHECK_THAT(message, Contains("byte offset 3"));
  CHECK_THAT(message, Contains("overlong"));

  write_text(path, "ab\xED\xA0\x80");  // surrogate U+D800
  CHECK_THAT(data_error_message([&] { load_text_corpus(path); }), Contains("surrogate"));

  write_text(path, "abcd\xE2\x82");  // truncated €
  message = data_error_message([&] { load_text_corpus(path); });
  CHECK_THAT(message, Contains("byte offset 4"));
  CHECK_THAT(message, Contains("ends inside"));

  write_text(path, "a\x80");
  CHECK_THAT(data_error_message([&] { load_text_corpus(path); }), Contains("byte offset 1"));
}

TEST_CASE("text corpus: binary files are rejected with the offset", "[data][text]") {
  ScratchDirectory dir;
  const std::string path = dir.file("binary.bin");
  write_raw(path, Bytes{'a', 'b', 'c', 0, 1, 2, 0xFF});
  std::string message = data_error_message([&] { load_text_corpus(path); });
  CHECK_THAT(message, Contains(path));
  CHECK_THAT(message, Contains("looks binary"));
  CHECK_THAT(message, Contains("byte offset 3"));

  // Valid UTF-8, but 2 control characters in 50 (4%).
  std::string text(48, 'x');
  text.insert(10, "\x01");
  text += "\x1B";
  write_text(path, text);
  message = data_error_message([&] { load_text_corpus(path); });
  CHECK_THAT(message, Contains("looks binary"));
  CHECK_THAT(message, Contains("byte offset 10"));

  // One control character in 200 (0.5%) is tolerated.
  write_text(path, std::string(199, 'y') + "\x07");
  CHECK(load_text_corpus(path, 0.0).train.size() == 200);
}

TEST_CASE("text corpus: empty, missing and oversized files", "[data][text]") {
  ScratchDirectory dir;
  const std::string path = dir.file("empty.txt");
  write_text(path, "");
  std::string message = data_error_message([&] { load_text_corpus(path); });
  CHECK_THAT(message, Contains(path));
  CHECK_THAT(message, Contains("empty"));
  write_text(path, "\xEF\xBB\xBF");  // only a BOM
  CHECK_THAT(data_error_message([&] { load_text_corpus(path); }), Contains("empty"));

  CHECK_THAT(data_error_message([&] { load_text_corpus(dir.file("missing.txt")); }),
             Contains(dir.file("missing.txt")));

  write_text(path, std::string(2000, 'a'));
  TextCorpusLimits limits;
  limits.max_file_bytes = 1000;
  message = data_error_message([&] { load_text_corpus(path, 0.1, limits); });
  CHECK_THAT(message, Contains("limit of 1000 bytes"));

  write_text(path, "abcdef");
  limits = {};
  limits.max_vocabulary = 5;
  CHECK_THAT(data_error_message([&] { load_text_corpus(path, 0.1, limits); }),
             Contains("vocabulary limit of 5"));
}

TEST_CASE("text windows: too small a text is a DataError", "[data][text]") {
  const std::vector<int32_t> text{0, 1, 2, 3, 4};
  CHECK_THAT(data_error_message([&] { sample_windows(text, 5, 3, 1); }),
             Contains("text of 5 characters is too small for windows of 5"));
  CHECK_THAT(data_error_message([&] { sample_windows(text, 9, 3, 1); }),
             Contains("text of 5 characters is too small for windows of 9"));
  CHECK_THROWS_AS(sample_windows(text, 0, 3, 1), std::invalid_argument);
  CHECK_THROWS_AS(sample_windows(text, 2, -1, 1), std::invalid_argument);
  // window = size - 1: the only start is 0, its target the last character.
  const TextWindows only = sample_windows(text, 4, 3, 7);
  CHECK(only.inputs == std::vector<int32_t>{0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3});
  CHECK(only.targets == std::vector<int32_t>{4, 4, 4});
}

TEST_CASE("text windows: seeded, reproducible, targets are the next character",
          "[data][text]") {
  std::vector<int32_t> text(1000);
  for (size_t i = 0; i < text.size(); ++i) text[i] = static_cast<int32_t>(i);  // value = position
  const TextWindows a = sample_windows(text, 16, 64, 42);
  const TextWindows b = sample_windows(text, 16, 64, 42);
  const TextWindows c = sample_windows(text, 16, 64, 43);
  CHECK(a.count == 64);
  CHECK(a.window == 16);
  REQUIRE(a.inputs.size() == 64 * 16);
  REQUIRE(a.targets.size() == 64);
  CHECK(a.inputs == b.inputs);
  CHECK(a.targets == b.targets);
  CHECK(a.inputs != c.inputs);
  for (int64_t k = 0; k < a.count; ++k) {
    const int32_t start = a.inputs[k * 16];
    CHECK(start + 16 < static_cast<int32_t>(text.size()));
    for (int64_t j = 0; j < 16; ++j) CHECK(a.inputs[k * 16 + j] == start + j);
    CHECK(a.targets[k] == start + 16);
  }
}

TEST_CASE("text corpus: the fortunes default loads", "[data][text]") {
  const TextCorpus corpus = load_default_text_corpus();
  CHECK(corpus.name == "fortunes");
  const size_t characters = corpus.train.size() + corpus.validation.size();
  CHECK(characters > 1'000'000);
  CHECK(corpus.vocabulary.size() >= 60);
  CHECK(corpus.vocabulary.size() <= 300);
  CHECK(corpus.index_of(U'e') >= 0);
  CHECK(corpus.index_of(U' ') >= 0);
  CHECK(corpus.index_of(U'\b') == -1);  // overstrike backspaces are dropped
  // Each file's tail validates: about 10% overall (rounding per file), and the
  // validation text holds early topics too, not only the last files.
  CHECK(std::fabs(static_cast<double>(corpus.validation.size()) / static_cast<double>(characters) - 0.1) < 1e-3);
  const std::string validation = corpus.decode(corpus.validation);
  CHECK(validation.find("Debian") != std::string::npos);  // from the debian file, an early one
  const std::string start = corpus.decode(std::span(corpus.train).first(2000));
  CHECK(start.find("\n%\n") == std::string::npos);
  const TextWindows windows = sample_windows(corpus.train, 64, 8, 1);
  CHECK(windows.inputs.size() == 8 * 64);
}

// Inputs the fuzzer (tests/fuzz/text_corpus_fuzzer.cpp) found, kept as
// regression tests: encode(decode(indices)) must give the indices back, so
// encode must not apply the file rules (BOM, \r\n, looks-binary) again.
#include "core/data/text_corpus.h"

#include "tests/core/data/idx_test_files.h"

using namespace gapscope;
using namespace gapscope::test;

namespace {

TextCorpus corpus_of(const ScratchDirectory& dir, const std::string& bytes) {
  const std::string path = dir.file("corpus.txt");
  write_raw(path, Bytes(bytes.begin(), bytes.end()));
  return load_text_corpus(path, 0.1);
}

void check_round_trip(const TextCorpus& corpus) {
  CHECK(corpus.encode(corpus.decode(corpus.train), "train") == corpus.train);
  CHECK(corpus.encode(corpus.decode(corpus.validation), "validation") == corpus.validation);
}

}  // namespace

TEST_CASE("text corpus: a U+FEFF character after the BOM survives encode(decode())", "[data][text][fuzz-regression]") {
  ScratchDirectory dir;
  // The fuzzer's input: two BOMs, then two newlines. The first is the file's
  // BOM, the second a character of the text.
  const TextCorpus corpus = corpus_of(dir, "\xEF\xBB\xBF\xEF\xBB\xBF\n\n");
  REQUIRE(corpus.train.size() == 3);
  CHECK(corpus.vocabulary.back() == U'\uFEFF');
  check_round_trip(corpus);
}

TEST_CASE("text corpus: \\r before \\r\\n and a control-dense tail survive encode(decode())",
          "[data][text][fuzz-regression]") {
  ScratchDirectory dir;
  // "\r\r\n" reads as "\r\n": encode must not fold that to "\n" again.
  check_round_trip(corpus_of(dir, "ab\r\r\ncd"));
  // 2 control characters in 200 pass the file's 1% rule; both are in the
  // 20-character validation part, where they are 10%.
  const TextCorpus dense = corpus_of(dir, std::string(190, 'a') + "\x01" + std::string(8, 'b') + "\x02");
  REQUIRE(dense.validation.size() == 20);
  check_round_trip(dense);
}

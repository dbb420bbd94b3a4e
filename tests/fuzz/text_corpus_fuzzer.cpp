// Text corpora (core/data/text_corpus.h load_text_corpus): strict UTF-8, the
// binary-file and vocabulary checks. What loads must decode and encode back
// to the same indices.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/data/text_corpus.h"
#include "tests/fuzz/fuzz_support.h"

using namespace gapscope;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = fuzz::write_scratch_file("corpus.txt", fuzz::as_text(data, size));
  TextCorpus corpus;
  try {
    corpus = load_text_corpus(path, 0.1);
  } catch (const DataError&) {
    return 0;
  }
  if (corpus.encode(corpus.decode(corpus.train), "train") != corpus.train) std::abort();
  if (corpus.encode(corpus.decode(corpus.validation), "validation") != corpus.validation) std::abort();
  return 0;
}

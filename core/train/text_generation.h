// Character-level text generation from a trained model: the seed text fills the
// model's input window, the model's output distribution over the vocabulary is
// sampled (with a temperature), the window slides by one, and so on.
#pragma once
#include <cstdint>
#include <string>

#include "core/data/text_corpus.h"
#include "core/nn/model.h"

namespace gapscope {

struct GenerateOptions {
  int64_t length = 200;       // characters to generate
  double temperature = 1.0;   // 0: always the most likely character
  uint64_t seed = 1;
};

// The model must read a window of T characters — one-hot [T, V] or ids [T]
// (embedding) — and output a distribution over V = corpus.vocabulary.size()
// characters (output [V]); otherwise std::invalid_argument says what differs.
// The seed text needs at least T characters of the vocabulary (DataError
// naming the character otherwise); its last T are the first window.
std::string generate_text(Model& model, const TextCorpus& corpus, const std::string& seed_text,
                          const GenerateOptions& options);

}  // namespace gapscope

// A text corpus as a labelled dataset for character-level models: each sample
// is a window of `window` characters (one-hot rows [window, vocabulary], as the
// TF.js lstm-text-generation example feeds its LSTM), its label the character
// that follows. Train windows come from the corpus's train text, test windows
// from its validation text, so "test loss" is the validation loss per character.
#pragma once
#include <cstdint>

#include "core/data/dataset.h"
#include "core/data/text_corpus.h"

namespace gapscope {

struct TextDatasetOptions {
  int64_t window = 40;
  int64_t train_windows = 32768;  // sampled with replacement, seeded
  int64_t test_windows = 2048;
  uint64_t seed = 1;
};

// DataError when a text is too short for the window (names the corpus, the
// split, its length and the window). The validation text may be empty only
// when test_windows is 0.
DataSplit text_dataset(const TextCorpus& corpus, const TextDatasetOptions& options = {});

// "text:PATH" or "fortunes" -> the corpus (load_text_corpus or the default);
// anything else is not a text source: returns false.
bool is_text_source(const std::string& name);
TextCorpus load_text_source(const std::string& name, double validation_fraction = 0.1);

}  // namespace gapscope

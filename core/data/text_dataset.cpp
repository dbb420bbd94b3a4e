#include "core/data/text_dataset.h"

#include <string>

namespace gapscope {
namespace {

Dataset windows_dataset(const TextCorpus& corpus, std::span<const int32_t> text, const char* split,
                        int64_t count, const TextDatasetOptions& options, uint64_t seed) {
  auto vocabulary = static_cast<int64_t>(corpus.vocabulary.size());
  Dataset data;
  data.name = corpus.name;
  data.sample_shape = {options.window, vocabulary};
  data.classes = vocabulary;
  data.one_hot_depth = vocabulary;
  if (count == 0) return data;
  if (static_cast<int64_t>(text.size()) <= options.window)
    throw DataError(corpus.name + ": the " + split + " text has " + std::to_string(text.size()) +
                    " characters, too few for windows of " + std::to_string(options.window) +
                    " plus the character to predict");
  TextWindows windows = sample_windows(text, options.window, count, seed);
  data.features.assign(windows.inputs.begin(), windows.inputs.end());
  data.labels = std::move(windows.targets);
  return data;
}

}  // namespace

DataSplit text_dataset(const TextCorpus& corpus, const TextDatasetOptions& options) {
  if (options.window < 1) throw DataError("text windows must be >= 1 character, got " + std::to_string(options.window));
  if (options.train_windows < 1 || options.test_windows < 0)
    throw DataError("text dataset needs >= 1 train window and >= 0 test windows");
  DataSplit split;
  split.train = windows_dataset(corpus, corpus.train, "train", options.train_windows, options, options.seed);
  split.test = windows_dataset(corpus, corpus.validation, "validation", options.test_windows, options,
                               options.seed ^ 0x5851F42D4C957F2DULL);
  return split;
}

bool is_text_source(const std::string& name) { return name == "fortunes" || name.rfind("text:", 0) == 0; }

TextCorpus load_text_source(const std::string& name, double validation_fraction) {
  if (name == "fortunes") return load_default_text_corpus(validation_fraction);
  if (name.rfind("text:", 0) == 0) {
    if (name.size() == 5) throw DataError("text: names no file; give its path, e.g. text:/usr/share/games/fortunes/fortunes");
    return load_text_corpus(name.substr(5), validation_fraction);
  }
  throw DataError("'" + name + "' is not a text source; use fortunes or text:PATH");
}

}  // namespace gapscope

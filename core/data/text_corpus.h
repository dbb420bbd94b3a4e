// Character-level text corpora for the RNN models: any UTF-8 text file, or the
// embedded default (English text from Debian's fortunes package). The text
// becomes a sequence of vocabulary indices; models train on fixed-length
// windows sampled from it with a seed. Bad input is a DataError naming the
// file and the rule or limit it broke (with the byte offset where there is one).
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/data/dataset.h"

namespace gapscope {

struct TextCorpusLimits {
  int64_t max_file_bytes = 256 << 20;  // checked on the file size, before reading
  int64_t max_vocabulary = 4096;       // distinct code points
};

struct TextCorpus {
  std::string name;                   // "fortunes", or the path
  std::vector<char32_t> vocabulary;   // the distinct code points, sorted ascending
  std::vector<int32_t> train;         // the text as indices into vocabulary
  std::vector<int32_t> validation;    // the text after train, same encoding

  // The index of `c` in vocabulary, -1 if it is not there.
  int32_t index_of(char32_t c) const;
  // The UTF-8 text of a sequence of indices; an index outside the vocabulary
  // throws std::out_of_range.
  std::string decode(std::span<const int32_t> indices) const;
  // UTF-8 text -> indices; DataError naming `what` for bad UTF-8 or a
  // character outside the vocabulary (with its position and code point).
  // The file rules of load_text_corpus (BOM, \r\n, looks-binary) do not
  // apply: every character counts, so encode(decode(x)) == x.
  std::vector<int32_t> encode(const std::string& utf8, const std::string& what) const;
  // The vocabulary as UTF-8, in index order (what a model file stores).
  std::string vocabulary_text() const;
  // "" when `other` (a vocabulary_text) is this vocabulary; else what differs,
  // for messages. Throws DataError when `other` is not UTF-8.
  std::string vocabulary_difference(const std::string& other) const;
};

// Reads a UTF-8 text file (an optional leading byte order mark is dropped).
// Strict decoding: overlong forms, surrogates, code points above U+10FFFF and
// truncated or stray bytes are errors at their byte offset. A NUL byte, or more
// than 1% of characters being control characters other than \n \r \t (C0 and
// DEL), make the file "look binary" (offset of the first such byte). An empty
// file, a file over limits.max_file_bytes (checked before reading) and more
// than limits.max_vocabulary distinct characters are errors too. \r\n becomes \n.
//
// The split is contiguous, not shuffled: train is the first
// n - round(n * validation_fraction) characters, validation the rest. Training
// windows are overlapping slices of the text, so a shuffled split would put
// nearly every validation window's characters into training windows too (and a
// window could straddle both sets); a contiguous cut keeps validation unseen.
// validation_fraction must lie in [0, 1) and leave train non-empty; validation
// may be empty (fraction 0, or a tiny text).
TextCorpus load_text_corpus(const std::string& path, double validation_fraction = 0.1,
                            const TextCorpusLimits& limits = {});

// Where the default corpus is read from.
inline constexpr const char* kFortunesDirectory = "/usr/share/games/fortunes";

// The embedded default, named "fortunes": every regular file of
// kFortunesDirectory that is not a `.dat` index, a `.u8` name or a symlink
// (those are duplicates), in sorted name order, each decoded as by
// load_text_corpus, with the `%` separator lines dropped and the files
// concatenated (each ending in \n). Control characters other than \n and \t
// (the backspaces and bells of a few overstruck fortunes) are dropped too, so
// the vocabulary holds printable text only. Each file is split as
// load_text_corpus splits a file (its tail validates); train is the files'
// first parts in order, validation their tails, so every topic is in both.
// DataError, telling to install the fortunes package, when the directory is
// missing or holds no such file.
TextCorpus load_default_text_corpus(double validation_fraction = 0.1,
                                    const TextCorpusLimits& limits = {});

struct TextWindows {
  std::vector<int32_t> inputs;   // count x window, row-major
  std::vector<int32_t> targets;  // count: the character after each window
  int64_t count = 0;
  int64_t window = 0;
};

// `count` windows of `window` characters at start positions drawn uniformly
// (Rng(seed).below) from [0, text.size() - window), so that each window's
// target text[start + window] exists. Same seed, same windows. window must be
// >= 1 and count >= 0 (std::invalid_argument otherwise); a text of at most
// `window` characters is a DataError ("text of N characters is too small for
// windows of W").
TextWindows sample_windows(std::span<const int32_t> text, int64_t window, int64_t count,
                           uint64_t seed);

}  // namespace gapscope

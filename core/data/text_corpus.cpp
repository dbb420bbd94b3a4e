#include "core/data/text_corpus.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <system_error>

#include "core/base/random.h"

namespace gapscope {
namespace {

std::string hex_byte(uint8_t value) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%02X", value);
  return text;
}

bool is_binary_control(char32_t c) {
  return (c < 0x20 && c != U'\n' && c != U'\r' && c != U'\t') || c == 0x7F;
}

// The whole file, after checking its size against the limit without reading it.
std::string read_text_file(const std::string& path, const TextCorpusLimits& limits) {
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (error) throw DataError(path + ": cannot open: " + error.message());
  if (std::filesystem::is_directory(status)) throw DataError(path + ": is a directory, not a text file");
  const auto size = std::filesystem::file_size(path, error);
  if (!error && static_cast<uint64_t>(size) > static_cast<uint64_t>(limits.max_file_bytes)) {
    throw DataError(path + ": file of " + std::to_string(size) + " bytes is over the limit of " +
                    std::to_string(limits.max_file_bytes) + " bytes for a text corpus");
  }
  struct Closer {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  std::unique_ptr<std::FILE, Closer> file(std::fopen(path.c_str(), "rb"));
  if (!file) throw DataError(path + ": cannot open: " + std::strerror(errno));
  std::string bytes;
  char buffer[1 << 16];
  while (true) {
    const size_t got = std::fread(buffer, 1, sizeof buffer, file.get());
    bytes.append(buffer, got);
    // The file may have grown since it was measured.
    if (static_cast<int64_t>(bytes.size()) > limits.max_file_bytes) {
      throw DataError(path + ": file is over the limit of " + std::to_string(limits.max_file_bytes) +
                      " bytes for a text corpus");
    }
    if (got < sizeof buffer) {
      if (std::ferror(file.get())) throw DataError(path + ": read error: " + std::strerror(errno));
      break;
    }
  }
  return bytes;
}

// Strict UTF-8 decoding (RFC 3629). For a whole file (`file_rules`) also a
// leading BOM dropped, \r\n -> \n and the binary checks; without them (a
// string for TextCorpus::encode) every character is kept as it is, so that
// encode(decode(indices)) gives the indices back.
std::u32string decode_utf8_text(const std::string& path, const std::string& bytes, bool file_rules = true) {
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  const size_t size = bytes.size();
  if (size == 0) throw DataError(path + ": the file is empty, expected UTF-8 text");
  if (const void* nul = file_rules ? std::memchr(data, 0, size) : nullptr) {
    const size_t offset = static_cast<const uint8_t*>(nul) - data;
    throw DataError(path + ": looks binary, not text: NUL byte at byte offset " +
                    std::to_string(offset));
  }
  size_t i = 0;
  if (file_rules && size >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF) i = 3;  // BOM
  std::u32string text;
  text.reserve(size);
  int64_t controls = 0;
  int64_t first_control = -1;
  while (i < size) {
    const size_t start = i;
    const uint8_t lead = data[i];
    char32_t c;
    int length;
    char32_t minimum;
    if (lead < 0x80) {
      c = lead, length = 1, minimum = 0;
    } else if ((lead & 0xE0) == 0xC0) {
      c = lead & 0x1F, length = 2, minimum = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
      c = lead & 0x0F, length = 3, minimum = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
      c = lead & 0x07, length = 4, minimum = 0x10000;
    } else {
      throw DataError(path + ": invalid UTF-8 at byte offset " + std::to_string(start) + ": byte " +
                      hex_byte(lead) +
                      ((lead & 0xC0) == 0x80 ? " is a continuation byte without a lead byte"
                                             : " cannot start a character"));
    }
    for (int k = 1; k < length; ++k) {
      if (start + k >= size) {
        throw DataError(path + ": invalid UTF-8 at byte offset " + std::to_string(start) +
                        ": the file ends inside a " + std::to_string(length) +
                        "-byte character");
      }
      const uint8_t next = data[start + k];
      if ((next & 0xC0) != 0x80) {
        throw DataError(path + ": invalid UTF-8 at byte offset " + std::to_string(start) +
                        ": byte " + hex_byte(next) + " at byte offset " +
                        std::to_string(start + k) + " is not a continuation byte");
      }
      c = (c << 6) | (next & 0x3F);
    }
    if (c < minimum) {
      throw DataError(path + ": invalid UTF-8 at byte offset " + std::to_string(start) +
                      ": overlong encoding");
    }
    if (c >= 0xD800 && c <= 0xDFFF) {
      throw DataError(path + ": invalid UTF-8 at byte offset " + std::to_string(start) +
                      ": encodes a UTF-16 surrogate");
    }
    if (c > 0x10FFFF) {
      throw DataError(path + ": invalid UTF-8 at byte offset " + std::to_string(start) +
                      ": code point above U+10FFFF");
    }
    i = start + length;
    if (is_binary_control(c)) {
      ++controls;
      if (first_control < 0) first_control = static_cast<int64_t>(start);
    }
    if (file_rules && c == U'\n' && !text.empty() && text.back() == U'\r') {
      text.back() = U'\n';
    } else {
      text.push_back(c);
    }
  }
  if (file_rules && controls * 100 > static_cast<int64_t>(text.size())) {
    throw DataError(path + ": looks binary, not text: " + std::to_string(controls) + " of " +
                    std::to_string(text.size()) +
                    " characters are control characters (more than the 1% allowed), the "
                    "first at byte offset " +
                    std::to_string(first_control));
  }
  if (text.empty()) throw DataError(path + ": the file is empty, expected UTF-8 text");
  return text;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

void check_validation_fraction(const std::string& source, double validation_fraction) {
  if (!(validation_fraction >= 0.0 && validation_fraction < 1.0)) {
    throw DataError(source + ": validation fraction " + std::to_string(validation_fraction) +
                    " is outside [0, 1)");
  }
}

// Characters of an n-character text that go to training: all but the last
// round(n * fraction).
int64_t train_part(int64_t n, double validation_fraction) {
  return n - std::llround(static_cast<double>(n) * validation_fraction);
}

// Vocabulary, index encoding and the split: text[0, train_size) trains, the
// rest validates. `source` names the input in messages.
TextCorpus build_corpus(std::string name, const std::string& source, const std::u32string& text,
                        int64_t train_size, double validation_fraction, const TextCorpusLimits& limits) {
  const int64_t n = static_cast<int64_t>(text.size());
  if (train_size < 1) {
    throw DataError(source + ": text of " + std::to_string(n) +
                    " characters leaves no training text with validation fraction " +
                    std::to_string(validation_fraction));
  }
  TextCorpus corpus;
  corpus.name = std::move(name);
  std::u32string distinct(text);
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  if (static_cast<int64_t>(distinct.size()) > limits.max_vocabulary) {
    throw DataError(source + ": " + std::to_string(distinct.size()) +
                    " distinct characters, more than the vocabulary limit of " +
                    std::to_string(limits.max_vocabulary));
  }
  if (distinct.size() < 2) {
    std::string shown;
    append_utf8(shown, distinct.empty() ? U' ' : distinct[0]);
    throw DataError(source + ": the text has one distinct character ('" + shown +
                    "'); a character model needs at least 2 to have anything to predict");
  }
  corpus.vocabulary.assign(distinct.begin(), distinct.end());
  std::vector<int32_t> indices(text.size());
  for (size_t i = 0; i < text.size(); ++i) indices[i] = corpus.index_of(text[i]);
  corpus.train.assign(indices.begin(), indices.begin() + train_size);
  corpus.validation.assign(indices.begin() + train_size, indices.end());
  return corpus;
}

}  // namespace

int32_t TextCorpus::index_of(char32_t c) const {
  const auto it = std::lower_bound(vocabulary.begin(), vocabulary.end(), c);
  if (it == vocabulary.end() || *it != c) return -1;
  return static_cast<int32_t>(it - vocabulary.begin());
}

std::string TextCorpus::decode(std::span<const int32_t> indices) const {
  std::string out;
  out.reserve(indices.size());
  for (const int32_t index : indices) {
    if (index < 0 || static_cast<size_t>(index) >= vocabulary.size()) {
      throw std::out_of_range("text corpus " + name + ": index " + std::to_string(index) +
                              " is outside the vocabulary of " +
                              std::to_string(vocabulary.size()) + " characters");
    }
    append_utf8(out, vocabulary[static_cast<size_t>(index)]);
  }
  return out;
}

std::string TextCorpus::vocabulary_text() const {
  std::string out;
  for (char32_t c : vocabulary) append_utf8(out, c);
  return out;
}

std::string TextCorpus::vocabulary_difference(const std::string& other) const {
  const std::string own = vocabulary_text();
  if (own == other) return "";
  const std::u32string theirs = decode_utf8_text("the model's vocabulary", other, /*file_rules=*/false);
  std::string only_theirs, only_ours;
  for (char32_t c : theirs)
    if (index_of(c) < 0 && only_theirs.size() < 24) append_utf8(only_theirs, c);
  for (char32_t c : vocabulary)
    if (theirs.find(c) == std::u32string::npos && only_ours.size() < 24) append_utf8(only_ours, c);
  std::string text = "the model's vocabulary has " + std::to_string(theirs.size()) + " characters, " + name + "'s " +
                     std::to_string(vocabulary.size());
  if (!only_theirs.empty()) text += "; only the model's: \"" + only_theirs + "\"";
  if (!only_ours.empty()) text += "; only " + name + "'s: \"" + only_ours + "\"";
  if (only_theirs.empty() && only_ours.empty()) text += " (the same characters in another order)";
  return text;
}

std::vector<int32_t> TextCorpus::encode(const std::string& utf8, const std::string& what) const {
  if (utf8.empty()) return {};
  const std::u32string text = decode_utf8_text(what, utf8, /*file_rules=*/false);
  std::vector<int32_t> indices;
  indices.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const int32_t index = index_of(text[i]);
    if (index < 0) {
      char code[16];
      std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(text[i]));
      std::string shown;
      append_utf8(shown, text[i]);
      throw DataError(what + ": character '" + shown + "' (" + code + ") at position " + std::to_string(i) +
                      " is not in the " + name + " vocabulary of " + std::to_string(vocabulary.size()) +
                      " characters");
    }
    indices.push_back(index);
  }
  return indices;
}

TextCorpus load_text_corpus(const std::string& path, double validation_fraction,
                            const TextCorpusLimits& limits) {
  const std::u32string text = decode_utf8_text(path, read_text_file(path, limits));
  check_validation_fraction(path, validation_fraction);
  return build_corpus(path, path, text, train_part(static_cast<int64_t>(text.size()), validation_fraction),
                      validation_fraction, limits);
}

TextCorpus load_default_text_corpus(double validation_fraction, const TextCorpusLimits& limits) {
  namespace fs = std::filesystem;
  const std::string directory = kFortunesDirectory;
  std::error_code error;
  if (!fs::is_directory(directory, error)) {
    throw DataError(directory + ": no such directory; install the fortunes package "
                    "(apt-get install fortunes, or run scripts/setup.sh) for the default text corpus");
  }
  std::vector<fs::path> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(directory)) {
    const fs::path& file = entry.path();
    const std::string extension = file.extension().string();
    if (extension == ".dat" || extension == ".u8") continue;
    if (entry.is_symlink() || !entry.is_regular_file()) continue;
    files.push_back(file);
  }
  if (files.empty()) {
    throw DataError(directory + ": holds no fortune files; install the fortunes package "
                    "(apt-get install fortunes, or run scripts/setup.sh)");
  }
  std::sort(files.begin(), files.end());
  check_validation_fraction(directory, validation_fraction);
  // Each file is split on its own (its first part trains, its tail
  // validates), so validation holds every topic, not only the last files'.
  std::u32string all, validation;
  for (const fs::path& file : files) {
    std::u32string file_text;
    const std::u32string text = decode_utf8_text(file.string(), read_text_file(file.string(), limits));
    size_t line_start = 0;
    while (line_start < text.size()) {
      size_t line_end = text.find(U'\n', line_start);
      if (line_end == std::u32string::npos) line_end = text.size();
      const std::u32string_view line(text.data() + line_start, line_end - line_start);
      if (line != U"%") {
        for (const char32_t c : line) {
          if (c == U'\t' || !is_binary_control(c)) file_text.push_back(c);
        }
        file_text.push_back(U'\n');
      }
      line_start = line_end + 1;
    }
    const auto train_size = static_cast<size_t>(train_part(static_cast<int64_t>(file_text.size()), validation_fraction));
    all.append(file_text, 0, train_size);
    validation.append(file_text, train_size);
  }
  const auto train_size = static_cast<int64_t>(all.size());
  all += validation;
  return build_corpus("fortunes", directory, all, train_size, validation_fraction, limits);
}

TextWindows sample_windows(std::span<const int32_t> text, int64_t window, int64_t count,
                           uint64_t seed) {
  if (window < 1) {
    throw std::invalid_argument("sample_windows: window " + std::to_string(window) +
                                " must be at least 1");
  }
  if (count < 0) {
    throw std::invalid_argument("sample_windows: count " + std::to_string(count) +
                                " must not be negative");
  }
  const int64_t size = static_cast<int64_t>(text.size());
  if (size <= window) {
    throw DataError("text of " + std::to_string(size) +
                    " characters is too small for windows of " + std::to_string(window) +
                    " (a window needs one more character as its target)");
  }
  TextWindows windows;
  windows.count = count;
  windows.window = window;
  windows.inputs.resize(static_cast<size_t>(count * window));
  windows.targets.resize(static_cast<size_t>(count));
  Rng rng(seed);
  for (int64_t k = 0; k < count; ++k) {
    const int64_t start = static_cast<int64_t>(rng.below(static_cast<uint64_t>(size - window)));
    std::copy_n(text.begin() + start, window, windows.inputs.begin() + k * window);
    windows.targets[static_cast<size_t>(k)] = text[static_cast<size_t>(start + window)];
  }
  return windows;
}

}  // namespace gapscope

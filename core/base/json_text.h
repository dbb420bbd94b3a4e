// Parsing JSON text with errors people can act on: syntax errors name the line,
// column and byte; a key given twice in one object is an error, not "last wins".
#pragma once
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "core/base/spec_error.h"

namespace gapscope {

// Thrown for malformed JSON text; byte_offset is 0-based within the text.
class JsonSyntaxError : public SpecError {
 public:
  JsonSyntaxError(const std::string& message, int64_t byte_offset)
      : SpecError(message), byte_offset_(byte_offset) {}
  int64_t byte_offset() const { return byte_offset_; }

 private:
  int64_t byte_offset_;
};

// Parses `text`; throws JsonSyntaxError "JSON syntax error at line 3, column 7
// (byte 41): <reason>" or for a duplicated key. Duplicate detection costs a
// callback per value: callers parsing megabytes of numbers can turn it off.
nlohmann::json parse_json_text(const std::string& text, bool reject_duplicate_keys = true);

}  // namespace gapscope

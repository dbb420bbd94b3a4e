#include "core/base/json_text.h"

#include <set>
#include <vector>

namespace gapscope {

using nlohmann::json;

namespace {

std::string position_text(const std::string& text, int64_t offset) {
  int64_t line = 1, line_start = 0;
  for (int64_t i = 0; i < offset && i < static_cast<int64_t>(text.size()); ++i)
    if (text[static_cast<size_t>(i)] == '\n') ++line, line_start = i + 1;
  return "line " + std::to_string(line) + ", column " + std::to_string(offset - line_start + 1) + " (byte " +
         std::to_string(offset) + ")";
}

// nlohmann's message is "[json.exception.parse_error.101] parse error at line
// 1, column 5: <reason>"; keep the reason, we state the position ourselves.
std::string reason_of(const json::parse_error& e) {
  std::string what = e.what();
  size_t at = what.find("column ");
  size_t colon = at == std::string::npos ? std::string::npos : what.find(": ", at);
  return colon == std::string::npos ? what : what.substr(colon + 2);
}

}  // namespace

json parse_json_text(const std::string& text, bool reject_duplicate_keys) {
  try {
    if (!reject_duplicate_keys) return json::parse(text);
    // One set of seen keys per open object.
    std::vector<std::set<std::string>> open_objects;
    auto check_keys = [&](int /*depth*/, json::parse_event_t event, json& parsed) {
      switch (event) {
        case json::parse_event_t::object_start: open_objects.emplace_back(); break;
        case json::parse_event_t::object_end: open_objects.pop_back(); break;
        case json::parse_event_t::key:
          if (!open_objects.back().insert(parsed.get<std::string>()).second)
            throw SpecError("JSON text has the key '" + parsed.get<std::string>() +
                            "' twice in one object; remove one of them");
          break;
        default: break;
      }
      return true;
    };
    return json::parse(text, check_keys);
  } catch (const json::parse_error& e) {
    int64_t offset = e.byte > 0 ? static_cast<int64_t>(e.byte) - 1 : 0;
    throw JsonSyntaxError("JSON syntax error at " + position_text(text, offset) + ": " + reason_of(e), offset);
  } catch (const json::out_of_range& e) {
    // 406: "number overflow parsing '1e999'", a number beyond a double.
    // nlohmann gives no position, so find the number's text.
    const std::string what = e.what();
    const size_t quote = what.find('\'');
    const std::string number =
        quote == std::string::npos ? "" : what.substr(quote + 1, what.find('\'', quote + 1) - quote - 1);
    const size_t found = number.empty() ? std::string::npos : text.find(number);
    const int64_t offset = found == std::string::npos ? 0 : static_cast<int64_t>(found);
    throw JsonSyntaxError("JSON number out of range at " + position_text(text, offset) + ": " +
                              (number.empty() ? what : "'" + number + "' does not fit a 64-bit float"),
                          offset);
  }
}

}  // namespace gapscope

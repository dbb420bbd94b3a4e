#include "core/base/json_text.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/base/json_fields.h"
#include "core/base/number_text.h"

namespace gapscope {

using nlohmann::json;

namespace {

std::string position_text(std::string_view text, int64_t offset) {
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

struct TooDeep {};
struct DuplicateKey {
  std::string key;
};
struct TooManyElements {
  std::string path;
  int64_t limit;
};

// The offset of the bracket that opens level `depth`. Only called after the
// parser reached that level, so the text up to there is valid JSON and
// brackets inside strings are the only ones to skip.
int64_t offset_of_level(std::string_view text, int depth) {
  int open = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++open == depth) return static_cast<int64_t>(i);
    } else if (c == ']' || c == '}') {
      --open;
    }
  }
  return 0;
}

// Builds the value from the parser's events, as nlohmann's own DOM parser
// does, plus the depth limit, the array limits and duplicate keys. (nlohmann's
// callback parser, the other way to see keys, rescans an array after each
// object ends: quadratic in a file with a million layers.)
class DomBuilder {
 public:
  DomBuilder(json& root, std::initializer_list<JsonArrayLimit> limits) : root_(root), limits_(limits) {}

  bool null() { return add(nullptr); }
  bool boolean(bool value) { return add(value); }
  bool number_integer(json::number_integer_t value) { return add(value); }
  bool number_unsigned(json::number_unsigned_t value) { return add(value); }
  bool number_float(json::number_float_t value, const std::string& /*text*/) { return add(value); }
  bool string(std::string& value) { return add(std::move(value)); }
  bool binary(json::binary_t& value) { return add(json::binary(std::move(value))); }

  bool start_object(std::size_t /*size*/) { return open(json::object()); }
  bool key(std::string& key) {
    json::object_t& object = open_.back().value->get_ref<json::object_t&>();
    auto [slot, added] = object.try_emplace(std::move(key));
    if (!added) throw DuplicateKey{slot->first};
    member_ = &*slot;
    return true;
  }
  bool end_object() { return close(); }
  bool start_array(std::size_t /*size*/) { return open(json::array()); }
  bool end_array() { return close(); }

  bool parse_error(std::size_t /*position*/, const std::string& /*token*/, const json::exception& e) {
    // As nlohmann's DOM parser: rethrow as the type the id says.
    if (e.id >= 400 && e.id < 500) throw *static_cast<const json::out_of_range*>(&e);
    throw *static_cast<const json::parse_error*>(&e);
  }

 private:
  struct Open {
    json* value;
    const std::string* key;  // its key in the enclosing object, else null
    size_t max_elements;     // for an array
  };

  // The new value goes into the open array, under the last key of the open
  // object, or is the root.
  json* add(json value) {
    if (open_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    const Open& parent = open_.back();
    if (parent.value->is_array()) {
      json::array_t& array = parent.value->get_ref<json::array_t&>();
      if (array.size() >= parent.max_elements)
        throw TooManyElements{path_of_open(), static_cast<int64_t>(parent.max_elements)};
      array.push_back(std::move(value));
      return &array.back();
    }
    member_->second = std::move(value);
    return &member_->second;
  }
  bool open(json container) {
    if (open_.size() >= static_cast<size_t>(kMaxJsonDepth)) throw TooDeep{};
    const bool in_object = !open_.empty() && open_.back().value->is_object();
    const std::string* key = in_object ? &member_->first : nullptr;
    size_t max_elements = SIZE_MAX;
    if (key && container.is_array())
      for (const JsonArrayLimit& limit : limits_)
        if (limit.key == *key) max_elements = static_cast<size_t>(std::max<int64_t>(limit.max_elements, 0));
    json* value = add(std::move(container));
    open_.push_back({value, key, max_elements});
    return true;
  }
  bool close() {
    open_.pop_back();
    return true;
  }
  // "spec.layers", "weightsManifest[0].weights": each open container is the
  // last element of the array holding it.
  std::string path_of_open() const {
    std::string path;
    for (size_t i = 1; i < open_.size(); ++i)
      path = open_[i].key ? field_path(path, *open_[i].key) : element_path(path, open_[i - 1].value->size() - 1);
    return path;
  }

  json& root_;
  std::initializer_list<JsonArrayLimit> limits_;
  std::vector<Open> open_;  // a container's elements never move while it is open
  json::object_t::value_type* member_ = nullptr;
};

}  // namespace

std::optional<json> try_parse_json_text(std::string_view text) {
  try {
    return parse_json_text(text);
  } catch (const SpecError&) {
    return std::nullopt;
  }
}

size_t json_value_start(std::string_view text) {
  constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
  return text.find_first_not_of(" \t\r\n", text.starts_with(kByteOrderMark) ? kByteOrderMark.size() : 0);
}

json parse_json_text(std::string_view text, std::initializer_list<JsonArrayLimit> array_limits) {
  json root;
  try {
    DomBuilder builder(root, array_limits);
    json::sax_parse(text.data(), text.data() + text.size(), &builder);
    return root;
  } catch (const TooDeep&) {
    const int64_t offset = offset_of_level(text, kMaxJsonDepth + 1);
    throw JsonSyntaxError(
        "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels at " + position_text(text, offset),
        offset);
  } catch (const TooManyElements& e) {
    throw SpecError(e.path + " has more than the limit of " + with_thousands(e.limit) + " entries");
  } catch (const DuplicateKey& d) {
    throw SpecError("JSON text has the key " + json_excerpt(d.key) + " twice in one object; remove one of them");
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

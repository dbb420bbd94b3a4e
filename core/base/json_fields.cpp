#include "core/base/json_fields.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/base/spec_error.h"
#include "core/base/number_text.h"

namespace gapscope {

using nlohmann::json;

namespace {

std::string where(const std::string& path) { return path.empty() ? "the model spec" : path; }

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// A string as JSON text, cut to what is left of `limit` before it is quoted
// (a cut inside a UTF-8 character shows as U+FFFD, never throws).
void append_quoted(const std::string& text, std::string& out, size_t limit) {
  out += json(text.substr(0, limit - out.size())).dump(-1, ' ', false, json::error_handler_t::replace);
}

// Appends `j` to `out`, stopping once `out` holds `limit` characters; false
// when it stopped early. Each level opened adds a character, so the recursion
// is at most `limit` deep.
bool append_excerpt(const json& j, std::string& out, size_t limit) {
  if (out.size() >= limit) return false;
  if (!j.is_structured()) {
    if (j.is_string())
      append_quoted(j.get_ref<const std::string&>(), out, limit);
    else
      out += j.dump();
    return out.size() <= limit;
  }
  out += j.is_array() ? '[' : '{';
  bool first = true;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!first) out += ',';
    first = false;
    if (j.is_object()) {
      if (out.size() >= limit) return false;
      append_quoted(it.key(), out, limit);
      out += ':';
    }
    if (!append_excerpt(*it, out, limit)) return false;
  }
  out += j.is_array() ? ']' : '}';
  return out.size() <= limit;
}

}  // namespace

std::string json_excerpt(const json& j, size_t max_chars) {
  std::string out;
  if (!append_excerpt(j, out, max_chars)) {
    out.resize(std::min(out.size(), max_chars));
    out += "...";
  }
  return out;
}

std::string json_kind(const json& j) {
  switch (j.type()) {
    case json::value_t::string: return "string";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "integer";
    case json::value_t::number_float: return "number";
    case json::value_t::boolean: return "boolean";
    case json::value_t::null: return "null";
    case json::value_t::array: return "array";
    case json::value_t::object: return "object";
    default: return "binary";
  }
}

std::string field_path(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return std::string(parent) + "." + std::string(key);
}

std::string element_path(std::string_view parent, size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

const json& expect_object(const json& j, const std::string& path) {
  if (!j.is_object()) throw SpecError(where(path) + " must be a JSON object, got " + json_kind(j));
  return j;
}

const json& expect_array(const json& j, const std::string& path) {
  if (!j.is_array()) throw SpecError(where(path) + " must be an array, got " + json_kind(j));
  return j;
}

const json* optional_field(const json& object, std::string_view key) {
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

const json& required_field(const json& object, const std::string& object_path, std::string_view key,
                           std::string_view hint) {
  const json* field = optional_field(object, key);
  if (!field) {
    std::string message = field_path(object_path, key) + " is missing";
    if (!hint.empty()) message += "; " + std::string(hint);
    throw SpecError(message);
  }
  return *field;
}

std::string read_string(const json& j, const std::string& path) {
  if (!j.is_string()) throw SpecError(path + " must be a string, got " + json_kind(j));
  return j.get<std::string>();
}

int64_t read_integer(const json& j, const std::string& path) {
  const auto out_of_range = [&] {
    return SpecError(path + " is " + json_excerpt(j) + ", beyond the 64-bit integer range (at most " +
                     with_thousands(std::numeric_limits<int64_t>::max()) + ")");
  };
  if (j.is_number_unsigned()) {
    uint64_t value = j.get<uint64_t>();
    if (value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) throw out_of_range();
    return static_cast<int64_t>(value);
  }
  if (j.is_number_float()) {
    // JSON has one kind of number: 1e3 and 128.0 are integers written
    // another way, as JavaScript (and the browser side) reads them; so a
    // too-large 1e12 meets the field's own limit.
    const double value = j.get<double>();
    if (value != std::trunc(value)) throw SpecError(path + " must be an integer, got " + json_excerpt(j));
    if (!(value >= -0x1p63 && value < 0x1p63)) throw out_of_range();
    return static_cast<int64_t>(value);
  }
  if (!j.is_number_integer()) throw SpecError(path + " must be an integer, got " + json_kind(j));
  return j.get<int64_t>();
}

double read_number(const json& j, const std::string& path) {
  if (!j.is_number()) throw SpecError(path + " must be a number, got " + json_kind(j));
  double value = j.get<double>();
  if (!std::isfinite(value)) throw SpecError(path + " must be a finite number");
  return value;
}

float read_float(const json& j, const std::string& path) {
  double value = read_number(j, path);
  if (std::fabs(value) > std::numeric_limits<float>::max())
    throw SpecError(path + " must fit in a float32 (|x| <= 3.4e38), got " + json_excerpt(j));
  // Not a silent 0 ("epsilon must be > 0, got 0" hid what was written).
  // gapscope-native flushes denormal floats to zero, so the smallest normal
  // float is the smallest value that is not 0 there.
  if (value != 0.0 && std::fabs(value) < std::numeric_limits<float>::min())
    throw SpecError(path + " is " + json_excerpt(j) + ", too small for a float32: it would compute as 0 (the " +
                    "smallest is " + float_text(std::numeric_limits<float>::min()) + ")");
  return static_cast<float>(value);
}

bool read_bool(const json& j, const std::string& path) {
  if (!j.is_boolean()) throw SpecError(path + " must be true or false, got " + json_kind(j));
  return j.get<bool>();
}

void reject_unknown_keys(const json& object, const std::string& path, const std::vector<std::string_view>& known,
                         std::string_view what) {
  for (const auto& item : object.items()) {
    const std::string& key = item.key();
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    std::string message = field_path(path, key) + ": unknown key in " + std::string(what) +
                          "; known keys: " + join_names(known);
    std::string_view closest;
    size_t best = 3;  // suggest only near misses
    for (std::string_view candidate : known) {
      size_t distance = edit_distance(key, candidate);
      if (distance < best) best = distance, closest = candidate;
    }
    if (!closest.empty()) message += " (did you mean '" + std::string(closest) + "'?)";
    throw SpecError(message);
  }
}

std::string join_names(const std::vector<std::string_view>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + std::string(names[i]);
  return out;
}

std::string join_names(const std::vector<std::string>& names) {
  std::vector<std::string_view> views(names.begin(), names.end());
  return join_names(views);
}

}  // namespace gapscope

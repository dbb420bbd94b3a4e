// Text from outside (a stored run's label, a failure message, a name in a
// history file) on its way to a terminal: control characters are escaped, so
// a label holding "\x1b]0;...\a" or "\x1b[2J" cannot retitle the window, clear
// the screen or forge table lines. JSON output keeps the exact text; only text
// for people goes through these.
#pragma once
#include <cstdio>
#include <string>
#include <string_view>
#include <type_traits>

namespace gapscope {

// Every C0 control (newline and tab too), DEL, C1 control (U+0080-U+009F)
// and byte that is not part of valid UTF-8 as \n, \r, \t, \xNN or \u00NN;
// all other text, UTF-8 included, unchanged.
std::string printable(std::string_view text);

namespace terminal_text_detail {

template <class T>
decltype(auto) escaped(const T& value) {
  if constexpr (std::is_convertible_v<const T&, std::string_view>)
    return printable(value);
  else
    return value;
}
inline const char* c_arg(const std::string& text) { return text.c_str(); }
template <class T>
T c_arg(const T& value) {
  return value;
}
template <class... Args>
std::string formatted(const char* format, Args... args) {
  const int size = std::snprintf(nullptr, 0, format, args...);
  if (size <= 0) return {};
  std::string out(static_cast<size_t>(size) + 1, '\0');
  std::snprintf(out.data(), out.size(), format, args...);
  out.resize(static_cast<size_t>(size));
  return out;
}

}  // namespace terminal_text_detail

// snprintf(format, values...) with every string value through printable(): a
// line of a table of stored values. Numbers pass as they are.
template <class... Values>
std::string text_line(const char* format, const Values&... values) {
  using namespace terminal_text_detail;
  return formatted(format, c_arg(escaped(values))...);
}

}  // namespace gapscope

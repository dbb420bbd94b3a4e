#include "core/base/number_text.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace gapscope {

std::string with_thousands(int64_t n) {
  std::string digits = std::to_string(n);
  size_t first_digit = digits[0] == '-' ? 1 : 0;
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    size_t left = digits.size() - i;
    if (i > first_digit && left % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string format_bytes(int64_t bytes) {
  static const char* const kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (bytes < 1024) return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
  double value = static_cast<double>(bytes) / 1024.0;
  int unit = 0;
  while (value >= 1024.0 && unit < 5) {
    value /= 1024.0;
    ++unit;
  }
  char text[32];
  double rounded = std::round(value * 10.0) / 10.0;
  if (rounded == std::floor(rounded))
    std::snprintf(text, sizeof text, "%.0f %s", rounded, kUnits[unit]);
  else
    std::snprintf(text, sizeof text, "%.1f %s", rounded, kUnits[unit]);
  return text;
}

std::string float_text(float f) {
  char text[64];
  auto result = std::to_chars(text, text + sizeof text, f);
  return std::string(text, result.ptr);
}

double float_json_value(float f) {
  if (!std::isfinite(f)) return static_cast<double>(f);
  std::string text = float_text(f);
  double d = 0.0;
  std::from_chars(text.data(), text.data() + text.size(), d);
  // Reading through a double rounds twice; keep the exact value if that ever
  // lands on another float.
  return static_cast<float>(d) == f ? d : static_cast<double>(f);
}

}  // namespace gapscope

#include "core/report/report_numbers.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace gapscope {

std::string format_significant(double value, int digits) {
  if (std::isnan(value)) return "n/a";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  if (value == 0) return "0";
  if (digits < 1) digits = 1;
  // Round to `digits` significant digits first: 9.996 must become "10.0", not "10.00".
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*e", digits - 1, value);
  const char* e = buffer;
  while (*e && *e != 'e') ++e;
  const int exponent = std::atoi(e + 1);
  if (exponent >= 6 || exponent < -3) {
    std::string mantissa(buffer, static_cast<size_t>(e - buffer));
    if (mantissa.find('.') != std::string::npos) {
      while (mantissa.back() == '0') mantissa.pop_back();
      if (mantissa.back() == '.') mantissa.pop_back();
    }
    return mantissa + "e" + std::to_string(exponent);
  }
  if (exponent >= digits - 1) {  // 1234.5 -> "1235": whole digits stay
    std::snprintf(buffer, sizeof buffer, "%.0f", value);
    return buffer;
  }
  std::snprintf(buffer, sizeof buffer, "%.*f", digits - 1 - exponent, std::strtod(buffer, nullptr));
  return buffer;
}

std::string format_plain(double value) {
  if (!std::isfinite(value)) return format_significant(value);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return buffer;
}

std::string format_milliseconds(double ms) {
  if (!std::isfinite(ms)) return format_significant(ms);
  const double magnitude = std::fabs(ms);
  if (magnitude != 0 && magnitude < 1) return format_significant(ms * 1000) + " µs";
  if (magnitude < 1000) return format_significant(ms) + " ms";
  return format_significant(ms / 1000) + " s";
}

std::string format_bytes(double bytes) {
  if (!std::isfinite(bytes)) return format_significant(bytes);
  const double magnitude = std::fabs(bytes);
  if (magnitude < 1000) return format_significant(bytes) + " bytes";
  if (magnitude < 1e6) return format_significant(bytes / 1e3) + " KB";
  if (magnitude < 1e9) return format_significant(bytes / 1e6) + " MB";
  return format_significant(bytes / 1e9) + " GB";
}

std::string format_measure(double value, const std::string& unit) {
  if (unit == "ms") return format_milliseconds(value);
  if (unit == "bytes") return format_bytes(value);
  return format_significant(value);
}

std::string format_ratio(double ratio) {
  return std::isfinite(ratio) ? format_significant(ratio) + "×" : format_significant(ratio);
}

std::string format_exact(double value) {
  if (!std::isfinite(value)) return "";
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

DisplayUnit display_unit(const std::string& unit, double largest) {
  const double magnitude = std::isfinite(largest) ? std::fabs(largest) : 0;
  if (unit == "ms") {
    if (magnitude > 0 && magnitude < 1) return {"µs", 1000};
    if (magnitude >= 10000) return {"s", 1e-3};
    return {"ms", 1};
  }
  if (unit == "bytes") {
    if (magnitude >= 1e9) return {"GB", 1e-9};
    if (magnitude >= 1e6) return {"MB", 1e-6};
    if (magnitude >= 1e3) return {"KB", 1e-3};
    return {"bytes", 1};
  }
  return {"", 1};
}

}  // namespace gapscope

// Numbers as a report shows them: three significant digits, in the unit that
// keeps them short (µs/ms/s, KB/MB/GB), and exact text for machine-read exports.
#pragma once
#include <string>

namespace gapscope {

// 3 significant digits by default: 12.3, 0.0123, 1235 (integer digits are
// never dropped), 1.23e6 and 1.23e-4 outside [0.001, 1e6). NaN: "n/a".
std::string format_significant(double value, int digits = 3);
// Up to 6 significant digits, no trailing zeros: 64, 0.125, 1.5e+07 (axis
// labels at data values).
std::string format_plain(double value);
// 0.85 -> "850 µs", 12.34 -> "12.3 ms", 1234 -> "1.23 s".
std::string format_milliseconds(double ms);
// Decimal units (1 KB = 1000 bytes): "512 bytes", "12.3 KB", "4.56 MB".
std::string format_bytes(double bytes);
// By a measurement's unit: ms, bytes, or anything else as a plain number.
std::string format_measure(double value, const std::string& unit);
// "12.3×": how many times slower.
std::string format_ratio(double ratio);
// The shortest text that reads back as exactly value (CSV cells); NaN/inf: "".
std::string format_exact(double value);

// How a chart shows one unit's values: multiply by scale, label the axis
// with label. Chosen from the largest value so ticks stay short.
struct DisplayUnit {
  std::string label;  // "ms", "µs", "s", "KB", "MB", "GB", or "" for ratios
  double scale = 1;
};
DisplayUnit display_unit(const std::string& unit, double largest);

}  // namespace gapscope

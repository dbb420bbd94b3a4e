#include "core/store/run_filter_values.h"

#include <cctype>
#include <chrono>

namespace gapscope {
namespace {

// The number in text[at, at + digits), or -1 if those are not all digits.
int number_at(std::string_view text, size_t at, size_t digits) {
  int value = 0;
  for (size_t i = at; i < at + digits; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

std::optional<std::string> run_date(std::string_view text) {
  if (text.size() != 10 && text.size() != 20) return std::nullopt;
  const int year = number_at(text, 0, 4), month = number_at(text, 5, 2), day = number_at(text, 8, 2);
  if (text[4] != '-' || text[7] != '-' || year < 0 || month < 0 || day < 0) return std::nullopt;
  if (!std::chrono::year_month_day(std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                                   std::chrono::day(static_cast<unsigned>(day)))
           .ok())
    return std::nullopt;
  if (text.size() == 20) {
    if (text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != 'Z') return std::nullopt;
    const int hour = number_at(text, 11, 2), minute = number_at(text, 14, 2), second = number_at(text, 17, 2);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return std::nullopt;
  }
  return std::string(text);
}

}  // namespace gapscope

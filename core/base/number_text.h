// Numbers written for people (error messages) and for JSON files.
#pragma once
#include <cstdint>
#include <string>

namespace gapscope {

// 1234567 -> "1,234,567".
std::string with_thousands(int64_t n);
// Binary units with at most one decimal: "512 bytes", "1.5 KiB", "12.3 GiB", "8 GiB".
std::string format_bytes(int64_t bytes);
// The shortest decimal text that reads back as exactly f ("0.1" for 0.1f).
std::string float_text(float f);
// A double whose shortest text (as JSON writers print doubles) reads back as
// exactly f: 0.1f becomes 0.1, not 0.10000000149011612.
double float_json_value(float f);

}  // namespace gapscope

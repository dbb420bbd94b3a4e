// Stored text on its way to a terminal: control characters, C1 controls and
// bytes that are not UTF-8 are escaped; other text, UTF-8 included, stays.
#include <catch2/catch.hpp>

#include "core/base/terminal_text.h"

using namespace gapscope;

TEST_CASE("printable escapes terminal control sequences and keeps ordinary text", "[terminal-text]") {
  CHECK(printable("paper-dnn 2x128, batch 64") == "paper-dnn 2x128, batch 64");
  CHECK(printable("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80") == "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80");
  // A window title, a screen clear, a forged table line.
  CHECK(printable("\x1b]0;pwned\x07\x1b[2Jlabel\nfake row\r\t") == "\\x1b]0;pwned\\x07\\x1b[2Jlabel\\nfake row\\r\\t");
  CHECK(printable(std::string("a\0b\x7f", 4)) == "a\\x00b\\x7f");
  // C1 controls (U+009B is an 8-bit CSI) and bytes that are not UTF-8.
  CHECK(printable("\xc2\x9b" "31m \xc2\xa0") == "\\u009b31m \xc2\xa0");
  CHECK(printable("\x9b" "31m") == "\\x9b31m");
  CHECK(printable("\xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80 \xe6\x97") ==
        "\\xc0\\xaf \\xed\\xa0\\x80 \\xf4\\x90\\x80\\x80 \\xe6\\x97");
}

TEST_CASE("text_line escapes every string value and formats numbers as printf", "[terminal-text]") {
  const std::string label = "evil\x1b[2J";
  CHECK(text_line("%-8s|%s|%5lld|%.2f\n", label, label.c_str(), 42LL, 0.5) == "evil\\x1b[2J|evil\\x1b[2J|   42|0.50\n");
  CHECK(text_line("%s", std::string(1000, 'x')).size() == 1000);  // no fixed buffer cuts it
}

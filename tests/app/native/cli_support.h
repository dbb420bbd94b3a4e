// Helpers for tests that drive the real gapscope-native executable.
#pragma once
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace gapscope::cli_test {

namespace fs = std::filesystem;

struct Result {
  int exit_code;
  std::string out;  // stdout and stderr together when merge is set
};

inline Result run_command(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

inline Result run(const std::string& args, bool merge_stderr = false) {
  return run_command(std::string(GAPSCOPE_NATIVE_EXE) + " " + args + (merge_stderr ? " 2>&1" : " 2>/dev/null"));
}

// run() with environment assignments ("NAME=value ...") before the command;
// stdout and stderr together.
inline Result run_with_env(const std::string& env, const std::string& args) {
  return run_command(env + " " + std::string(GAPSCOPE_NATIVE_EXE) + " " + args + " 2>&1");
}

inline std::vector<nlohmann::json> json_lines(const std::string& text) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

inline fs::path scratch(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / "gapscope-cli-test" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

}  // namespace gapscope::cli_test

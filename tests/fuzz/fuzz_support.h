// Shared by the fuzz targets: a per-process scratch directory (removed at
// exit) and writing the fuzzed bytes to a file in it, for parsers that only
// take a path. Each target reuses the same file names on every input.
#pragma once
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace gapscope::fuzz {

inline const std::filesystem::path& scratch_directory() {
  static const std::filesystem::path dir = [] {
    std::filesystem::path p =
        std::filesystem::temp_directory_path() / ("gapscope-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(p);
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(scratch_directory(), ignored);
    });
    return p;
  }();
  return dir;
}

// The path of `name` in the scratch directory, holding exactly `bytes`.
inline std::string write_scratch_file(const std::string& name, std::string_view bytes) {
  std::string path = (scratch_directory() / name).string();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) std::abort();  // the harness itself failed, not the parser
  return path;
}

inline void remove_scratch_file(const std::string& name) {
  std::error_code ignored;
  std::filesystem::remove(scratch_directory() / name, ignored);
}

inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// prediction_input: the model the fuzzed batch is for takes this many inputs.
inline constexpr int64_t kPredictionInputsPerSample = 4;

// TF.js inputs are model.json, this line, then the bytes of the one shard.
inline constexpr std::string_view kShardSeparator = "\n--gapscope-fuzz-shard--\n";

}  // namespace gapscope::fuzz

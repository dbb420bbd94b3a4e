// What the PyTorch oracle tests share: JSON for the engine's weights and
// batches, one run of tests/core/oracle/pytorch_oracle.py for all cases, and
// the relative error the results are judged by.
#pragma once
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/nn/weights.h"

namespace gapscope::oracle {

inline nlohmann::json weights_json(const WeightSet& weights) {
  nlohmann::json j = nlohmann::json::object();
  for (const NamedArray& a : weights) j[a.name] = {{"shape", a.shape}, {"values", a.values}};
  return j;
}

// One row of `width` values per sample.
inline nlohmann::json rows_json(const std::vector<float>& flat, int64_t width) {
  nlohmann::json rows = nlohmann::json::array();
  for (size_t r = 0; r < flat.size() / static_cast<size_t>(width); ++r)
    rows.push_back(std::vector<float>(flat.begin() + static_cast<long>(r * width),
                                      flat.begin() + static_cast<long>((r + 1) * width)));
  return rows;
}

// Runs the oracle on `cases` (one process for all of them) and returns its
// results in the same order. `tag` and the process id name the exchange files,
// so that tests running at the same time (ctest -j) do not share them.
inline nlohmann::json run_oracle(const nlohmann::json& cases, const std::string& tag) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "gapscope-oracle";
  fs::create_directories(dir);
  std::string stem = tag + "-" + std::to_string(::getpid());
  fs::path in = dir / (stem + "-cases.json"), out = dir / (stem + "-results.json");
  std::ofstream(in) << nlohmann::json{{"cases", cases}}.dump();
  std::string script = std::string(GAPSCOPE_SOURCE_DIR) + "/tests/core/oracle/pytorch_oracle.py";
  std::string command = std::string(GAPSCOPE_PYTHON) + " " + script + " " + in.string() + " " + out.string();
  int status = std::system(command.c_str());
  REQUIRE(status == 0);
  nlohmann::json results = nlohmann::json::parse(std::ifstream(out))["results"];
  REQUIRE(results.size() == cases.size());
  fs::remove(in);
  fs::remove(out);
  return results;
}

// max |a - b| / max |b| (one scale per tensor: near-zero entries are judged
// against the tensor's magnitude, as float32 rounding is).
inline double relative_error(const std::vector<float>& a, const std::vector<double>& b) {
  REQUIRE(a.size() == b.size());
  double diff = 0, scale = 1e-12;
  for (size_t i = 0; i < a.size(); ++i) {
    REQUIRE(std::isfinite(a[i]));
    diff = std::max(diff, std::fabs(static_cast<double>(a[i]) - b[i]));
    scale = std::max(scale, std::fabs(b[i]));
  }
  return diff / scale;
}

}  // namespace gapscope::oracle

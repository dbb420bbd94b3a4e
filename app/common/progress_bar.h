// A progress bar with ETA on stderr; redraws at most every 100 ms and only
// when stderr is a terminal (otherwise prints a line every 10%).
#pragma once
#include <chrono>
#include <cstdint>
#include <string>

namespace gapscope::cli {

// "42s", "3m05s", "1h12m".
std::string format_seconds(double seconds);

class ProgressBar {
 public:
  ProgressBar(std::string label, int64_t total, bool enabled = true);
  void update(int64_t done, const std::string& detail = "");
  void finish(const std::string& detail = "");

 private:
  void draw(int64_t done, const std::string& detail, bool final);
  std::string label_;
  int64_t total_;
  bool enabled_, tty_;
  int last_decile_ = -1;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace gapscope::cli

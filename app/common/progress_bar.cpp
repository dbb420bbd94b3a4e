#include "app/common/progress_bar.h"

#include <unistd.h>

#include <cstdio>

namespace gapscope::cli {

std::string format_seconds(double s) {
  char buf[32];
  if (s < 60)
    std::snprintf(buf, sizeof buf, "%.0fs", s);
  else if (s < 3600)
    std::snprintf(buf, sizeof buf, "%dm%02ds", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  else
    std::snprintf(buf, sizeof buf, "%dh%02dm", static_cast<int>(s) / 3600, static_cast<int>(s) / 60 % 60);
  return buf;
}

ProgressBar::ProgressBar(std::string label, int64_t total, bool enabled)
    : label_(std::move(label)),
      total_(total > 0 ? total : 1),
      enabled_(enabled),
      tty_(isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()) {}

void ProgressBar::update(int64_t done, const std::string& detail) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (tty_) {
    if (now - last_draw_ < std::chrono::milliseconds(100)) return;
  } else {
    int decile = static_cast<int>(done * 10 / total_);
    if (decile == last_decile_) return;
    last_decile_ = decile;
  }
  last_draw_ = now;
  draw(done, detail, false);
}

void ProgressBar::finish(const std::string& detail) {
  if (enabled_) draw(total_, detail, true);
}

void ProgressBar::draw(int64_t done, const std::string& detail, bool final) {
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  double fraction = static_cast<double>(done) / static_cast<double>(total_);
  double eta = done > 0 ? elapsed * (1 - fraction) / fraction : 0;
  constexpr int kWidth = 30;
  int filled = static_cast<int>(fraction * kWidth);
  std::string bar(static_cast<size_t>(filled), '#');
  bar.resize(kWidth, '.');
  std::fprintf(stderr, "%s%s [%s] %3.0f%% %lld/%lld %s %s %s%s", tty_ ? "\r\033[K" : "",
               label_.c_str(), bar.c_str(), fraction * 100, static_cast<long long>(done),
               static_cast<long long>(total_), final ? "in" : "ETA",
               format_seconds(final ? elapsed : eta).c_str(), detail.c_str(),
               (final || !tty_) ? "\n" : "");
  std::fflush(stderr);
}

}  // namespace gapscope::cli

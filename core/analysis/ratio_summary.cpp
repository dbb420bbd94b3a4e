#include "core/analysis/ratio_summary.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "core/base/terminal_text.h"
#include "core/measure/statistics.h"

namespace gapscope {

std::string ratio_summary_text(const RatioAnalysis& analysis) {
  if (analysis.points.empty()) return "No browser/native ratio: no configuration has both a browser and a native time.\n";
  std::map<std::pair<std::string, std::string>, std::vector<double>> groups;
  for (const RatioPoint& p : analysis.points) groups[{p.backend, p.task}].push_back(p.ratio);
  std::string text = "browser / native time ratio (geometric mean over the grid; >1 = the browser is slower)\n";
  text += text_line("  %-14s %-6s %10s %10s %10s %4s\n", "backend", "task", "geomean", "min", "max", "n");
  for (const auto& [key, ratios] : groups) {
    const auto [lo, hi] = std::minmax_element(ratios.begin(), ratios.end());
    text += text_line("  %-14s %-6s %10.3g %10.3g %10.3g %4zu\n", key.first.c_str(), key.second.c_str(),
                 geometric_mean(ratios), *lo, *hi, ratios.size());
  }
  for (const auto& note : analysis.notes) text += text_line("  note: %s\n", note);
  if (analysis.tree) {
    text += "\ndecision tree of the ratio (fit on log10; leaves show the geometric-mean ratio; depth <= number of "
            "factors, as the paper):\n" +
            analysis.tree->to_text([](double log_ratio) { return text_line("%.3gx", std::pow(10.0, log_ratio)); });
    text += "factor importance:";
    const auto importance = analysis.tree->importance();
    for (size_t i = 0; i < importance.size(); ++i)
      text += text_line(" %s %.2f", analysis.tree->factors()[i].name.c_str(), importance[i]);
    text += "\n";
  }
  return text;
}

}  // namespace gapscope

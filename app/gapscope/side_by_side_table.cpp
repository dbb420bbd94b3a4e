#include "app/gapscope/side_by_side_table.h"

#include <algorithm>
#include <cstdio>

#include "app/common/measurement_output.h"
#include "core/base/terminal_text.h"
#include "core/measure/capability_summary.h"

namespace gapscope::cli {
namespace {

struct Column {
  const char* title;
  const char* phase;
  const char* format;  // file_size only
};

const Column kColumns[] = {{"load", "load", ""},
                           {"warmup", "warmup", ""},
                           {"infer/sample", "infer", ""},
                           {"train/batch", "train", ""},
                           {"model (tfjs)", "file_size", "tfjs"},
                           {"peak memory", "memory", ""}};

const Measurement* find(const std::vector<Measurement>& records, const Column& column) {
  for (const Measurement& m : records)
    if (m.phase == column.phase && (column.format[0] == '\0' || m.format == column.format)) return &m;
  return nullptr;
}

std::string cell(const Measurement* m, const Measurement* baseline) {
  if (m == nullptr) return "-";
  std::string text = human_value(m->summary.median, m->unit);
  if (baseline != nullptr && baseline != m && baseline->summary.median > 0) {
    const double r = m->summary.median / baseline->summary.median;
    char ratio[32];
    std::snprintf(ratio, sizeof ratio, r >= 100 ? " (%.0fx)" : r >= 10 ? " (%.1fx)" : " (%.2fx)", r);
    text += ratio;
  }
  return text;
}

std::string pad(const std::string& text, size_t width) {
  return text.size() >= width ? text + " " : text + std::string(width - text.size(), ' ');
}

}  // namespace

std::string side_by_side_table(const std::vector<BackendResult>& results, const std::string& baseline) {
  const BackendResult* base = nullptr;
  for (const BackendResult& r : results)
    if (r.backend == baseline && r.failure_reason.empty()) base = &r;

  std::vector<std::vector<std::string>> rows;
  rows.push_back({"backend"});
  for (const Column& c : kColumns) rows.back().push_back(c.title);
  for (const BackendResult& r : results) {
    std::vector<std::string> row = {r.backend};
    if (r.failure_reason.empty())
      for (const Column& c : kColumns) row.push_back(cell(find(r.records, c), base ? find(base->records, c) : nullptr));
    rows.push_back(std::move(row));
  }
  std::vector<size_t> widths(1 + std::size(kColumns), 0);
  for (const auto& row : rows)
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size() + 2);

  std::string out;
  for (size_t r = 0; r < rows.size(); ++r) {
    const auto& row = rows[r];
    for (size_t i = 0; i < row.size(); ++i) out += pad(row[i], widths[i]);
    if (r > 0 && !results[r - 1].failure_reason.empty())
      // A failure message comes from a browser or a child process: escaped for the terminal.
      out += printable(results[r - 1].failure_reason + ": " +
                       results[r - 1].failure_message.substr(0, results[r - 1].failure_message.find('\n')));
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += "\n";
  }
  if (base != nullptr) out += "(ratio) = median / " + baseline + "'s median; lower is faster or smaller.\n";
  out += "\nWhat ran:\n";
  for (const BackendResult& r : results) {
    if (!r.failure_reason.empty() || r.records.empty()) continue;
    out += "  " + pad(r.backend, widths[0]) + capability_summary(r.backend, r.records.front().capabilities) + "\n";
  }
  return out;
}

}  // namespace gapscope::cli

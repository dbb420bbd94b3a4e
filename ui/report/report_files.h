// Writes a stored run's report in the formats asked for: the HTML report
// (core/report), the same page printed to PDF by Chromium, and the raw records
// as CSV and JSON lines. Each file is written atomically. Shared by
// `gapscope report`, `gapscope reproduce` and the workbench's File > Export.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "core/report/run_report.h"

namespace gapscope::ui {

struct ReportTargets {
  std::string html, pdf, csv, json;  // empty: not written
  bool empty() const { return html.empty() && pdf.empty() && csv.empty() && json.empty(); }
};

// The options a stored run's own report gets: its title, and the notes of its
// sweep grid (what was trimmed from a preset).
ReportOptions default_report_options(const StoredRun& run);

// Checks every target can be written (core/base/atomic_file.h) before writing
// any. Returns the paths written, in the order html, pdf, csv, json.
std::vector<std::string> write_report_files(const StoredRun& run, const ReportOptions& options,
                                            const ReportTargets& targets);

}  // namespace gapscope::ui

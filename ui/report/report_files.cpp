#include "ui/report/report_files.h"

#include "core/analysis/ratio_analysis.h"
#include "core/base/atomic_file.h"
#include "core/report/records_export.h"
#include "ui/report/pdf_printer.h"

namespace gapscope::ui {

ReportOptions default_report_options(const StoredRun& run) {
  ReportOptions options;
  const RunSummary& s = run.summary;
  options.title = "gapscope " + s.kind + " " + (s.label.empty() ? s.id : s.label + " (" + s.id + ")");
  auto sweep = s.metadata.find("sweep");
  if (sweep != s.metadata.end() && sweep->contains("notes"))
    for (const auto& note : (*sweep)["notes"])
      if (note.is_string()) options.notes.push_back(note.get<std::string>());
  return options;
}

std::vector<std::string> write_report_files(const StoredRun& run, const ReportOptions& options,
                                            const ReportTargets& targets) {
  // Every target before any work: rendering and printing take a while, and a
  // report half written (HTML but no CSV) helps nobody.
  for (const std::string* target : {&targets.html, &targets.pdf, &targets.csv, &targets.json})
    if (!target->empty()) check_writable_target(*target);
  std::vector<std::string> written;
  if (!targets.html.empty() || !targets.pdf.empty()) {
    const std::string html = run_report_html(run, analyse_ratios(run), options);
    if (!targets.html.empty()) {
      write_file_atomically(targets.html, html);
      written.push_back(targets.html);
    }
    if (!targets.pdf.empty()) {
      print_html_to_pdf(html, targets.pdf);
      written.push_back(targets.pdf);
    }
  }
  if (!targets.csv.empty()) {
    write_file_atomically(targets.csv, records_csv(run));
    written.push_back(targets.csv);
  }
  if (!targets.json.empty()) {
    write_file_atomically(targets.json, records_json(run));
    written.push_back(targets.json);
  }
  return written;
}

}  // namespace gapscope::ui

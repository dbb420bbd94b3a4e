// The report of `gapscope reproduce paper`: the paper's findings (Table 6)
// marked confirmed or not on this machine with the evidence, then each of its
// figures and tables re-measured here (Figures 1-4 and 6, Tables 2 and 3),
// beside what the paper states, and the machine, software and method.
#pragma once
#include <string>
#include <vector>

#include "core/analysis/paper_findings.h"
#include "core/store/results_store.h"

namespace gapscope {

struct PaperReportInput {
  // The reproduction's sweeps: the Section 4 grid (sweep "paper-fig1-4") and
  // the Section 5 gap grids ("paper-gap-dnn|cnn|rnn"); others are ignored.
  std::vector<StoredRun> runs;
  std::vector<FindingCheck> findings;
  bool quick = false;
  double seconds = 0;  // how long the reproduction took
  // Section 5.1: one run per zoo model (parts "zoo-<model>"); empty when not run.
  std::vector<StoredRun> zoo_runs;
};

std::string paper_report_html(const PaperReportInput& input);

}  // namespace gapscope

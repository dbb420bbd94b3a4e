// How the History tab words stored runs: configuration names, measured
// values, the run's facts, and the ratio analysis as plain text (the same
// content `gapscope history` prints; that copy lives in app/, which ui may
// not use).
#pragma once
#include <string>
#include <utility>
#include <vector>

#include <QString>

#include "core/analysis/ratio_analysis.h"
#include "core/store/results_store.h"

namespace gapscope::ui {

// "paper-dnn 2x128"; just the model for a run that is not on a grid (depth 0).
QString configuration_label(const std::string& preset, int64_t depth, int64_t width);
// By unit: "1.23 ms", "4.56 MB", a plain number otherwise.
QString measure_text(double value, const std::string& unit);
// "3 / 1 / 12" as done / failed / total.
QString progress_counts(const RunSummary& run);
// (what, value) pairs: created, kind, label, machine and software facts;
// facts a run did not record are left out.
std::vector<std::pair<QString, QString>> run_fact_rows(const RunSummary& run);
// Geometric mean ratio per backend and task, the notes, the regression tree
// and each factor's importance; says so when there is nothing to analyse.
QString ratio_summary_text(const RatioAnalysis& analysis);
// One line per failed configuration; empty when none failed.
QString failures_text(const StoredRun& run);

}  // namespace gapscope::ui

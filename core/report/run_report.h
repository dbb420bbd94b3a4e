// The standard report of one stored run (a single `gapscope run` or a
// sweep) as one self-contained HTML page: what ran where, how it was
// measured, every phase's chart and table, the browser/native ratios with
// their regression tree, and what failed. The sections are exposed one by one
// so other reports (the paper reproduction) can reuse them.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "core/analysis/ratio_analysis.h"
#include "core/report/html_document.h"
#include "core/store/results_store.h"

namespace gapscope {

struct ReportOptions {
  std::string title;               // empty: "gapscope report: run <id>"
  std::vector<std::string> notes;  // shown under the summary, e.g. trimmed grid points
  std::function<void(HtmlDocument&)> extra_sections;  // appended before the appendix
};

std::string run_report_html(const StoredRun& run, const RatioAnalysis& analysis, const ReportOptions& options);

// Run id, kind, label, dates, how many configurations were done and failed.
// Its first line is the result: each browser backend's time over native's per task.
void add_summary_section(HtmlDocument& doc, const StoredRun& run, const std::vector<std::string>& notes,
                         const RatioAnalysis& analysis);
// Machine (CPU, cores, memory, OS, Vulkan device) and software (versions,
// revision, compiler, Qt, QtWebEngine/Chromium, TF.js, flags, seed), from
// run.summary.facts and run.summary.metadata; "not recorded" where missing.
void add_metadata_section(HtmlDocument& doc, const StoredRun& run);
// The phases and what each times, n and warm-up runs per phase, rounds and
// interleaving, the statistics, and the capabilities each backend really had.
void add_method_section(HtmlDocument& doc, const StoredRun& run);
// Per phase a chart and a table of medians (p10-p90, n) per backend and
// configuration, every round pooled (pool_rounds).
void add_phase_sections(HtmlDocument& doc, const StoredRun& run);
// Ratio table, a heatmap per (backend, task) over depth x width, the
// regression tree with its leaves as ratios, factor importance, notes.
void add_ratio_section(HtmlDocument& doc, const RatioAnalysis& analysis);
// Configurations that failed, with reason and message (and any never run).
void add_failures_section(HtmlDocument& doc, const StoredRun& run);
// Every configuration, the tree as text and the run record as stored.
void add_appendix_section(HtmlDocument& doc, const StoredRun& run, const RatioAnalysis& analysis);

}  // namespace gapscope

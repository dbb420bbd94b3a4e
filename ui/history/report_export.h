// File > Export report…: the formats a stored run's report can be saved in
// (ui/report/report_files.h) as file-dialog filters. The filter the user
// picks decides the format; a name without that format's suffix gets it.
#pragma once
#include <vector>

#include <QString>

#include "ui/report/report_files.h"

namespace gapscope::ui {

struct ReportFormat {
  QString filter;  // "HTML report (*.html)"
  QString suffix;  // "html"
};

// HTML, PDF, CSV, JSON, in that order.
const std::vector<ReportFormat>& report_formats();
// Every filter, joined for QFileDialog (";;").
QString report_format_filters();
// The format a filter names; HTML when it names none.
const ReportFormat& report_format_for_filter(const QString& filter);
// The path with the format's suffix (added when missing).
QString with_report_suffix(const QString& path, const ReportFormat& format);
// The targets that write `path` in `format` and nothing else.
ReportTargets report_targets(const QString& path, const ReportFormat& format);

}  // namespace gapscope::ui

#include "ui/history/report_export.h"

#include <QFileInfo>
#include <QObject>
#include <QStringList>

namespace gapscope::ui {

const std::vector<ReportFormat>& report_formats() {
  static const std::vector<ReportFormat> formats = {
      {QObject::tr("HTML report (*.html)"), "html"},
      {QObject::tr("PDF report (*.pdf)"), "pdf"},
      {QObject::tr("CSV records (*.csv)"), "csv"},
      {QObject::tr("JSON lines records (*.jsonl)"), "jsonl"},
  };
  return formats;
}

QString report_format_filters() {
  QStringList filters;
  for (const ReportFormat& format : report_formats()) filters << format.filter;
  return filters.join(";;");
}

const ReportFormat& report_format_for_filter(const QString& filter) {
  for (const ReportFormat& format : report_formats())
    if (format.filter == filter) return format;
  return report_formats().front();
}

QString with_report_suffix(const QString& path, const ReportFormat& format) {
  return QFileInfo(path).suffix().compare(format.suffix, Qt::CaseInsensitive) == 0 ? path
                                                                                  : path + "." + format.suffix;
}

ReportTargets report_targets(const QString& path, const ReportFormat& format) {
  ReportTargets targets;
  const std::string file = path.toStdString();
  if (format.suffix == "html") targets.html = file;
  if (format.suffix == "pdf") targets.pdf = file;
  if (format.suffix == "csv") targets.csv = file;
  if (format.suffix == "jsonl") targets.json = file;
  return targets;
}

}  // namespace gapscope::ui

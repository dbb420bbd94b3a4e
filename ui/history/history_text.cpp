#include "ui/history/history_text.h"

#include <algorithm>
#include <map>

#include <QObject>

#include "core/analysis/ratio_summary.h"
#include "core/measure/statistics.h"
#include "core/report/report_numbers.h"

namespace gapscope::ui {
namespace {

QString text(const std::string& s) { return QString::fromStdString(s); }

}  // namespace

QString configuration_label(const std::string& preset, int64_t depth, int64_t width) {
  if (depth <= 0 && width <= 0) return text(preset);
  return QStringLiteral("%1 %2x%3").arg(text(preset)).arg(depth).arg(width);
}

QString measure_text(double value, const std::string& unit) { return text(format_measure(value, unit)); }

QString progress_counts(const RunSummary& run) {
  return QStringLiteral("%1 / %2 / %3").arg(run.done).arg(run.failed).arg(run.configurations);
}

std::vector<std::pair<QString, QString>> run_fact_rows(const RunSummary& run) {
  std::vector<std::pair<QString, QString>> rows = {
      {QObject::tr("Run"), text(run.id)},
      {QObject::tr("Created"), text(run.created)},
      {QObject::tr("Kind"), text(run.kind)},
      {QObject::tr("Label"), text(run.label)},
      {QObject::tr("Configurations"),
       QObject::tr("%1 done, %2 failed, %3 in all").arg(run.done).arg(run.failed).arg(run.configurations)},
  };
  const RunFacts& f = run.facts;
  auto add = [&](const QString& what, const std::optional<std::string>& value) {
    if (value && !value->empty()) rows.emplace_back(what, text(*value));
  };
  add(QObject::tr("CPU"), f.cpu_model);
  if (f.hardware_threads) rows.emplace_back(QObject::tr("Hardware threads"), QString::number(*f.hardware_threads));
  add(QObject::tr("Vulkan device"), f.vulkan_device);
  add(QObject::tr("gapscope"), f.app_version);
  add(QObject::tr("Git revision"), f.git_revision);
  add(QObject::tr("Compiler"), f.compiler);
  add(QObject::tr("Qt"), f.qt_version);
  add(QObject::tr("QtWebEngine"), f.qtwebengine_version);
  add(QObject::tr("Chromium"), f.chromium_version);
  add(QObject::tr("Chromium flags"), f.chromium_flags);
  add(QObject::tr("TF.js"), f.tfjs_version);
  if (f.seed) rows.emplace_back(QObject::tr("Seed"), QString::number(*f.seed));
  add(QObject::tr("Flags"), f.flags);
  return rows;
}

QString ratio_summary_text(const RatioAnalysis& analysis) {
  return QString::fromStdString(gapscope::ratio_summary_text(analysis));
}

QString failures_text(const StoredRun& run) {
  QString out;
  for (const StoredConfiguration& c : run.configurations)
    if (c.status == ConfigurationStatus::failed)
      out += QStringLiteral("#%1 %2 %3: %4: %5\n")
                 .arg(c.plan.index)
                 .arg(text(c.plan.backend), text(c.plan.model), text(c.failure_reason.value_or("?")),
                      text(c.failure_message.value_or("")).left(300));
  return out;
}

}  // namespace gapscope::ui

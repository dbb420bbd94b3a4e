#include "ui/history/run_comparison_view.h"

#include <cmath>
#include <map>
#include <tuple>

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include "core/analysis/ratio_analysis.h"
#include "core/measure/statistics.h"
#include "core/report/report_numbers.h"
#include "ui/history/history_text.h"

namespace gapscope::ui {
namespace {

// preset, depth, width, backend, phase, format
using Key = std::tuple<std::string, int64_t, int64_t, std::string, std::string, std::string>;

QTableWidgetItem* cell(const QString& text, bool number = false) {
  auto* item = new QTableWidgetItem(text);
  item->setFlags(item->flags() & ~Qt::ItemIsEditable);
  if (number) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
  return item;
}

QString run_name(const RunSummary& run) {
  return QStringLiteral("%1 (%2, %3)").arg(QString::fromStdString(run.id), QString::fromStdString(run.kind),
                                           QString::fromStdString(run.created));
}

}  // namespace

RunComparisonView::RunComparisonView(QWidget* parent)
    : QWidget(parent), header_(new QLabel), table_(new QTableWidget), summary_(new QLabel) {
  header_->setWordWrap(true);
  header_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  table_->setColumnCount(6);
  table_->setHorizontalHeaderLabels({tr("Configuration"), tr("Backend"), tr("Phase"), tr("A median"), tr("B median"),
                                     tr("B/A")});
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->verticalHeader()->setVisible(false);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  summary_->setWordWrap(true);
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(header_);
  layout->addWidget(table_, 1);
  layout->addWidget(summary_);
}

void RunComparisonView::setRuns(const StoredRun& a, const StoredRun& b) {
  header_->setText(tr("A = %1\nB = %2").arg(run_name(a.summary), run_name(b.summary)));
  std::map<Key, PooledMeasurement> left;
  for (PooledMeasurement& m : pool_rounds(a)) left[{m.preset, m.depth, m.width, m.backend, m.phase, m.format}] = m;

  table_->setRowCount(0);
  std::map<std::pair<std::string, std::string>, std::vector<double>> ratios;  // backend, phase
  std::map<std::string, std::pair<int64_t, int64_t>> runs_differ;             // phase -> timed runs in A, B
  for (const PooledMeasurement& m : pool_rounds(b)) {
    auto it = left.find({m.preset, m.depth, m.width, m.backend, m.phase, m.format});
    if (it == left.end()) continue;
    const double a_median = it->second.summary.median;
    if (it->second.summary.n != m.summary.n && m.unit == "ms" && !runs_differ.count(m.phase))
      runs_differ[m.phase] = {it->second.summary.n, m.summary.n};
    const double ratio = a_median > 0 ? m.summary.median / a_median : NAN;
    if (std::isfinite(ratio) && ratio > 0) ratios[{m.backend, m.phase}].push_back(ratio);
    const int row = table_->rowCount();
    table_->insertRow(row);
    table_->setItem(row, 0, cell(configuration_label(m.preset, m.depth, m.width)));
    table_->setItem(row, 1, cell(QString::fromStdString(m.backend)));
    table_->setItem(row, 2, cell(QString::fromStdString(m.format.empty() ? m.phase : m.phase + " (" + m.format + ")")));
    table_->setItem(row, 3, cell(measure_text(a_median, m.unit), true));
    table_->setItem(row, 4, cell(measure_text(m.summary.median, m.unit), true));
    table_->setItem(row, kRatioColumn,
                    cell(std::isfinite(ratio) ? QString::fromStdString(format_significant(ratio)) : tr("n/a"), true));
  }
  if (table_->rowCount() == 0) {
    summary_->setText(tr("No configuration and phase is in both runs."));
    return;
  }
  QStringList lines;
  // Fewer timed runs make noisier medians: say so before anyone reads B/A as a change of speed.
  if (!runs_differ.empty()) {
    QStringList phases;
    for (const auto& [phase, n] : runs_differ)
      phases << tr("%1 %2 in A, %3 in B").arg(QString::fromStdString(phase)).arg(n.first).arg(n.second);
    lines << tr("The runs used different run counts (run scale): %1 timed runs. Medians of fewer runs are noisier.")
                 .arg(phases.join(", "));
  }
  const auto batch_of = [](const StoredRun& run) -> int64_t {
    for (const StoredConfiguration& c : run.configurations)
      if (c.plan.config.contains("batch") && c.plan.config["batch"].is_number_integer())
        return c.plan.config["batch"].get<int64_t>();
    return 0;
  };
  if (batch_of(a) != batch_of(b) && batch_of(a) > 0 && batch_of(b) > 0)
    lines << tr("The runs used different batch sizes: %1 in A, %2 in B; training times per batch differ by that "
                "alone.")
                 .arg(batch_of(a))
                 .arg(batch_of(b));
  lines << tr("Geometric mean of B/A per backend and phase:");
  for (const auto& [key, values] : ratios)
    lines << QStringLiteral("  %1 %2: %3 (%4)")
                 .arg(QString::fromStdString(key.first), QString::fromStdString(key.second),
                      QString::fromStdString(format_significant(geometric_mean(values))))
                 .arg(values.size());
  summary_->setText(lines.join('\n'));
}

}  // namespace gapscope::ui

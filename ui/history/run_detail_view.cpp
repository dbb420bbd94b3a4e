#include "ui/history/run_detail_view.h"

#include <cmath>
#include <map>
#include <tuple>

#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QSplitter>
#include <QSvgRenderer>
#include <QSvgWidget>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include "core/analysis/ratio_analysis.h"
#include "core/report/report_numbers.h"
#include "core/report/report_vocabulary.h"
#include "core/report/tree_diagram.h"
#include "ui/history/history_text.h"

namespace gapscope::ui {
namespace {

using PointKey = std::tuple<std::string, int64_t, int64_t, std::string>;  // preset, depth, width, backend

// Columns in the report's phase order (timed phases, then sizes and resources).
struct Column {
  std::string phase, format;
  bool operator<(const Column& other) const {
    return std::tuple(phase_rank(phase), phase, format) < std::tuple(phase_rank(other.phase), other.phase, other.format);
  }
};

QString column_title(const Column& c) {
  return c.format.empty() ? QString::fromStdString(c.phase)
                          : QStringLiteral("%1 (%2)").arg(QString::fromStdString(c.phase), QString::fromStdString(c.format));
}

// "done", "pending", "failed (timeout)", or "1/2 done" for a point whose rounds differ.
QString status_of(const std::vector<const StoredConfiguration*>& rounds) {
  int done = 0, pending = 0;
  QString failure;
  for (const StoredConfiguration* c : rounds) {
    if (c->status == ConfigurationStatus::done) ++done;
    if (c->status == ConfigurationStatus::pending) ++pending;
    if (c->status == ConfigurationStatus::failed && failure.isEmpty())
      failure = QObject::tr("failed (%1)").arg(QString::fromStdString(c->failure_reason.value_or("?")));
  }
  if (!failure.isEmpty()) return failure;
  if (done == static_cast<int>(rounds.size())) return QObject::tr("done");
  if (pending == static_cast<int>(rounds.size())) return QObject::tr("pending");
  return QObject::tr("%1/%2 done").arg(done).arg(rounds.size());
}

QTableWidgetItem* read_only_item(const QString& text) {
  auto* item = new QTableWidgetItem(text);
  item->setFlags(item->flags() & ~Qt::ItemIsEditable);
  return item;
}

}  // namespace

RunDetailView::RunDetailView(QWidget* parent)
    : QWidget(parent), facts_(new QLabel), medians_(new QTableWidget), ratios_(new QPlainTextEdit), tree_(new QSvgWidget) {
  tree_->renderer()->setAspectRatioMode(Qt::KeepAspectRatio);
  facts_->setWordWrap(true);
  facts_->setTextFormat(Qt::RichText);
  facts_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  facts_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
  medians_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  medians_->setSelectionBehavior(QAbstractItemView::SelectRows);
  medians_->verticalHeader()->setVisible(false);
  medians_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  ratios_->setReadOnly(true);
  ratios_->setLineWrapMode(QPlainTextEdit::NoWrap);
  ratios_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));

  // Facts on the left (a long list of short lines), the numbers on the right.
  auto* facts_scroll = new QScrollArea;
  facts_scroll->setWidget(facts_);
  facts_scroll->setWidgetResizable(true);
  auto* numbers = new QSplitter(Qt::Vertical);
  numbers->addWidget(medians_);
  auto* analysis = new QTabWidget;
  analysis->addTab(ratios_, tr("Ratios"));
  // The tree at its own size in a scroll area: fitted into the tab it was squashed unreadable.
  auto* tree_scroll = new QScrollArea;
  tree_scroll->setWidget(tree_);
  tree_scroll->setAlignment(Qt::AlignCenter);
  analysis->addTab(tree_scroll, tr("Decision tree"));
  numbers->addWidget(analysis);
  numbers->setStretchFactor(0, 3);
  numbers->setStretchFactor(1, 2);
  auto* splitter = new QSplitter(Qt::Horizontal);
  splitter->addWidget(facts_scroll);
  splitter->addWidget(numbers);
  splitter->setStretchFactor(1, 1);
  splitter->setSizes({380, 900});
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(splitter);
  showMessage(tr("Select a run to see its facts, medians and ratios."));
}

void RunDetailView::showMessage(const QString& message) {
  run_id_.clear();
  facts_->setText(message.toHtmlEscaped());
  medians_->clear();
  medians_->setRowCount(0);
  medians_->setColumnCount(0);
  ratios_->clear();
  tree_svg_.clear();
  tree_->load(QByteArray());
  tree_->resize(0, 0);
}

void RunDetailView::showRun(const StoredRun& run) {
  run_id_ = QString::fromStdString(run.summary.id);
  QString html = "<table cellspacing='2'>";
  for (const auto& [what, value] : run_fact_rows(run.summary))
    html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(what.toHtmlEscaped(), value.toHtmlEscaped());
  html += "</table>";
  facts_->setText(html);
  fillMedians(run);
  const RatioAnalysis analysis = analyse_ratios(run);
  QString text = ratio_summary_text(analysis);
  // The same drawing as the report's (leaves as geometric-mean ratios).
  tree_svg_ = analysis.tree ? QByteArray::fromStdString(render_tree_svg(
                                  *analysis.tree, "browser / native time ratio",
                                  [](double log_ratio) { return format_ratio(std::pow(10.0, log_ratio)); }))
                            : QByteArray();
  tree_->load(tree_svg_);
  tree_->resize(tree_svg_.isEmpty() ? QSize(0, 0) : tree_->renderer()->defaultSize());
  const QString failures = failures_text(run);
  if (!failures.isEmpty()) text += tr("\nfailed configurations:\n") + failures;
  ratios_->setPlainText(text);
}

void RunDetailView::fillMedians(const StoredRun& run) {
  std::map<PointKey, std::vector<const StoredConfiguration*>> points;
  for (const StoredConfiguration& c : run.configurations)
    points[{c.preset.value_or(c.plan.model), c.depth.value_or(0), c.width.value_or(0), c.plan.backend}].push_back(&c);
  std::map<PointKey, std::map<Column, PooledMeasurement>> values;
  std::map<Column, int> columns;
  const auto pooled = pool_rounds(run);
  for (const PooledMeasurement& m : pooled) {
    const Column column{m.phase, m.format};
    values[{m.preset, m.depth, m.width, m.backend}][column] = m;
    columns[column] = 0;
  }
  for (const auto& [key, by_phase] : values) points.try_emplace(key);

  QStringList headers = {tr("Configuration"), tr("Backend"), tr("Status")};
  int index = static_cast<int>(headers.size());
  for (auto& [column, position] : columns) {
    position = index++;
    headers << column_title(column);
  }
  medians_->clear();
  medians_->setColumnCount(static_cast<int>(headers.size()));
  medians_->setHorizontalHeaderLabels(headers);
  medians_->setRowCount(static_cast<int>(points.size()));
  int row = 0;
  for (const auto& [key, rounds] : points) {
    const auto& [preset, depth, width, backend] = key;
    medians_->setItem(row, 0, read_only_item(configuration_label(preset, depth, width)));
    medians_->setItem(row, 1, read_only_item(QString::fromStdString(backend)));
    medians_->setItem(row, 2, read_only_item(rounds.empty() ? QString() : status_of(rounds)));
    if (auto it = values.find(key); it != values.end())
      for (const auto& [column, m] : it->second) {
        auto* item = read_only_item(measure_text(m.summary.median, m.unit));
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        item->setToolTip(tr("median %1; p10 %2, p90 %3; n = %4")
                             .arg(measure_text(m.summary.median, m.unit), measure_text(m.summary.p10, m.unit),
                                  measure_text(m.summary.p90, m.unit))
                             .arg(m.summary.n));
        medians_->setItem(row, columns.at(column), item);
      }
    ++row;
  }
}

}  // namespace gapscope::ui

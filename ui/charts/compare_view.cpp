#include "ui/charts/compare_view.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QClipboard>
#include <QCursor>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLogValueAxis>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTableWidget>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

#include "core/measure/capability_summary.h"
#include "core/report/svg_chart.h"  // spans_orders_of_magnitude: the reports' rule for a log axis
#include "ui/charts/live_charts.h"  // backendColor

namespace gapscope::ui {
namespace {

struct Phase {
  const char* id;
  const char* title;
};
const Phase kPhases[] = {{"load", "load"}, {"warmup", "warmup"}, {"infer", "infer / sample"}, {"train", "train / batch"}};
constexpr int kPhaseCount = static_cast<int>(std::size(kPhases));
constexpr int kFirstPhaseColumn = 2;  // after backend and threads
const QString kBaseline = QStringLiteral("native-cpu");
const QString kUnit = QStringLiteral("ms");

bool isComparedPhase(const std::string& phase) {
  return std::any_of(std::begin(kPhases), std::end(kPhases), [&](const Phase& p) { return phase == p.id; });
}

// As the CLI's table: fewer decimals as the ratio grows.
QString ratioText(double r) {
  return QString::asprintf(r >= 100 ? "%.0fx" : r >= 10 ? "%.1fx" : "%.2fx", r);
}

// "2.000 ms [1.900–2.100]" or, under a millisecond, "250.00 us [240.00–260.00]".
QString timeWithSpread(const SampleSummary& s) {
  const bool micro = s.median < 1;
  const double scale = micro ? 1000 : 1;
  const char* format = micro ? "%.2f" : "%.3f";
  return QString::asprintf(format, s.median * scale) + (micro ? " us [" : " ms [") +
         QString::asprintf(format, s.p10 * scale) + QChar(0x2013) + QString::asprintf(format, s.p90 * scale) + "]";
}

QString csvField(const QString& text) {
  if (!text.contains(',') && !text.contains('"') && !text.contains('\n')) return text;
  return '"' + QString(text).replace("\"", "\"\"") + '"';
}

QString number(double v) { return QString::number(v, 'g', 10); }

}  // namespace

CompareView::CompareView(QWidget* parent) : QWidget(parent) {
  log_checkbox_ = new QCheckBox(tr("Log scale"), this);
  connect(log_checkbox_, &QCheckBox::toggled, this, &CompareView::setLogScale);
  copy_button_ = new QPushButton(tr("Copy as CSV"), this);
  connect(copy_button_, &QPushButton::clicked, this, [this] { QGuiApplication::clipboard()->setText(toCsv()); });

  chart_ = new QChart;
  chart_->setTitle(tr("Median time per phase"));
  chart_->setMargins(QMargins(4, 4, 4, 4));
  chart_->legend()->setAlignment(Qt::AlignBottom);
  chart_view_ = new QChartView(chart_);  // the view owns the chart

  table_ = new QTableWidget;
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->verticalHeader()->setVisible(false);
  table_->horizontalHeader()->setStretchLastSection(true);

  auto* controls = new QHBoxLayout;
  controls->addWidget(log_checkbox_);
  controls->addStretch();
  controls->addWidget(copy_button_);
  auto* splitter = new QSplitter(Qt::Vertical);
  splitter->addWidget(chart_view_);
  splitter->addWidget(table_);
  splitter->setStretchFactor(0, 3);
  splitter->setStretchFactor(1, 2);
  splitter->setSizes({600, 400});  // the table's size hint alone would squeeze the chart flat
  chart_view_->setMinimumHeight(200);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(controls);
  layout->addWidget(splitter, 1);
  rebuild();
}

// The backend's row (of a run), added at the end the first time it appears.
CompareView::BackendRow& CompareView::rowOf(const QString& backend, const QString& run, int run_index) {
  auto row = std::find_if(rows_.begin(), rows_.end(),
                          [&](const BackendRow& r) { return r.backend == backend && r.run == run; });
  if (row != rows_.end()) return *row;
  rows_.emplace_back();
  rows_.back().backend = backend;
  rows_.back().run = run;
  rows_.back().run_index = run_index;
  return rows_.back();
}

void CompareView::setResults(const std::vector<gapscope::Measurement>& records) { setRuns({{QString(), records, {}}}); }

void CompareView::setRuns(const std::vector<RunResults>& runs) {
  rows_.clear();
  for (size_t i = 0; i < runs.size(); ++i) {
    const QString run = runs.size() > 1 ? runs[i].label : QString();
    addRecords(runs[i].records, run, static_cast<int>(i));
    for (const auto& [backend, reason, message] : runs[i].failures) {
      BackendRow& row = rowOf(backend, run, static_cast<int>(i));
      row.failure_reason = reason;
      row.failure_message = message;
    }
  }
  std::vector<double> medians;
  for (BackendRow& row : rows_) {
    if (row.capability.isEmpty()) row.capability = QString::fromStdString(capability_summary(row.backend.toStdString(), {}));
    for (const auto& [phase, s] : row.phases) medians.push_back(s.median);
  }
  // As the reports: medians spanning more than 30x go on a log axis, where the
  // fastest backend's bars stay visible (the user can switch back).
  log_scale_ = spans_orders_of_magnitude(medians);
  {
    const QSignalBlocker quiet(log_checkbox_);
    log_checkbox_->setChecked(log_scale_);
  }
  rebuild();
}

void CompareView::addRecords(const std::vector<gapscope::Measurement>& records, const QString& run, int run_index) {
  for (const Measurement& m : records) {
    BackendRow* row = &rowOf(QString::fromStdString(m.backend), run, run_index);
    if (row->capability.isEmpty() && !m.capabilities.empty())
      row->capability = QString::fromStdString(capability_summary(m.backend, m.capabilities));
    if (row->threads.isEmpty() && m.config.is_object() && m.config.contains("threads") &&
        m.config["threads"].is_number_integer())
      row->threads = QString::number(m.config["threads"].get<int64_t>());
    if (isComparedPhase(m.phase) && m.unit == kUnit.toStdString())
      row->phases.emplace(QString::fromStdString(m.phase), m.summary);  // emplace: the first one stays
  }
}

void CompareView::addFailure(const QString& backend, const QString& reason, const QString& message) {
  BackendRow* row = &rowOf(backend);
  row->failure_reason = reason;
  row->failure_message = message;
  rebuild();
}

void CompareView::setLogScale(bool log) {
  {
    const QSignalBlocker quiet(log_checkbox_);
    log_checkbox_->setChecked(log);
  }
  if (log == log_scale_) return;
  log_scale_ = log;
  rebuildChart();
}

// native-cpu's figure for a phase (in the same run), when it ran and has a positive median.
const SampleSummary* CompareView::baselineFor(const QString& phase, const QString& run) const {
  for (const BackendRow& row : rows_) {
    if (row.backend != kBaseline || row.run != run || !row.failure_reason.isEmpty()) continue;
    const auto it = row.phases.find(phase);
    return it != row.phases.end() && it->second.median > 0 ? &it->second : nullptr;
  }
  return nullptr;
}

void CompareView::rebuild() {
  rebuildTable();
  rebuildChart();
}

void CompareView::rebuildTable() {
  QStringList headers = {tr("backend"), tr("threads")};
  const bool has_baseline = std::any_of(rows_.begin(), rows_.end(), [](const BackendRow& r) {
    return r.backend == kBaseline && r.failure_reason.isEmpty();
  });
  for (const Phase& p : kPhases)
    headers << (has_baseline ? tr("%1 ms (× native-cpu)").arg(tr(p.title)) : tr("%1 ms").arg(tr(p.title)));
  headers << tr("what ran");
  table_->clear();
  table_->setColumnCount(headers.size());
  table_->setHorizontalHeaderLabels(headers);
  table_->horizontalHeaderItem(1)->setToolTip(
      tr("threads the backend computed on: native-cpu and pytorch-cpu use the threads asked for, JavaScript in the "
         "page runs on one"));
  for (int c = kFirstPhaseColumn; c < kFirstPhaseColumn + kPhaseCount; ++c)
    table_->horizontalHeaderItem(c)->setToolTip(
        tr("median [p10–p90] and the ratio of the median to native-cpu's; lower is faster"));
  table_->setRowCount(static_cast<int>(rows_.size()));

  for (int r = 0; r < static_cast<int>(rows_.size()); ++r) {
    const BackendRow& row = rows_[r];
    auto* name = new QTableWidgetItem(row.name());
    name->setForeground(backendColor(row.backend));
    table_->setItem(r, 0, name);
    auto* threads = new QTableWidgetItem(row.threads.isEmpty() ? QStringLiteral("-") : row.threads);
    threads->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    table_->setItem(r, 1, threads);
    for (int c = 0; c < kPhaseCount; ++c) {
      const auto it = row.phases.find(kPhases[c].id);
      if (it == row.phases.end()) {
        table_->setItem(r, c + kFirstPhaseColumn, new QTableWidgetItem("-"));
        continue;
      }
      const SampleSummary& s = it->second;
      QString text = timeWithSpread(s);
      const SampleSummary* base = baselineFor(kPhases[c].id, row.run);
      if (base != nullptr && row.backend != kBaseline) text += "  " + ratioText(s.median / base->median);
      auto* item = new QTableWidgetItem(text);
      item->setData(Qt::UserRole, s.median);
      item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      item->setToolTip(tr("median %1 ms, p10 %2 ms, p90 %3 ms, mean %4 ms, n %5")
                           .arg(s.median, 0, 'g', 6).arg(s.p10, 0, 'g', 6).arg(s.p90, 0, 'g', 6)
                           .arg(s.mean, 0, 'g', 6).arg(s.n));
      table_->setItem(r, c + kFirstPhaseColumn, item);
    }
    QTableWidgetItem* last = nullptr;
    if (row.failure_reason.isEmpty()) {
      last = new QTableWidgetItem(row.capability);
    } else {
      // The first line says what went wrong; the tooltip keeps the whole message.
      last = new QTableWidgetItem(tr("failed (%1): %2").arg(row.failure_reason, row.failure_message.section('\n', 0, 0)));
      last->setToolTip(row.failure_message);
      last->setForeground(QColor(0xb0, 0x20, 0x20));
    }
    table_->setItem(r, kFirstPhaseColumn + kPhaseCount, last);
  }
  table_->resizeColumnsToContents();
}

void CompareView::rebuildChart() {
  chart_->removeAllSeries();
  for (QAbstractAxis* axis : chart_->axes()) {
    chart_->removeAxis(axis);
    delete axis;
  }

  double min_positive = 0, max_value = 0;
  for (const BackendRow& row : rows_)
    for (const auto& [phase, s] : row.phases)
      if (s.median > 0) {
        min_positive = min_positive == 0 ? s.median : std::min(min_positive, s.median);
        max_value = std::max(max_value, s.median);
      }
  // Whole decades on a log axis (it labels only powers of ten); a missing
  // figure sits on the axis floor, a zero-height bar, because a QLogValueAxis
  // cannot place a bar at 0.
  double low = 0, high = max_value > 0 ? max_value * 1.1 : 1;
  if (log_scale_) {
    low = min_positive > 0 ? std::pow(10.0, std::floor(std::log10(min_positive))) : 1;
    high = max_value > 0 ? std::pow(10.0, std::ceil(std::log10(max_value))) : 10;
    if (high <= low) high = low * 10;
  }

  auto* series = new QBarSeries;
  for (const BackendRow& row : rows_) {
    if (row.phases.empty()) continue;  // failed or not timed: nothing to draw
    auto* set = new QBarSet(row.name());
    for (const Phase& p : kPhases) {
      const auto it = row.phases.find(p.id);
      const double median = it == row.phases.end() ? 0 : it->second.median;
      *set << (log_scale_ ? std::max(median, low) : median);
    }
    series->append(set);
  }
  connect(series, &QBarSeries::hovered, this, [this](bool entered, int index, QBarSet* set) {
    if (!entered) {
      QToolTip::hideText();
      return;
    }
    const QString backend = set->label();
    const auto row = std::find_if(rows_.begin(), rows_.end(), [&](const BackendRow& r) { return r.name() == backend; });
    if (row == rows_.end() || index < 0 || index >= kPhaseCount) return;
    const auto it = row->phases.find(kPhases[index].id);
    QToolTip::showText(QCursor::pos(),
                       QStringLiteral("%1, %2: %3").arg(backend, tr(kPhases[index].title),
                                                         it == row->phases.end() ? tr("no figure")
                                                                                 : timeWithSpread(it->second)),
                       chart_view_);
  });
  chart_->addSeries(series);
  // After addSeries (the theme would win): the backend's colour, lighter for each later run overlaid.
  const QList<QBarSet*> sets = series->barSets();
  for (QBarSet* set : sets)
    for (const BackendRow& row : rows_)
      if (row.name() == set->label()) set->setColor(backendColor(row.backend).lighter(100 + 35 * row.run_index));

  auto* categories = new QBarCategoryAxis;
  for (const Phase& p : kPhases) categories->append(tr(p.title));
  QAbstractAxis* values = nullptr;
  if (log_scale_) {
    auto* log_axis = new QLogValueAxis;
    log_axis->setBase(10);
    log_axis->setMinorTickCount(8);
    log_axis->setLabelFormat("%g");
    log_axis->setRange(low, high);
    values = log_axis;
  } else {
    auto* value_axis = new QValueAxis;
    value_axis->setLabelFormat("%g");
    value_axis->setRange(low, high);
    value_axis->applyNiceNumbers();  // round ticks (it may widen the range a little)
    values = value_axis;
  }
  values->setTitleText(tr("ms (median)"));
  chart_->addAxis(categories, Qt::AlignBottom);
  chart_->addAxis(values, Qt::AlignLeft);
  series->attachAxis(categories);
  series->attachAxis(values);
}

QString CompareView::toCsv() const {
  QString csv = "backend,phase,unit,median,p10,p90,n,ratio_to_native_cpu\n";
  for (const BackendRow& row : rows_)
    for (const Phase& p : kPhases) {
      const auto it = row.phases.find(p.id);
      if (it == row.phases.end()) continue;
      const SampleSummary& s = it->second;
      const SampleSummary* base = baselineFor(p.id, row.run);
      const QString ratio = base != nullptr ? number(s.median / base->median) : QString();
      csv += QStringList{csvField(row.name()), p.id, kUnit, number(s.median), number(s.p10), number(s.p90),
                         QString::number(s.n), ratio}
                 .join(',') +
             '\n';
    }
  return csv;
}

int CompareView::rowCount() const { return table_->rowCount(); }

QStringList CompareView::backends() const {
  QStringList names;
  for (const BackendRow& row : rows_) names << row.name();
  return names;
}

QAbstractAxis* CompareView::valueAxis() const {
  const QList<QAbstractAxis*> axes = chart_->axes(Qt::Vertical);
  return axes.isEmpty() ? nullptr : axes.first();
}

}  // namespace gapscope::ui

#include "ui/history/history_panel.h"

#include <algorithm>
#include <set>

#include <QDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include "ui/history/history_text.h"
#include "ui/history/run_comparison_view.h"
#include "ui/history/run_detail_view.h"
#include "ui/history/run_filter_bar.h"

namespace gapscope::ui {
namespace {

QTableWidgetItem* cell(const std::string& text) {
  auto* item = new QTableWidgetItem(QString::fromStdString(text));
  item->setFlags(item->flags() & ~Qt::ItemIsEditable);
  item->setToolTip(item->text());
  return item;
}

}  // namespace

HistoryPanel::HistoryPanel(ResultsStore& store, QWidget* parent)
    : QWidget(parent),
      store_(store),
      filters_(new RunFilterBar),
      table_(new QTableWidget),
      refresh_(new QPushButton(tr("Refresh"))),
      delete_(new QPushButton(tr("Delete…"))),
      compare_(new QPushButton(tr("Compare"))),
      status_(new QLabel),
      detail_(new RunDetailView) {
  table_->setColumnCount(kColumnCount);
  table_->setHorizontalHeaderLabels({tr("Run"), tr("Created (UTC)"), tr("Kind"), tr("Label"),
                                     tr("Done / failed / total"), tr("CPU"), tr("Vulkan device")});
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->verticalHeader()->setVisible(false);
  table_->setWordWrap(false);  // one line per run; long device names are elided (their tooltip has all)
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
  table_->horizontalHeader()->setStretchLastSection(true);
  delete_->setToolTip(tr("Deletes the selected runs and everything they measured"));
  compare_->setToolTip(tr("Select two runs: their pooled medians side by side, with B/A"));

  auto* top = new QWidget;
  auto* top_layout = new QVBoxLayout(top);
  top_layout->setContentsMargins(0, 0, 0, 0);
  auto* bar = new QHBoxLayout;
  bar->addWidget(filters_, 1);
  bar->addWidget(refresh_);
  bar->addWidget(delete_);
  bar->addWidget(compare_);
  top_layout->addLayout(bar);
  top_layout->addWidget(table_, 1);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  status_->setWordWrap(true);
  top_layout->addWidget(status_);

  auto* splitter = new QSplitter(Qt::Vertical);
  splitter->addWidget(top);
  splitter->addWidget(detail_);
  splitter->setStretchFactor(1, 1);
  splitter->setSizes({260, 500});
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(splitter);

  connect(filters_, &RunFilterBar::changed, this, &HistoryPanel::refresh);
  connect(refresh_, &QPushButton::clicked, this, &HistoryPanel::refresh);
  connect(delete_, &QPushButton::clicked, this, &HistoryPanel::deleteSelected);
  connect(compare_, &QPushButton::clicked, this, &HistoryPanel::compareSelected);
  connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &HistoryPanel::onSelectionChanged);
  refresh();
}

QStringList HistoryPanel::selectedRunIds() const {
  std::set<int> rows;
  for (const QModelIndex& index : table_->selectionModel()->selectedRows()) rows.insert(index.row());
  QStringList ids;
  for (int row : rows)
    if (row >= 0 && row < static_cast<int>(runs_.size())) ids << QString::fromStdString(runs_[static_cast<size_t>(row)].id);
  return ids;
}

std::optional<RunSummary> HistoryPanel::selectedRun() const {
  const QStringList ids = selectedRunIds();
  if (ids.size() != 1) return std::nullopt;
  for (const RunSummary& run : runs_)
    if (QString::fromStdString(run.id) == ids.front()) return run;
  return std::nullopt;
}

void HistoryPanel::selectRuns(const QStringList& run_ids) {
  {
    const QSignalBlocker block(table_->selectionModel());
    table_->clearSelection();
    for (int row = 0; row < static_cast<int>(runs_.size()); ++row)
      if (run_ids.contains(QString::fromStdString(runs_[static_cast<size_t>(row)].id)))
        table_->selectionModel()->select(table_->model()->index(row, 0),
                                         QItemSelectionModel::Select | QItemSelectionModel::Rows);
  }
  onSelectionChanged();
}

RunComparisonView* HistoryPanel::comparisonView() const {
  return comparison_ ? comparison_->findChild<RunComparisonView*>() : nullptr;
}

void HistoryPanel::setActiveRunId(const QString& run_id) { active_run_id_ = run_id; }

void HistoryPanel::refresh() {
  const QStringList selected = selectedRunIds();
  try {
    QStringList kinds;
    for (const RunSummary& run : store_.list_runs()) {
      const QString kind = QString::fromStdString(run.kind);
      if (!kinds.contains(kind)) kinds << kind;
    }
    filters_->setKinds(kinds);
    runs_ = store_.list_runs(filters_->filter());
    status_->setText(tr("%n run(s) in %1", nullptr, static_cast<int>(runs_.size()))
                         .arg(QString::fromStdString(store_.path().string())));
  } catch (const std::exception& e) {
    runs_.clear();
    status_->setText(tr("Cannot read the run history: %1").arg(QString::fromStdString(e.what())));
  }
  fillTable();
  selectRuns(selected);
}

void HistoryPanel::fillTable() {
  const QSignalBlocker block(table_->selectionModel());
  table_->clearSelection();
  table_->setRowCount(static_cast<int>(runs_.size()));
  for (int row = 0; row < static_cast<int>(runs_.size()); ++row) {
    const RunSummary& run = runs_[static_cast<size_t>(row)];
    table_->setItem(row, kId, cell(run.id));
    table_->setItem(row, kCreated, cell(run.created));
    table_->setItem(row, kKind, cell(run.kind));
    table_->setItem(row, kLabel, cell(run.label));
    auto* counts = cell(progress_counts(run).toStdString());
    counts->setTextAlignment(Qt::AlignCenter);
    table_->setItem(row, kCounts, counts);
    table_->setItem(row, kCpu, cell(run.facts.cpu_model.value_or("")));
    table_->setItem(row, kVulkan, cell(run.facts.vulkan_device.value_or("")));
  }
  table_->resizeColumnsToContents();
  for (int column : {kLabel, kCpu})
    table_->setColumnWidth(column, std::min(table_->columnWidth(column), 260));
}

void HistoryPanel::onSelectionChanged() {
  const int selected = static_cast<int>(selectedRunIds().size());
  delete_->setEnabled(selected > 0);
  compare_->setEnabled(selected == 2);
  showDetail();
  Q_EMIT selectionChanged();
}

void HistoryPanel::showDetail() {
  const QStringList ids = selectedRunIds();
  if (ids.size() != 1) {
    detail_->showMessage(ids.isEmpty() ? tr("Select a run to see its facts, medians and ratios.")
                                       : tr("%1 runs selected (Compare takes two).").arg(ids.size()));
    return;
  }
  try {
    detail_->showRun(store_.load_run(ids.front().toStdString()));
  } catch (const std::exception& e) {
    detail_->showMessage(tr("Cannot read run %1: %2").arg(ids.front(), QString::fromStdString(e.what())));
  }
}

void HistoryPanel::deleteSelected() {
  QStringList ids = selectedRunIds();
  if (ids.removeAll(active_run_id_) > 0)
    QMessageBox::information(this, tr("Delete runs"),
                             tr("Run %1 is being written now; it is left alone.").arg(active_run_id_));
  if (ids.isEmpty()) return;
  const QString question =
      tr("Delete %n run(s) and everything they measured from %1?\n\n%2\n\nThis cannot be undone.", nullptr,
         static_cast<int>(ids.size()))
          .arg(QString::fromStdString(store_.path().string()), ids.join('\n'));
  if (QMessageBox::question(this, tr("Delete runs"), question, QMessageBox::Yes | QMessageBox::No,
                            QMessageBox::No) != QMessageBox::Yes)
    return;
  QStringList deleted;
  try {
    for (const QString& id : ids)
      if (store_.delete_run(id.toStdString())) deleted << id;
  } catch (const std::exception& e) {
    QMessageBox::critical(this, tr("Cannot delete"), QString::fromStdString(e.what()));
  }
  refresh();
  if (!deleted.isEmpty()) Q_EMIT runsDeleted(deleted);
}

void HistoryPanel::compareSelected() {
  const QStringList ids = selectedRunIds();
  if (ids.size() != 2) return;
  StoredRun a, b;
  try {
    a = store_.load_run(ids[0].toStdString());
    b = store_.load_run(ids[1].toStdString());
  } catch (const std::exception& e) {
    QMessageBox::warning(this, tr("Cannot compare"), QString::fromStdString(e.what()));
    return;
  }
  if (std::tie(b.summary.created, b.summary.id) < std::tie(a.summary.created, a.summary.id)) std::swap(a, b);
  if (comparison_) comparison_->close();
  auto* dialog = new QDialog(this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->setWindowTitle(tr("Compare %1 and %2").arg(QString::fromStdString(a.summary.id),
                                                     QString::fromStdString(b.summary.id)));
  auto* view = new RunComparisonView;
  view->setRuns(a, b);
  auto* layout = new QVBoxLayout(dialog);
  layout->addWidget(view);
  dialog->resize(900, 520);
  dialog->show();
  comparison_ = dialog;
}

}  // namespace gapscope::ui

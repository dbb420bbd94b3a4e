// The History tab: the runs in the run history (newest first), filtered by
// kind, backend, model and date; Delete (after asking), Compare two runs,
// and the selected run in full below the list.
#pragma once
#include <optional>
#include <vector>

#include <QPointer>
#include <QWidget>

#include "core/store/results_store.h"

class QDialog;
class QLabel;
class QPushButton;
class QTableWidget;

namespace gapscope::ui {

class RunComparisonView;
class RunDetailView;
class RunFilterBar;

class HistoryPanel : public QWidget {
  Q_OBJECT
 public:
  // The store must outlive the panel.
  explicit HistoryPanel(ResultsStore& store, QWidget* parent = nullptr);

  // Ids of the selected runs, in list order.
  QStringList selectedRunIds() const;
  // The selected run when exactly one is selected.
  std::optional<RunSummary> selectedRun() const;
  // The rows shown (after filtering).
  const std::vector<RunSummary>& runs() const { return runs_; }
  // Selects these runs (if listed), e.g. for tools and tests.
  void selectRuns(const QStringList& run_ids);

  // For tests and tooling.
  RunFilterBar* filterBar() const { return filters_; }
  QTableWidget* runsTable() const { return table_; }
  QPushButton* refreshButton() const { return refresh_; }
  QPushButton* deleteButton() const { return delete_; }
  QPushButton* compareButton() const { return compare_; }
  RunDetailView* detailView() const { return detail_; }
  // The last comparison opened (null before the first or once closed).
  RunComparisonView* comparisonView() const;

  enum Column { kId, kCreated, kKind, kLabel, kCounts, kCpu, kVulkan, kColumnCount };

 public Q_SLOTS:
  // Reads the list again (keeping the selection) and the selected run's detail.
  void refresh();
  // Asks, then deletes the selected runs with everything they measured.
  void deleteSelected();
  // Opens a window comparing the two selected runs (A = the older one).
  void compareSelected();
  // The run being written now (a sweep or a workbench run): it cannot be deleted.
  void setActiveRunId(const QString& run_id);

 Q_SIGNALS:
  void selectionChanged();
  void runsDeleted(const QStringList& run_ids);

 private:
  void fillTable();
  void onSelectionChanged();
  void showDetail();

  ResultsStore& store_;
  RunFilterBar* filters_;
  QTableWidget* table_;
  QPushButton *refresh_, *delete_, *compare_;
  QLabel* status_;
  RunDetailView* detail_;
  QPointer<QDialog> comparison_;
  std::vector<RunSummary> runs_;
  QString active_run_id_;
};

}  // namespace gapscope::ui

// Two stored runs side by side: for every configuration and phase both
// measured, A's and B's pooled medians and B/A (>1: B took longer or is
// bigger), then the geometric mean of B/A per backend and phase. For
// re-checking a result on another day, build or machine.
#pragma once
#include <QWidget>

#include "core/store/results_store.h"

class QLabel;
class QTableWidget;

namespace gapscope::ui {

class RunComparisonView : public QWidget {
  Q_OBJECT
 public:
  explicit RunComparisonView(QWidget* parent = nullptr);

  void setRuns(const StoredRun& a, const StoredRun& b);

  // For tests and tooling.
  QTableWidget* table() const { return table_; }
  QLabel* summaryLabel() const { return summary_; }
  static constexpr int kRatioColumn = 5;

 private:
  QLabel* header_;
  QTableWidget* table_;
  QLabel* summary_;
};

}  // namespace gapscope::ui

// One stored run in full, under the History tab's list: its facts (machine,
// software, counts), a table of pooled medians per configuration x phase
// (every round's samples pooled, pool_rounds), what failed, and the
// browser/native ratio analysis as text and its regression tree as a diagram.
#pragma once
#include <QWidget>

#include "core/store/results_store.h"

class QLabel;
class QPlainTextEdit;
class QSvgWidget;
class QTableWidget;

namespace gapscope::ui {

class RunDetailView : public QWidget {
  Q_OBJECT
 public:
  explicit RunDetailView(QWidget* parent = nullptr);

  void showRun(const StoredRun& run);
  // Nothing selected, or the run could not be read (message says why).
  void showMessage(const QString& message);

  // For tests and tooling.
  QString runId() const { return run_id_; }
  QLabel* factsLabel() const { return facts_; }
  QTableWidget* mediansTable() const { return medians_; }
  QPlainTextEdit* ratioText() const { return ratios_; }
  // The regression tree drawn as in the report (empty while there is none).
  QSvgWidget* treeView() const { return tree_; }
  const QByteArray& treeSvg() const { return tree_svg_; }

 private:
  void fillMedians(const StoredRun& run);

  QString run_id_;
  QLabel* facts_;
  QTableWidget* medians_;
  QPlainTextEdit* ratios_;
  QSvgWidget* tree_;
  QByteArray tree_svg_;
};

}  // namespace gapscope::ui

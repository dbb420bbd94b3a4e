// The compare view: what one run of several backends measured, side by side.
// Grouped bars (one set per backend) of the median load, warmup, inference per
// sample and training per batch (on a log axis when they span more than 30x, as
// in the reports), and a table of the threads each backend used, medians,
// p10-p90 spread and ratio to native-cpu (the column headers say so), with what
// each backend really ran on; a failed backend's row says why. "Copy as CSV"
// puts the numbers on the clipboard.
#pragma once
#include <QString>
#include <QStringList>
#include <QWidget>
#include <array>
#include <map>
#include <vector>

#include "core/measure/measurement.h"

QT_BEGIN_NAMESPACE
class QAbstractAxis;
class QChart;
class QChartView;
class QCheckBox;
class QPushButton;
class QTableWidget;
QT_END_NAMESPACE

namespace gapscope::ui {

class CompareView : public QWidget {
  Q_OBJECT
 public:
  explicit CompareView(QWidget* parent = nullptr);

  // Replaces everything shown (failures included). Only the timed phases in ms
  // (load, warmup, infer, train) are compared; for a repeated backend/phase the
  // first record counts. Backends keep the order they first appear in.
  void setResults(const std::vector<gapscope::Measurement>& records);
  // Several runs overlaid (picked from the history): a row and a bar set per
  // backend and run, named "backend · run", each ratio to the native-cpu of
  // its own run. One run shows as setResults does.
  struct RunResults {
    QString label;  // e.g. the run's id or label
    std::vector<gapscope::Measurement> records;
    std::vector<std::array<QString, 3>> failures;  // backend, reason, message
  };
  void setRuns(const std::vector<RunResults>& runs);
  // A backend that produced no records: its row shows the reason and message.
  void addFailure(const QString& backend, const QString& reason, const QString& message);
  void setLogScale(bool log);
  bool logScale() const { return log_scale_; }

  // backend,phase,unit,median,p10,p90,n,ratio_to_native_cpu — one line per
  // measured backend/phase (failures have no numbers and are left out); the
  // ratio is empty where native-cpu has no figure for that phase.
  QString toCsv() const;

  // For tests and tooling.
  int rowCount() const;
  QStringList backends() const;  // in row order
  QTableWidget* table() { return table_; }
  QChart* chart() const { return chart_; }
  QAbstractAxis* valueAxis() const;

 private:
  struct BackendRow {
    QString backend;
    QString run;  // empty when one run is shown
    int run_index = 0;
    QString name() const { return run.isEmpty() ? backend : backend + QStringLiteral(" · ") + run; }
    std::map<QString, SampleSummary> phases;  // by phase
    QString capability;
    QString threads;  // from the records' config; empty where they do not say
    QString failure_reason, failure_message;  // empty: measured
  };

  const SampleSummary* baselineFor(const QString& phase, const QString& run = {}) const;
  BackendRow& rowOf(const QString& backend, const QString& run = {}, int run_index = 0);
  void addRecords(const std::vector<gapscope::Measurement>& records, const QString& run, int run_index);
  void rebuild();
  void rebuildTable();
  void rebuildChart();

  std::vector<BackendRow> rows_;
  bool log_scale_ = false;
  QChart* chart_ = nullptr;
  QChartView* chart_view_ = nullptr;
  QTableWidget* table_ = nullptr;
  QCheckBox* log_checkbox_ = nullptr;
  QPushButton* copy_button_ = nullptr;
};

}  // namespace gapscope::ui

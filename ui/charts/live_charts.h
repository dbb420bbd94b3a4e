// Live training charts: loss, accuracy and milliseconds per batch against the
// step, one line per backend, updated while runs train. Built to stay cheap with
// thousands of points and hundreds of steps a second: a step only appends to a
// list, the lines are redrawn at most once a frame, axes move only when data
// leaves the current range, antialiasing is off.
#pragma once
#include <QColor>
#include <QHash>
#include <QPointF>
#include <QList>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QWidget>
#include <array>

#include <nlohmann/json.hpp>

QT_BEGIN_NAMESPACE
class QAbstractAxis;
class QChart;
class QChartView;
class QCheckBox;
class QLineSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace gapscope::ui {

// The colour a backend has in every chart (its backend catalog row's; a stable
// hash-picked one for ids not in the catalog), so a backend looks the same
// everywhere.
QColor backendColor(const QString& backend);

class LiveCharts : public QWidget {
  Q_OBJECT
 public:
  explicit LiveCharts(QWidget* parent = nullptr);
  ~LiveCharts() override;

  // One training step of one backend. accuracy NaN = not measured at this step
  // (no accuracy point). Non-positive loss or ms are skipped (see the .cpp).
  // Shown on the next frame (flush); counts and axes include it at once.
  void addStep(const QString& backend, int step, double loss, double accuracy, double ms_per_batch);
  void clear();
  // Hands the points that arrived since the last frame to the chart lines; a
  // timer calls it, tests and screenshots may call it directly.
  void flush();
  // Loss and ms axes: logarithmic or linear. Accuracy stays linear.
  void setLogScale(bool log);
  bool logScale() const { return log_scale_; }
  // Every line's points, for a workspace: {"loss": {"native-cpu": [[step, value], ...]}, "accuracy": ..., "ms": ...};
  // restore() draws them again (after clear()), skipping what is not a [number, number] pair.
  nlohmann::json snapshot() const;
  void restore(const nlohmann::json& snapshot);

  // For tests and tooling. chart: "loss", "accuracy" or "ms".
  int pointCount(const QString& backend, const QString& chart) const;
  QChart* chart(const QString& chart) const;
  QAbstractAxis* valueAxis(const QString& chart) const;
  // The tooltip shown when hovering a backend's line near `at` (chart coordinates):
  // "backend, step N: value" for the nearest recorded point.
  QString hoverText(const QString& backend, const QString& chart, const QPointF& at) const;

 private:
  struct Range {
    double min = 0, max = 0;
    bool empty = true;
    bool include(double v);  // true when the range grew
  };
  struct Line {
    QLineSeries* series = nullptr;
    QList<QPointF> points;  // every point, ahead of the series until the next flush
    bool dirty = false;
  };
  struct StepChart {
    QString id;        // "loss" | "accuracy" | "ms"
    QString y_title;
    QString unit;      // appended to hover values
    bool can_log = false;
    QChart* chart = nullptr;
    QChartView* view = nullptr;
    QValueAxis* x_axis = nullptr;
    QAbstractAxis* y_axis = nullptr;
    QHash<QString, Line> lines;  // by backend
    Range x, y;
    double shown_x_min = 0, shown_x_max = 0, shown_y_min = 0, shown_y_max = 0;  // last range given to the axes
  };

  StepChart* find(const QString& id);
  const StepChart* find(const QString& id) const;
  void setUpChart(StepChart& c, const QString& id, const QString& title, const QString& y_title, const QString& unit,
                  bool can_log);
  void addPoint(StepChart& c, const QString& backend, int step, double value);
  Line& lineFor(StepChart& c, const QString& backend);
  void installValueAxis(StepChart& c);
  void updateAxes(StepChart& c, bool force);

  std::array<StepChart, 3> charts_;
  QStringList no_accuracy_;  // backends whose steps came without accuracy
  QCheckBox* log_checkbox_ = nullptr;
  QTimer flush_timer_;
  bool log_scale_ = false;
};

}  // namespace gapscope::ui

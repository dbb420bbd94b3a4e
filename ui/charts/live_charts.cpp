#include "ui/charts/live_charts.h"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QCursor>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QSignalBlocker>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <utility>

#include "core/measure/backend_catalog.h"

namespace gapscope::ui {
namespace {

// 1, 2 or 5 times a power of ten, at least v (> 0): the step axis grows in a
// few jumps instead of at every step, and ticks fall on round numbers.
double niceNumber(double v) {
  const double decade = std::pow(10.0, std::floor(std::log10(v)));
  for (double m : {1.0, 2.0, 5.0})
    if (m * decade >= v) return m * decade;
  return 10 * decade;
}

// About five ticks on round values, whatever the range; at least `min_tick`
// apart (1 on the step axis: steps are whole numbers, never "0 0 0 1 1 1").
void setLinearRange(QValueAxis* axis, double lo, double hi, double min_tick = 0) {
  axis->setRange(lo, hi);
  axis->setTickType(QValueAxis::TicksDynamic);
  axis->setTickAnchor(0);
  axis->setTickInterval(std::max(min_tick, niceNumber((hi - lo) / 6)));
}

// The step axis ends on the tick after the last step (35 steps: 40, not 50).
double stepAxisEnd(double last_step) {
  if (last_step <= 10) return 10;
  const double tick = niceNumber(last_step / 5);
  return std::ceil(last_step / tick) * tick;
}

// Lines drawn one over another stay visible where they coincide (the same
// weights and data give every backend the same loss): each later line is
// thinner, so the ones under it show at its edges. Solid: dashing a path of
// thousands of points costs the raster engine seconds per frame.
QPen linePen(const QColor& colour, int index) {
  QPen pen(colour);
  pen.setWidthF(std::max(1.5, 5.0 - 1.0 * index));
  return pen;
}

// Bounds rounded outwards to a grid of a fifth of the span's order of magnitude.
std::pair<double, double> linearBounds(double min, double max) {
  double lo = min, hi = max;
  if (hi - lo < 1e-12) {
    const double pad = lo == 0 ? 1 : std::abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const double grid = std::pow(10.0, std::floor(std::log10(hi - lo))) / 5;
  lo = std::floor(lo / grid) * grid;
  hi = std::ceil(hi / grid) * grid;
  if (min >= 0) lo = std::max(lo, 0.0);
  return {std::min(lo, min), std::max(hi, max)};  // rounding must never cut off a point
}

// Whole decades: a QLogValueAxis labels only powers of its base, so a range
// inside one decade would have no labels at all.
std::pair<double, double> logBounds(double min, double max) {
  const double lo = std::pow(10.0, std::floor(std::log10(min)));
  double hi = std::pow(10.0, std::ceil(std::log10(max)));
  if (hi <= lo) hi = lo * 10;
  return {std::min(lo, min), std::max(hi, max)};
}

}  // namespace

QColor backendColor(const QString& backend) {
  if (const BackendRow* row = find_backend(backend.toStdString())) return QColor(QString::fromStdString(row->colour));
  // Ids the catalog lacks (e.g. in an old results file) still get a colour of their own.
  static const QColor others[] = {QColor(0xbc, 0xbd, 0x22), QColor(0x17, 0xbe, 0xcf), QColor(0x39, 0x3b, 0x79),
                                  QColor(0xad, 0x49, 0x4a), QColor(0x63, 0x79, 0x39)};
  // Seed 0: Qt's default hash seed changes per process, the colour must not.
  return others[qHash(backend, 0) % std::size(others)];
}

bool LiveCharts::Range::include(double v) {
  if (empty) {
    min = max = v;
    empty = false;
    return true;
  }
  const bool grew = v < min || v > max;
  min = std::min(min, v);
  max = std::max(max, v);
  return grew;
}

// Qt Charts (6.4) re-lays a line's whole path on every QLineSeries::append, so
// appending each step costs O(points) and thousands of steps a second would
// stall the GUI. Steps append to our own list; once a frame the series takes
// the list with replace(QList), which shares it (no copy) and re-lays once.
constexpr int kFrameMs = 50;

LiveCharts::LiveCharts(QWidget* parent) : QWidget(parent) {
  flush_timer_.setSingleShot(true);
  flush_timer_.setInterval(kFrameMs);
  connect(&flush_timer_, &QTimer::timeout, this, &LiveCharts::flush);
  setUpChart(charts_[0], "loss", tr("Loss per step"), tr("loss"), "", true);
  setUpChart(charts_[1], "accuracy", tr("Accuracy per step"), tr("accuracy"), "", false);
  setUpChart(charts_[2], "ms", tr("Milliseconds per batch"), tr("ms / batch"), " ms", true);

  log_checkbox_ = new QCheckBox(tr("Log scale (loss, ms)"), this);
  connect(log_checkbox_, &QCheckBox::toggled, this, &LiveCharts::setLogScale);

  auto* controls = new QHBoxLayout;
  controls->addWidget(log_checkbox_);
  controls->addStretch();
  auto* grid = new QGridLayout;
  grid->addWidget(charts_[0].view, 0, 0);
  grid->addWidget(charts_[1].view, 0, 1);
  grid->addWidget(charts_[2].view, 1, 0, 1, 2);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(controls);
  layout->addLayout(grid, 1);
}

LiveCharts::~LiveCharts() = default;

void LiveCharts::setUpChart(StepChart& c, const QString& id, const QString& title, const QString& y_title,
                            const QString& unit, bool can_log) {
  c.id = id;
  c.y_title = y_title;
  c.unit = unit;
  c.can_log = can_log;
  c.chart = new QChart;
  c.chart->setTitle(title);
  c.chart->setMargins(QMargins(4, 4, 4, 4));
  c.chart->legend()->setAlignment(Qt::AlignBottom);
  c.view = new QChartView(c.chart, this);  // the view owns the chart
  // Antialiased lines of thousands of points cost far more to paint; these are for watching, not print.
  c.view->setRenderHint(QPainter::Antialiasing, false);
  c.x_axis = new QValueAxis;
  c.x_axis->setTitleText(tr("step"));
  c.x_axis->setLabelFormat("%.0f");
  c.chart->addAxis(c.x_axis, Qt::AlignBottom);
  installValueAxis(c);
}

LiveCharts::StepChart* LiveCharts::find(const QString& id) {
  for (StepChart& c : charts_)
    if (c.id == id) return &c;
  return nullptr;
}

const LiveCharts::StepChart* LiveCharts::find(const QString& id) const {
  return const_cast<LiveCharts*>(this)->find(id);
}

void LiveCharts::addStep(const QString& backend, int step, double loss, double accuracy, double ms_per_batch) {
  addPoint(charts_[0], backend, step, loss);
  addPoint(charts_[1], backend, step, accuracy);
  addPoint(charts_[2], backend, step, ms_per_batch);
  // A backend that reports no accuracy is named under the chart, not left out silently.
  if (!std::isfinite(accuracy) && !no_accuracy_.contains(backend)) {
    no_accuracy_.append(backend);
    charts_[1].chart->setTitle(tr("Accuracy per step (not reported by %1)").arg(no_accuracy_.join(", ")));
  }
}

void LiveCharts::addPoint(StepChart& c, const QString& backend, int step, double value) {
  if (!std::isfinite(value)) return;  // NaN: not measured at this step
  // Non-positive loss or ms are SKIPPED, on either scale: one such point makes
  // a QLogValueAxis drop the whole line, skipping on both scales means toggling
  // never rebuilds a series, and clamping would invent a value (a 0 ms batch is
  // a timer artefact; a loss of exactly 0 does not happen in float training).
  if (c.can_log && value <= 0) return;
  Line& line = lineFor(c, backend);
  line.points.append(QPointF(step, value));
  line.dirty = true;
  if (!flush_timer_.isActive()) flush_timer_.start();
  const bool x_grew = c.x.include(step);
  const bool y_grew = c.y.include(value);
  // Only when data leaves what the axes show: no rescan, no relayout per point.
  if ((x_grew && (step > c.shown_x_max || step < c.shown_x_min)) || (y_grew && (value < c.shown_y_min || value > c.shown_y_max)))
    updateAxes(c, false);
}

void LiveCharts::flush() {
  flush_timer_.stop();
  for (StepChart& c : charts_)
    for (Line& line : c.lines)
      if (line.dirty) {
        line.series->replace(line.points);
        line.dirty = false;
      }
}

LiveCharts::Line& LiveCharts::lineFor(StepChart& c, const QString& backend) {
  if (auto it = c.lines.find(backend); it != c.lines.end()) return *it;
  auto* series = new QLineSeries;
  series->setName(backend);
  c.chart->addSeries(series);  // applies the theme: set the pen after it
  series->setPen(linePen(backendColor(backend), static_cast<int>(c.lines.size())));
  series->attachAxis(c.x_axis);
  series->attachAxis(c.y_axis);
  connect(series, &QLineSeries::hovered, this, [this, backend, id = c.id](const QPointF& at, bool entered) {
    if (entered)
      QToolTip::showText(QCursor::pos(), hoverText(backend, id, at), this);
    else
      QToolTip::hideText();
  });
  return *c.lines.insert(backend, Line{series, {}, false});
}

// Replaces the value axis (QValueAxis <-> QLogValueAxis); the series keep their points.
void LiveCharts::installValueAxis(StepChart& c) {
  QAbstractAxis* axis = nullptr;
  if (log_scale_ && c.can_log) {
    auto* log_axis = new QLogValueAxis;
    log_axis->setBase(10);
    log_axis->setMinorTickCount(8);
    log_axis->setLabelFormat("%g");
    axis = log_axis;
  } else {
    auto* value_axis = new QValueAxis;
    value_axis->setLabelFormat("%g");
    axis = value_axis;
  }
  axis->setTitleText(c.y_title);
  if (c.y_axis != nullptr) {
    for (const Line& line : std::as_const(c.lines)) line.series->detachAxis(c.y_axis);
    c.chart->removeAxis(c.y_axis);
    delete c.y_axis;
  }
  c.chart->addAxis(axis, Qt::AlignLeft);
  c.y_axis = axis;
  for (const Line& line : std::as_const(c.lines)) line.series->attachAxis(axis);
  updateAxes(c, true);
}

void LiveCharts::updateAxes(StepChart& c, bool force) {
  const double x_max = c.x.empty ? 10 : stepAxisEnd(c.x.max);
  const double x_min = c.x.empty ? 0 : std::min(0.0, c.x.min);
  const bool log = log_scale_ && c.can_log;
  const auto [y_min, y_max] = c.y.empty ? (log ? std::pair{1.0, 10.0} : std::pair{0.0, 1.0})
                              : log     ? logBounds(c.y.min, c.y.max)
                                        : linearBounds(c.y.min, c.y.max);
  if (force || x_min != c.shown_x_min || x_max != c.shown_x_max) setLinearRange(c.x_axis, x_min, x_max, 1);
  if (force || y_min != c.shown_y_min || y_max != c.shown_y_max) {
    if (auto* linear = qobject_cast<QValueAxis*>(c.y_axis))
      setLinearRange(linear, y_min, y_max);
    else
      c.y_axis->setRange(y_min, y_max);
  }
  c.shown_x_min = x_min;
  c.shown_x_max = x_max;
  c.shown_y_min = y_min;
  c.shown_y_max = y_max;
}

void LiveCharts::clear() {
  flush_timer_.stop();
  no_accuracy_.clear();
  charts_[1].chart->setTitle(tr("Accuracy per step"));
  for (StepChart& c : charts_) {
    c.chart->removeAllSeries();  // deletes them
    c.lines.clear();
    c.x = {};
    c.y = {};
    updateAxes(c, true);
  }
}

void LiveCharts::setLogScale(bool log) {
  {
    const QSignalBlocker quiet(log_checkbox_);
    log_checkbox_->setChecked(log);
  }
  if (log == log_scale_) return;
  log_scale_ = log;
  for (StepChart& c : charts_)
    if (c.can_log) installValueAxis(c);
}

nlohmann::json LiveCharts::snapshot() const {
  nlohmann::json out = nlohmann::json::object();
  for (const StepChart& c : charts_) {
    nlohmann::json lines = nlohmann::json::object();
    for (auto it = c.lines.begin(); it != c.lines.end(); ++it) {
      nlohmann::json points = nlohmann::json::array();
      for (const QPointF& p : it->points) points.push_back({p.x(), p.y()});
      lines[it.key().toStdString()] = std::move(points);
    }
    out[c.id.toStdString()] = std::move(lines);
  }
  return out;
}

void LiveCharts::restore(const nlohmann::json& snapshot) {
  if (!snapshot.is_object()) return;
  for (StepChart& c : charts_) {
    const auto lines = snapshot.find(c.id.toStdString());
    if (lines == snapshot.end() || !lines->is_object()) continue;
    for (const auto& [backend, points] : lines->items()) {
      if (!points.is_array()) continue;
      for (const auto& p : points)
        if (p.is_array() && p.size() == 2 && p[0].is_number() && p[1].is_number())
          addPoint(c, QString::fromStdString(backend), static_cast<int>(p[0].get<double>()), p[1].get<double>());
    }
  }
  // Backends with a loss line but no accuracy line reported none.
  for (auto it = charts_[0].lines.begin(); it != charts_[0].lines.end(); ++it)
    if (!charts_[1].lines.contains(it.key()) && !no_accuracy_.contains(it.key())) no_accuracy_.append(it.key());
  if (!no_accuracy_.isEmpty())
    charts_[1].chart->setTitle(tr("Accuracy per step (not reported by %1)").arg(no_accuracy_.join(", ")));
  flush();
}

int LiveCharts::pointCount(const QString& backend, const QString& chart) const {
  const StepChart* c = find(chart);
  if (c == nullptr) return 0;
  const auto it = c->lines.find(backend);
  return it == c->lines.end() ? 0 : static_cast<int>(it->points.size());
}

QChart* LiveCharts::chart(const QString& chart) const {
  const StepChart* c = find(chart);
  return c == nullptr ? nullptr : c->chart;
}

QAbstractAxis* LiveCharts::valueAxis(const QString& chart) const {
  const StepChart* c = find(chart);
  return c == nullptr ? nullptr : c->y_axis;
}

QString LiveCharts::hoverText(const QString& backend, const QString& chart, const QPointF& at) const {
  const StepChart* c = find(chart);
  if (c == nullptr || !c->lines.contains(backend)) return {};
  // Steps arrive in order, so the points are sorted by x: binary search, no scan.
  const QList<QPointF>& points = c->lines.find(backend)->points;
  if (points.isEmpty()) return {};
  auto it = std::lower_bound(points.begin(), points.end(), at.x(),
                             [](const QPointF& p, double x) { return p.x() < x; });
  if (it == points.end() || (it != points.begin() && at.x() - (it - 1)->x() < it->x() - at.x())) --it;
  return QStringLiteral("%1, step %2: %3%4")
      .arg(backend)
      .arg(qRound(it->x()))
      .arg(QString::number(it->y(), 'g', 4), c->unit);
}

}  // namespace gapscope::ui

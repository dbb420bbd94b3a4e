#include "ui/sweeps/ratio_heatmap.h"

#include <algorithm>
#include <cmath>
#include <set>

#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

#include "core/report/colour_map.h"
#include "core/report/report_numbers.h"

namespace gapscope::ui {
namespace {

const QColor kNoData(225, 225, 225);

QColor qcolour(const Rgb& c) {
  return QColor(static_cast<int>(std::lround(c.r)), static_cast<int>(std::lround(c.g)),
                static_cast<int>(std::lround(c.b)));
}

QString ratio_text(double ratio) { return QString::fromStdString(format_ratio(ratio)); }

}  // namespace

std::vector<HeatmapCell> heatmap_cells(const RatioAnalysis& analysis, const std::string& backend,
                                       const std::string& task) {
  std::vector<HeatmapCell> cells;
  for (const RatioPoint& p : analysis.points)
    if (p.backend == backend && p.task == task && p.ratio > 0 && std::isfinite(p.ratio))
      cells.push_back({p.depth, p.width, p.ratio, p.browser_ms, p.native_ms});
  return cells;
}

RatioHeatmap::RatioHeatmap(QWidget* parent) : QWidget(parent) {
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
  setMouseTracking(true);
}

void RatioHeatmap::setCells(const QString& title, std::vector<int64_t> depths, std::vector<int64_t> widths,
                            std::vector<HeatmapCell> cells) {
  // Every point with data gets a row and a column, even one outside the grid given.
  std::set<int64_t> all_depths(depths.begin(), depths.end()), all_widths(widths.begin(), widths.end());
  for (const HeatmapCell& c : cells) {
    all_depths.insert(c.depth);
    all_widths.insert(c.width);
  }
  title_ = title;
  depths_.assign(all_depths.begin(), all_depths.end());
  widths_.assign(all_widths.begin(), all_widths.end());
  cells_ = std::move(cells);
  // The report's scale: log10 of the ratio from decade to decade, viridis.
  double lo = 0, hi = 0;
  for (const HeatmapCell& c : cells_) {
    lo = lo > 0 ? std::min(lo, c.ratio) : c.ratio;
    hi = std::max(hi, c.ratio);
  }
  axis_ = cells_.empty() ? ChartAxis{} : log_axis(lo, hi);
  update();
}

void RatioHeatmap::clear() { setCells(QString(), {}, {}, {}); }

QString RatioHeatmap::emptyText() { return tr("no data yet"); }

std::optional<double> RatioHeatmap::ratioAt(int64_t depth, int64_t width) const {
  for (const HeatmapCell& c : cells_)
    if (c.depth == depth && c.width == width) return c.ratio;
  return std::nullopt;
}

QString RatioHeatmap::cellText(int64_t depth, int64_t width) const {
  const auto ratio = ratioAt(depth, width);
  return ratio ? ratio_text(*ratio) : QString();
}

QRect RatioHeatmap::plotArea() const {
  const QFontMetrics fm = fontMetrics();
  int label_width = fm.horizontalAdvance(tr("depth"));
  for (int64_t d : depths_) label_width = std::max(label_width, fm.horizontalAdvance(QString::number(d)));
  const int top = fm.height() * 2 + 4;          // title, then the column labels
  const int bottom = fm.height() * 3 + 22;       // the colour scale: bar, tick labels, note
  QRect area = rect().adjusted(label_width + 14, top, -8, -bottom);
  // Cells stay readable shapes on a small grid: at most 180 x 90, the grid centred.
  const int columns = std::max<int>(1, static_cast<int>(widths_.size()));
  const int rows = std::max<int>(1, static_cast<int>(depths_.size()));
  const int w = std::min(area.width(), 180 * columns), h = std::min(area.height(), 90 * rows);
  area.translate((area.width() - w) / 2, 0);
  area.setSize({w, h});
  return area;
}

QRect RatioHeatmap::cellRect(size_t row, size_t column) const {
  const QRect area = plotArea();
  const double w = static_cast<double>(area.width()) / static_cast<double>(widths_.size());
  const double h = static_cast<double>(area.height()) / static_cast<double>(depths_.size());
  return QRect(QPoint(area.left() + static_cast<int>(column * w), area.top() + static_cast<int>(row * h)),
               QPoint(area.left() + static_cast<int>((column + 1) * w) - 2,
                      area.top() + static_cast<int>((row + 1) * h) - 2));
}

const HeatmapCell* RatioHeatmap::cellAt(QPoint position) const {
  for (size_t r = 0; r < depths_.size(); ++r)
    for (size_t c = 0; c < widths_.size(); ++c)
      if (cellRect(r, c).contains(position))
        for (const HeatmapCell& cell : cells_)
          if (cell.depth == depths_[r] && cell.width == widths_[c]) return &cell;
  return nullptr;
}

bool RatioHeatmap::event(QEvent* event) {
  if (event->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(event);
    if (const HeatmapCell* cell = cellAt(help->pos()))
      QToolTip::showText(help->globalPos(),
                         tr("depth %1, width %2: %3 (browser %4, native %5)")
                             .arg(cell->depth).arg(cell->width).arg(ratio_text(cell->ratio))
                             .arg(QString::fromStdString(format_milliseconds(cell->browser_ms)))
                             .arg(QString::fromStdString(format_milliseconds(cell->native_ms))),
                         this);
    else
      QToolTip::hideText();
    return true;
  }
  return QWidget::event(event);
}

QColor RatioHeatmap::colourOf(double ratio) const { return qcolour(viridis(axis_.fraction(ratio))); }

void RatioHeatmap::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.fillRect(rect(), palette().base());
  const QFontMetrics fm = fontMetrics();
  const QColor text = palette().color(QPalette::Text);
  if (cells_.empty()) {
    painter.setPen(palette().color(QPalette::PlaceholderText));
    painter.drawText(rect(), Qt::AlignCenter, emptyText());
    return;
  }
  painter.setPen(text);
  painter.drawText(QRect(0, 0, width(), fm.height() + 2), Qt::AlignCenter, title_);

  const QRect area = plotArea();
  painter.drawText(QRect(0, area.top() - fm.height() - 2, area.left() - 6, fm.height()),
                   Qt::AlignRight | Qt::AlignVCenter, tr("depth"));
  for (size_t c = 0; c < widths_.size(); ++c) {
    const QRect cell = cellRect(0, c);
    painter.drawText(QRect(cell.left(), area.top() - fm.height() - 2, cell.width(), fm.height()), Qt::AlignCenter,
                     c == 0 ? tr("width %1").arg(widths_[c]) : QString::number(widths_[c]));
  }
  for (size_t r = 0; r < depths_.size(); ++r) {
    const QRect row = cellRect(r, 0);
    painter.setPen(text);  // the cells of the row above left their own text colour
    painter.drawText(QRect(0, row.top(), area.left() - 6, row.height()), Qt::AlignRight | Qt::AlignVCenter,
                     QString::number(depths_[r]));
    for (size_t c = 0; c < widths_.size(); ++c) {
      const QRect cell = cellRect(r, c);
      const auto ratio = ratioAt(depths_[r], widths_[c]);
      const QColor fill = ratio ? colourOf(*ratio) : kNoData;
      painter.fillRect(cell, fill);
      painter.setPen(ratio && needs_light_text(viridis(axis_.fraction(*ratio))) ? Qt::white : Qt::black);
      painter.drawText(cell, Qt::AlignCenter,
                       fm.elidedText(ratio ? ratio_text(*ratio) : QStringLiteral("–"), Qt::ElideRight, cell.width()));
    }
  }

  // The colour scale under the grid, with the axis's decade ticks.
  const QRect bar(area.left(), area.bottom() + 8, std::min(area.width(), 320), 12);
  QLinearGradient gradient(bar.topLeft(), bar.topRight());
  for (int k = 0; k <= 16; ++k) gradient.setColorAt(k / 16.0, qcolour(viridis(k / 16.0)));
  painter.fillRect(bar, gradient);
  painter.setPen(text);
  painter.drawRect(bar);
  for (const AxisTick& tick : axis_.major) {
    if (tick.label.empty()) continue;
    const int x = bar.left() + static_cast<int>(std::lround(axis_.fraction(tick.value) * bar.width()));
    painter.drawLine(x, bar.bottom(), x, bar.bottom() + 3);
    painter.drawText(QRect(x - 30, bar.bottom() + 4, 60, fm.height()), Qt::AlignCenter,
                     QString::fromStdString(tick.label) + QStringLiteral("×"));
  }
  painter.setPen(palette().color(QPalette::PlaceholderText));
  painter.drawText(QRect(0, bar.bottom() + fm.height() + 6, width(), fm.height()), Qt::AlignCenter,
                   tr("browser time / native time, colour on a log scale (as in the reports)"));
}

}  // namespace gapscope::ui

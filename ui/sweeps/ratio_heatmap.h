// The paper's Section 5 at a glance: how many times slower one browser
// backend is than native, over depth (rows) x width (columns), for one task.
// Colours follow log10(ratio) on the reports' colour map (viridis, with a
// colour scale under the grid); each cell also writes its value. Empty until
// the first point has both sides measured.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <QWidget>

#include "core/analysis/ratio_analysis.h"
#include "core/report/chart_axis.h"

namespace gapscope::ui {

struct HeatmapCell {
  int64_t depth = 0, width = 0;
  double ratio = 0;  // browser / native
  double browser_ms = 0, native_ms = 0;
};

// The points of one browser backend and task, one cell per (depth, width).
std::vector<HeatmapCell> heatmap_cells(const RatioAnalysis& analysis, const std::string& backend,
                                       const std::string& task);

class RatioHeatmap : public QWidget {
  Q_OBJECT
 public:
  explicit RatioHeatmap(QWidget* parent = nullptr);

  // Rows and columns are the grid's depths and widths (cells without data
  // stay grey); title says what is divided by what.
  void setCells(const QString& title, std::vector<int64_t> depths, std::vector<int64_t> widths,
                std::vector<HeatmapCell> cells);
  void clear();

  int cellCount() const { return static_cast<int>(cells_.size()); }
  std::optional<double> ratioAt(int64_t depth, int64_t width) const;
  // What a cell shows ("4.21×"); empty where there is no value.
  QString cellText(int64_t depth, int64_t width) const;
  QString title() const { return title_; }
  // The colour a ratio gets on the current scale.
  QColor colourOf(double ratio) const;
  // Where the cell of row r (depths, smallest first) and column c is drawn.
  QRect cellRect(size_t row, size_t column) const;
  static QString emptyText();

  QSize sizeHint() const override { return {520, 360}; }
  QSize minimumSizeHint() const override { return {240, 160}; }

 protected:
  void paintEvent(QPaintEvent* event) override;
  bool event(QEvent* event) override;  // cell tooltips

 private:
  const HeatmapCell* cellAt(QPoint position) const;
  QRect plotArea() const;

  QString title_;
  std::vector<int64_t> depths_, widths_;
  std::vector<HeatmapCell> cells_;
  ChartAxis axis_;
};

}  // namespace gapscope::ui

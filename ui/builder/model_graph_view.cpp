#include "ui/builder/model_graph_view.h"

#include <algorithm>
#include <cmath>

#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QMouseEvent>
#include <QPainterPath>
#include <QPen>

#include "core/spec/model_graph.h"

namespace gapscope::ui {
namespace {

constexpr double kBoxWidth = 150, kBoxHeight = 46, kColumnGap = 60, kRowStep = 70;

QString shapeText(const Shape& shape) { return QString::fromStdString(shape_to_string(shape)); }

// An arrow from the right edge of `from` to the left edge of `to`.
QPainterPath arrowPath(const QRectF& from, const QRectF& to) {
  const QPointF a(from.right(), from.center().y()), b(to.left(), to.center().y());
  QPainterPath path(a);
  const double bend = std::max(30.0, (b.x() - a.x()) / 2);
  path.cubicTo(a + QPointF(bend, 0), b - QPointF(bend, 0), b);
  path.moveTo(b);
  path.lineTo(b + QPointF(-8, -4));
  path.moveTo(b);
  path.lineTo(b + QPointF(-8, 4));
  return path;
}

}  // namespace

ModelGraphView::ModelGraphView(QWidget* parent) : QGraphicsView(parent) {
  setScene(new QGraphicsScene(this));
  setRenderHint(QPainter::Antialiasing);
  setDragMode(QGraphicsView::ScrollHandDrag);
  setAlignment(Qt::AlignLeft | Qt::AlignTop);
}

void ModelGraphView::showSpec(const std::optional<ModelSpec>& spec) {
  scene()->clear();
  boxes_.clear();
  arrows_.clear();
  rects_.clear();
  if (!spec) {
    scene()->addSimpleText(tr("The graph is drawn once the spec is valid (see the message below)."));
    return;
  }
  const ModelGraph graph = model_graph(*spec);
  const GraphShapes shapes = graph_shapes(*spec, graph);
  // Box 0 is the model input, box i + 1 layer i. Column: the longest path from the input.
  const int count = static_cast<int>(spec->layers.size());
  QVector<int> column(count + 1, 0);
  for (int layer : graph.order)
    for (int source : graph.sources[static_cast<size_t>(layer)]) column[layer + 1] = std::max(column[layer + 1], column[source + 1] + 1);
  QVector<int> rowsIn(*std::max_element(column.begin(), column.end()) + 1, 0);
  boxes_.append({tr("%1 (input)\n%2").arg(QString::fromStdString(spec->input_name), shapeText(spec->input_shape)), 0, rowsIn[0]++});
  for (int i = 0; i < count; ++i) {
    const LayerSpec& layer = spec->layers[static_cast<size_t>(i)];
    boxes_.append({QStringLiteral("%1 (%2)\n%3")
                       .arg(QString::fromStdString(layer.name), QString::fromStdString(layer.type),
                            shapeText(shapes.outputs[static_cast<size_t>(i)])),
                   column[i + 1], rowsIn[column[i + 1]]++});
  }
  for (int i = 0; i < count; ++i)
    for (int source : graph.sources[static_cast<size_t>(i)]) arrows_.append({source + 1, i + 1});

  // Every box as wide as the widest text (long layer names stay inside).
  QVector<QGraphicsSimpleTextItem*> texts;
  double width = kBoxWidth;
  for (const Box& box : boxes_) {
    texts.append(scene()->addSimpleText(box.text));
    texts.back()->setBrush(palette().brush(QPalette::Text));
    texts.back()->setZValue(1);
    width = std::max(width, texts.back()->boundingRect().width() + 16);
  }
  const QPen boxPen(palette().color(QPalette::Text));
  for (int i = 0; i < boxes_.size(); ++i) {
    const QRectF rect(boxes_[i].column * (width + kColumnGap), boxes_[i].row * kRowStep, width, kBoxHeight);
    rects_.append(scene()->addRect(rect, boxPen, palette().brush(QPalette::Base)));
    texts[i]->setPos(rect.topLeft() + QPointF(8, 6));
  }
  QPen arrowPen(palette().color(QPalette::Mid), 1.5);
  for (const auto& [from, to] : std::as_const(arrows_))
    scene()->addPath(arrowPath(rects_[from]->rect(), rects_[to]->rect()), arrowPen)->setZValue(-1);  // behind boxes
  setCurrentLayer(current_);
}

void ModelGraphView::setCurrentLayer(int layer) {
  current_ = layer;
  for (int i = 0; i < rects_.size(); ++i) {
    QPen pen = rects_[i]->pen();
    pen.setWidthF(i == layer + 1 ? 3.0 : 1.0);
    pen.setColor(i == layer + 1 ? palette().color(QPalette::Highlight) : palette().color(QPalette::Text));
    rects_[i]->setPen(pen);
  }
  if (layer + 1 > 0 && layer + 1 < rects_.size()) ensureVisible(rects_[layer + 1]);
}

QPointF ModelGraphView::layerCentre(int layer) const {
  return layer + 1 < rects_.size() ? rects_[layer + 1]->rect().center() : QPointF();
}

void ModelGraphView::mousePressEvent(QMouseEvent* event) {
  const QPointF at = mapToScene(event->position().toPoint());
  for (int i = 1; i < rects_.size(); ++i)
    if (rects_[i]->rect().contains(at)) {
      Q_EMIT layerClicked(i - 1);
      event->accept();
      return;
    }
  QGraphicsView::mousePressEvent(event);
}

}  // namespace gapscope::ui

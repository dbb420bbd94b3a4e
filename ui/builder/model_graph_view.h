// ModelGraphView: a model drawn as Netron draws one, layers as boxes (name,
// type, output shape) in columns by their distance from the input, arrows
// from each source to the layers that read it. Clicking a box selects that
// layer (layerClicked); the current layer's box is outlined.
#pragma once
#include <optional>

#include <QGraphicsView>
#include <QStringList>
#include <QVector>

#include "core/spec/model_spec.h"

class QGraphicsRectItem;

namespace gapscope::ui {

class ModelGraphView : public QGraphicsView {
  Q_OBJECT

 public:
  explicit ModelGraphView(QWidget* parent = nullptr);

  // nullopt (an invalid spec): a line saying so instead of boxes.
  void showSpec(const std::optional<ModelSpec>& spec);
  void setCurrentLayer(int layer);

  // What is drawn, for tests: per box (the model input first, then the
  // layers in spec order) its text, its column and row; the arrows as
  // (source box, target box), the model input being box 0.
  struct Box {
    QString text;
    int column = 0, row = 0;
  };
  const QVector<Box>& boxes() const { return boxes_; }
  const QVector<QPair<int, int>>& arrows() const { return arrows_; }
  // The scene position of layer `layer`'s box centre (clicks in tests).
  QPointF layerCentre(int layer) const;

 Q_SIGNALS:
  void layerClicked(int layer);

 protected:
  void mousePressEvent(QMouseEvent* event) override;

 private:
  QVector<Box> boxes_;
  QVector<QPair<int, int>> arrows_;
  QVector<QGraphicsRectItem*> rects_;  // per box
  int current_ = -1;
};

}  // namespace gapscope::ui

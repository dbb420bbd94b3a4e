// The fields of each layer type: one table drives the builder's editors, the
// defaults a new layer gets and the layer table's summary. A new layer type
// (conv2d, lstm, ...) needs a row in layer_fields.cpp and nothing else.
#pragma once
#include <QString>
#include <QStringList>
#include <QVector>

#include <nlohmann/json.hpp>

namespace gapscope::ui {

enum class LayerFieldKind { text, integer, number, boolean, activation, initializer };

struct LayerField {
  QString key;                 // the spec's key ("units")
  LayerFieldKind kind;
  nlohmann::json coreDefault;  // what core assumes when the key is absent; null: required
  nlohmann::json initial;      // what a new layer gets; null: not written
  double minimum = 0;          // editor range for integer/number fields: wide enough
  double maximum = 0;          // to type invalid values, so the validator explains them
  double step = 1;
  bool inSummary = false;      // shown in the layer table's settings column
};

// Core's layer types (layer_type_names), in documentation order.
QStringList layerTypeNames();
// The fields of a layer type besides "type" ("name" first); empty if unknown.
// A new layer type needs a row here and nothing else in the builder.
const QVector<LayerField>& layerFieldsOf(const QString& type);
// A layer of `type` with its initial fields (no name).
nlohmann::json newLayerJson(const QString& type);

}  // namespace gapscope::ui

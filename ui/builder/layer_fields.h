// The fields of each layer type as the builder edits them: its editors, the
// values a new layer gets and the layer table's summary. Derived from the
// layer registry (core/layers/<type>.cpp owns each type's fields): a new
// layer type needs nothing here.
#pragma once
#include <QString>
#include <QStringList>
#include <QVector>

#include <nlohmann/json.hpp>

#include "core/tensor/tensor.h"

namespace gapscope::ui {

enum class LayerFieldKind {
  text,
  integer,
  number,
  boolean,
  activation,
  initializer,
  integerList,  // [5, 5], edited as the text "5, 5"
  choice,       // one of LayerField::choices ("valid", "same")
};

// How a field appears in the layer table's settings column.
enum class LayerSummary {
  hidden,
  value,               // "relu", "[5, 5]"
  named,               // "units 64"
  namedUnlessDefault,  // "strides [2, 2]", "padding same"; nothing while it is core's default
};

struct LayerField {
  QString key;                 // the spec's key ("units")
  LayerFieldKind kind;
  // What core assumes when the key is absent; null: required, or the value of
  // the field `defaultFrom` names.
  nlohmann::json coreDefault;
  nlohmann::json initial;      // what a new layer gets; null: not written
  double minimum = 0;          // editor range for integer/number fields: wide enough
  double maximum = 0;          // to type invalid values, so the validator explains them
  double step = 1;
  int decimals = 3;            // number fields
  LayerSummary summary = LayerSummary::hidden;
  QStringList choices = {};    // choice fields
  // integerList: 2 means a single integer n stands for [n, n] (kernel and
  // pool sizes, strides); 0: the list is taken as typed.
  int squareLength = 0;
  QString placeholder = {};    // shown in an empty editor
  QString defaultFrom = {};    // absent, it takes this field's value (pooling strides = pool_size)
};

// Core's layer types (layer_type_names), in documentation order.
QStringList layerTypeNames();
// Those a chain can take: all but the merges (they need a graph's named inputs).
QStringList chainLayerTypeNames();
// The fields of a layer type besides "type" ("name" first); empty if unknown.
const QVector<LayerField>& layerFieldsOf(const QString& type);
// A layer of `type` with its initial fields (no name). Given the shape the
// layer will receive, a reshape starts as that shape: a valid no-op to edit.
nlohmann::json newLayerJson(const QString& type, const Shape* inputShape = nullptr);

// What core uses for `field` of `layer`: the layer's own value, else
// layerFieldDefault. null: a required field that is missing.
nlohmann::json layerFieldValue(const nlohmann::json& layer, const LayerField& field);
// What core assumes when `layer` leaves `field` out: coreDefault, or the value
// of the field it defaults to.
nlohmann::json layerFieldDefault(const nlohmann::json& layer, const LayerField& field);

// "5, 5" -> [5, 5] (also "[5, 5]" or "5 5"); with squareLength 2, "5" -> [5, 5].
// A token that is no integer stays a string, so the validator names it
// ("layers[0].kernel_size[1] must be an integer, got string"); empty text -> null.
nlohmann::json integerListFromText(const QString& text, int squareLength = 0);
// [5, 5] -> "5, 5"; a lone integer (from a file) -> "5"; null -> "".
QString integerListText(const nlohmann::json& list);

}  // namespace gapscope::ui

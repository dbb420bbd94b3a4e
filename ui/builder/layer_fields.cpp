#include "ui/builder/layer_fields.h"

#include <limits>
#include <map>

#include <QRegularExpression>

#include "core/spec/layer_type.h"

namespace gapscope::ui {

using nlohmann::json;

namespace {

constexpr double kIntMax = std::numeric_limits<int>::max();

LayerFieldKind kind_of(const gapscope::LayerField& field) {
  switch (field.kind) {
    case gapscope::LayerFieldKind::integer: return LayerFieldKind::integer;
    case gapscope::LayerFieldKind::number: return LayerFieldKind::number;
    case gapscope::LayerFieldKind::boolean: return LayerFieldKind::boolean;
    case gapscope::LayerFieldKind::activation: return LayerFieldKind::activation;
    case gapscope::LayerFieldKind::initializer: return LayerFieldKind::initializer;
    case gapscope::LayerFieldKind::pair:
    case gapscope::LayerFieldKind::margins:
    case gapscope::LayerFieldKind::shape: return LayerFieldKind::integerList;
    case gapscope::LayerFieldKind::padding: return LayerFieldKind::choice;
    case gapscope::LayerFieldKind::fixed: break;
  }
  return LayerFieldKind::text;
}

LayerSummary summary_of(FieldSummary summary) {
  switch (summary) {
    case FieldSummary::hidden: return LayerSummary::hidden;
    case FieldSummary::value: return LayerSummary::value;
    case FieldSummary::named: return LayerSummary::named;
    case FieldSummary::named_unless_default: return LayerSummary::namedUnlessDefault;
  }
  return LayerSummary::hidden;
}

// The builder's form of core's field (core/layers/<type>.cpp owns it).
LayerField builder_field(const gapscope::LayerField& f) {
  LayerField field{.key = QString::fromStdString(f.key), .kind = kind_of(f), .coreDefault = f.default_value,
                   .initial = f.initial};
  field.minimum = f.minimum;
  field.maximum = f.maximum != 0 ? f.maximum : f.kind == gapscope::LayerFieldKind::integer ? kIntMax : 0;
  field.step = f.step;
  field.decimals = f.decimals;
  field.summary = summary_of(f.summary);
  if (f.kind == gapscope::LayerFieldKind::padding) field.choices = {"valid", "same"};
  if (f.kind == gapscope::LayerFieldKind::pair) field.squareLength = 2;
  field.placeholder = QString::fromStdString(f.placeholder);
  field.defaultFrom = QString::fromStdString(f.default_from);
  return field;
}

// "name" first, then every field of the type a person edits (fixed ones are not).
const std::map<QString, QVector<LayerField>>& layerFieldTable() {
  static const std::map<QString, QVector<LayerField>> table = [] {
    std::map<QString, QVector<LayerField>> out;
    for (const LayerType* type : layer_types()) {
      QVector<LayerField> fields = {{.key = "name", .kind = LayerFieldKind::text, .coreDefault = "", .initial = nullptr}};
      for (const gapscope::LayerField& f : type->fields())
        if (f.kind != gapscope::LayerFieldKind::fixed) fields << builder_field(f);
      out[QString::fromStdString(std::string(type->name()))] = fields;
    }
    return out;
  }();
  return table;
}

const gapscope::LayerField* startsAsInputShape(const QString& type) {
  const LayerType* t = find_layer_type(type.toStdString());
  if (!t) return nullptr;
  for (const gapscope::LayerField& f : t->fields())
    if (f.starts_as_input_shape) return &f;
  return nullptr;
}

}  // namespace

QStringList layerTypeNames() {
  QStringList names;
  for (const std::string& type : layer_type_names()) names << QString::fromStdString(type);
  return names;
}

QStringList chainLayerTypeNames() {
  QStringList names;
  for (const LayerType* type : layer_types())
    if (!type->is_merge()) names << QString::fromStdString(std::string(type->name()));
  return names;
}

const QVector<LayerField>& layerFieldsOf(const QString& type) {
  static const QVector<LayerField> none;
  auto it = layerFieldTable().find(type);
  return it == layerFieldTable().end() ? none : it->second;
}

json newLayerJson(const QString& type, const Shape* inputShape) {
  json layer = {{"type", type.toStdString()}};
  for (const LayerField& field : layerFieldsOf(type))
    if (!field.initial.is_null()) layer[field.key.toStdString()] = field.initial;
  if (const gapscope::LayerField* f = startsAsInputShape(type); f && inputShape && !inputShape->empty())
    layer[f->key] = *inputShape;
  return layer;
}

json layerFieldDefault(const json& layer, const LayerField& field) {
  if (field.defaultFrom.isEmpty() || !layer.is_object()) return field.coreDefault;
  const auto type = layer.find("type");
  if (type == layer.end() || !type->is_string()) return field.coreDefault;
  for (const LayerField& other : layerFieldsOf(QString::fromStdString(type->get<std::string>())))
    if (other.key == field.defaultFrom && other.defaultFrom.isEmpty()) return layerFieldValue(layer, other);
  return field.coreDefault;
}

json layerFieldValue(const json& layer, const LayerField& field) {
  const std::string key = field.key.toStdString();
  return layer.is_object() && layer.contains(key) ? layer[key] : layerFieldDefault(layer, field);
}

json integerListFromText(const QString& text, int squareLength) {
  json list = json::array();
  for (const QString& token : text.split(QRegularExpression(R"([\s,\[\]]+)"), Qt::SkipEmptyParts)) {
    bool ok = false;
    const qlonglong n = token.toLongLong(&ok);
    list.push_back(ok ? json(n) : json(token.toStdString()));
  }
  if (list.empty()) return nullptr;
  if (list.size() == 1 && squareLength > 1) return json::array({list[0], list[0]});
  return list;
}

QString integerListText(const json& list) {
  if (list.is_null()) return {};
  if (!list.is_array()) return list.is_string() ? QString::fromStdString(list.get<std::string>())
                                                : QString::fromStdString(list.dump());
  QStringList parts;
  for (const json& n : list) parts << (n.is_string() ? QString::fromStdString(n.get<std::string>())
                                                     : QString::fromStdString(n.dump()));
  return parts.join(", ");
}

}  // namespace gapscope::ui

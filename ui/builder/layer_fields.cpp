#include "ui/builder/layer_fields.h"

#include <limits>
#include <map>

#include "core/spec/model_spec.h"

namespace gapscope::ui {

using nlohmann::json;

namespace {

constexpr double kIntMax = std::numeric_limits<int>::max();

LayerField nameField() { return {"name", LayerFieldKind::text, "", nullptr}; }

const std::map<QString, QVector<LayerField>>& layerFieldTable() {
  using K = LayerFieldKind;
  static const std::map<QString, QVector<LayerField>> table = {
      {"dense",
       {nameField(),
        {"units", K::integer, nullptr, 64, 0, kIntMax, 1, true},
        {"activation", K::activation, "linear", "relu", 0, 0, 1, true},
        {"use_bias", K::boolean, true, nullptr},
        {"kernel_initializer", K::initializer, "glorot_uniform", nullptr},
        {"bias_initializer", K::initializer, "zeros", nullptr}}},
      {"activation", {nameField(), {"activation", K::activation, nullptr, "relu", 0, 0, 1, true}}},
      {"dropout", {nameField(), {"rate", K::number, nullptr, 0.2, 0, 1, 0.05, true}}},
  };
  return table;
}

}  // namespace

QStringList layerTypeNames() {
  QStringList names;
  for (const std::string& type : layer_type_names()) names << QString::fromStdString(type);
  return names;
}

const QVector<LayerField>& layerFieldsOf(const QString& type) {
  static const QVector<LayerField> none;
  auto it = layerFieldTable().find(type);
  return it == layerFieldTable().end() ? none : it->second;
}

json newLayerJson(const QString& type) {
  json layer = {{"type", type.toStdString()}};
  for (const LayerField& field : layerFieldsOf(type))
    if (!field.initial.is_null()) layer[field.key.toStdString()] = field.initial;
  return layer;
}

}  // namespace gapscope::ui

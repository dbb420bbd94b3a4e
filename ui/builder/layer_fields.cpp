#include "ui/builder/layer_fields.h"

#include <limits>
#include <map>

#include <QRegularExpression>

#include "core/spec/model_spec.h"

namespace gapscope::ui {

using nlohmann::json;

namespace {

constexpr double kIntMax = std::numeric_limits<int>::max();
using K = LayerFieldKind;
using S = LayerSummary;

LayerField nameField() { return {.key = "name", .kind = K::text, .coreDefault = "", .initial = nullptr}; }

LayerField integerField(const char* key, json initial, LayerSummary summary = S::named) {
  return {.key = key, .kind = K::integer, .coreDefault = nullptr, .initial = std::move(initial), .maximum = kIntMax,
          .summary = summary};
}

LayerField activationField(json coreDefault, json initial, LayerSummary summary = S::value) {
  return {.key = "activation", .kind = K::activation, .coreDefault = std::move(coreDefault),
          .initial = std::move(initial), .summary = summary};
}

LayerField initializerField(const char* key, const char* coreDefault) {
  return {.key = key, .kind = K::initializer, .coreDefault = coreDefault, .initial = nullptr};
}

LayerField useBiasField() { return {.key = "use_bias", .kind = K::boolean, .coreDefault = true, .initial = nullptr}; }

LayerField paddingField() {
  return {.key = "padding", .kind = K::choice, .coreDefault = "valid", .initial = nullptr,
          .summary = S::namedUnlessDefault, .choices = {"valid", "same"}};
}

// Kernel and pool sizes: [h, w]. conv2d requires kernel_size; pool_size defaults to [2, 2].
LayerField sizeField(const char* key, json coreDefault, json initial) {
  return {.key = key, .kind = K::integerList, .coreDefault = std::move(coreDefault), .initial = std::move(initial),
          .summary = S::value, .squareLength = 2};
}

QVector<LayerField> poolingFields() {
  return {nameField(), sizeField("pool_size", json::array({2, 2}), json::array({2, 2})),
          {.key = "strides", .kind = K::integerList, .coreDefault = nullptr, .initial = nullptr,
           .summary = S::namedUnlessDefault, .squareLength = 2, .defaultFrom = "pool_size"},
          paddingField()};
}

// simple_rnn, lstm and gru differ only in their gates: lstm and gru have a
// recurrent activation, lstm a forget-gate bias of 1.
QVector<LayerField> recurrentFields(const QString& type) {
  QVector<LayerField> fields = {nameField(), integerField("units", 64), activationField("tanh", nullptr)};
  if (type != "simple_rnn")
    fields << LayerField{.key = "recurrent_activation", .kind = K::activation, .coreDefault = "hard_sigmoid",
                         .initial = nullptr};
  fields << useBiasField() << initializerField("kernel_initializer", "glorot_uniform")
         << initializerField("recurrent_initializer", "orthogonal") << initializerField("bias_initializer", "zeros")
         << LayerField{.key = "return_sequences", .kind = K::boolean, .coreDefault = false, .initial = false,
                       .summary = S::namedUnlessDefault};
  if (type == "lstm")
    fields << LayerField{.key = "unit_forget_bias", .kind = K::boolean, .coreDefault = true, .initial = nullptr};
  return fields;
}

const std::map<QString, QVector<LayerField>>& layerFieldTable() {
  static const std::map<QString, QVector<LayerField>> table = {
      {"dense",
       {nameField(), integerField("units", 64), activationField("linear", "relu"), useBiasField(),
        initializerField("kernel_initializer", "glorot_uniform"), initializerField("bias_initializer", "zeros")}},
      {"activation", {nameField(), activationField(nullptr, "relu")}},
      {"dropout",
       {nameField(), {.key = "rate", .kind = K::number, .coreDefault = nullptr, .initial = 0.2, .maximum = 1,
                      .step = 0.05, .summary = S::named}}},
      {"conv2d",
       {nameField(), integerField("filters", 8), sizeField("kernel_size", nullptr, json::array({5, 5})),
        {.key = "strides", .kind = K::integerList, .coreDefault = json::array({1, 1}), .initial = nullptr,
         .summary = S::namedUnlessDefault, .squareLength = 2},
        paddingField(), activationField("linear", "relu"), useBiasField(),
        initializerField("kernel_initializer", "glorot_uniform"), initializerField("bias_initializer", "zeros")}},
      {"max_pooling2d", poolingFields()},
      {"average_pooling2d", poolingFields()},
      {"flatten", {nameField()}},
      // Per-sample shape; newLayerJson starts it as the layer's input shape.
      {"reshape",
       {nameField(), {.key = "target_shape", .kind = K::integerList, .coreDefault = nullptr, .initial = nullptr,
                      .summary = S::value, .placeholder = QStringLiteral("e.g. 7, 7, 16")}}},
      {"batch_normalization",
       {nameField(),
        {.key = "momentum", .kind = K::number, .coreDefault = 0.99, .initial = nullptr, .maximum = 1, .step = 0.01,
         .summary = S::namedUnlessDefault},
        {.key = "epsilon", .kind = K::number, .coreDefault = 0.001, .initial = nullptr, .maximum = 1,
         .step = 0.0001, .decimals = 6, .summary = S::namedUnlessDefault}}},
      {"embedding",
       {nameField(), integerField("input_dim", 1000), integerField("output_dim", 32),
        initializerField("embeddings_initializer", "random_uniform")}},
      {"simple_rnn", recurrentFields("simple_rnn")},
      {"lstm", recurrentFields("lstm")},
      {"gru", recurrentFields("gru")},
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

json newLayerJson(const QString& type, const Shape* inputShape) {
  json layer = {{"type", type.toStdString()}};
  for (const LayerField& field : layerFieldsOf(type))
    if (!field.initial.is_null()) layer[field.key.toStdString()] = field.initial;
  if (type == "reshape" && inputShape && !inputShape->empty()) layer["target_shape"] = *inputShape;
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

#include "ui/builder/spec_document.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <map>
#include <stdexcept>

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QUndoCommand>
#include <QUndoStack>

#include "core/base/atomic_file.h"
#include "core/io/model_file.h"
#include "core/base/optimizer_config.h"
#include "core/spec/optimizer_json.h"
#include "core/spec/presets.h"

namespace gapscope::ui {

using nlohmann::json;

// ---------------------------------------------------------------------------
// Helpers on raw (possibly invalid) spec JSON

namespace {

// One undo step: the whole spec before and after. Specs are small (at most
// 1,000 layers), and snapshots make every edit trivially reversible.
class SpecEditCommand : public QUndoCommand {
 public:
  SpecEditCommand(const QString& text, json before, json after, QString mergeKey,
                  std::function<void(const json&)> apply)
      : QUndoCommand(text), before_(std::move(before)), after_(std::move(after)), mergeKey_(std::move(mergeKey)),
        apply_(std::move(apply)) {}

  void undo() override { apply_(before_); }
  void redo() override { apply_(after_); }
  // Repeated edits of one field (spin box steps, typing) are one undo step.
  int id() const override { return mergeKey_.isEmpty() ? -1 : 1; }
  bool mergeWith(const QUndoCommand* other) override {
    auto* next = static_cast<const SpecEditCommand*>(other);
    if (next->mergeKey_ != mergeKey_) return false;
    after_ = next->after_;
    setObsolete(after_ == before_);
    return true;
  }

 private:
  json before_, after_;
  QString mergeKey_;
  std::function<void(const json&)> apply_;
};

std::string stringOr(const json& object, const char* key, const std::string& fallback) {
  if (!object.is_object()) return fallback;
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : fallback;
}

std::string localPath(const QString& path) { return QFile::encodeName(path).toStdString(); }

[[noreturn]] void throwNamingFile(const std::exception& e, const std::string& path) {
  std::string message = e.what();
  if (message.find(path) == std::string::npos) message = path + ": " + message;
  throw std::runtime_error(message);
}

// The field path a validator message starts with: "layers[2].units must be
// >= 1" -> "layers[2].units". Only paths into the spec's own keys count.
QString fieldPathOf(const QString& message) {
  static const QRegularExpression pathAtStart(
      R"(^([A-Za-z_]\w*(?:\[\d+\])*(?:\.[A-Za-z_]\w*(?:\[\d+\])*)*)(?=$|[\s:']))");
  static const QStringList topKeys = {"format", "name", "input", "layers", "loss", "optimizer"};
  QRegularExpressionMatch match = pathAtStart.match(message);
  if (!match.hasMatch()) return {};
  QString path = match.captured(1);
  QString first = path.section(QRegularExpression(R"([.\[])"), 0, 0);
  return topKeys.contains(first) ? path : QString();
}

// True if `path` is `prefix` or lies inside it ("input.shape[0]" in "input.shape").
bool pathWithin(const QString& path, const QString& prefix) {
  if (path.isEmpty() || !path.startsWith(prefix)) return false;
  if (path.size() == prefix.size()) return true;
  QChar next = path.at(prefix.size());
  return next == '.' || next == '[';
}

QString layerPath(int index) { return QString("layers[%1]").arg(index); }

// The optimizer keys `kind` takes, spelled as a spec may write them.
bool optimizerTakes(OptimizerKind kind, const std::string& key) {
  for (std::string_view name : optimizer_field_names(kind))
    if (name == key) return true;
  return (key == "beta_1" || key == "beta_2") &&
         (kind == OptimizerKind::adam || kind == OptimizerKind::adamax);
}

json withOptimizerType(const json& old, const json& type) {
  json optimizer = json::object();
  if (old.is_object()) optimizer = old;
  optimizer["type"] = type;
  std::optional<OptimizerKind> kind = type.is_string() ? parse_optimizer(type.get<std::string>()) : std::nullopt;
  if (!kind) return optimizer;  // the validator will name the bad type
  json kept = {{"type", type}};
  for (const auto& item : optimizer.items())
    if (optimizerTakes(*kind, item.key())) kept[item.key()] = item.value();
  return kept;
}

// The spec's layer array, made one if the user's JSON has none yet.
json& layersJson(json& spec) {
  if (!spec.is_object()) spec = json::object();
  json& layers = spec["layers"];
  if (!layers.is_array()) layers = json::array();
  return layers;
}

void checkLayerIndex(int index, int size, const char* what) {
  if (index < 0 || index >= size)
    throw std::out_of_range(std::string(what) + ": layer index " + std::to_string(index) + " is not in [0, " +
                            std::to_string(size) + ")");
}

}  // namespace

// ---------------------------------------------------------------------------
// SpecDocument

SpecDocument::SpecDocument(QObject* parent) : QObject(parent), undoStack_(new QUndoStack(this)) {
  json_ = model_spec_to_json(paper_dnn(2, 128));
  validate();
}

SpecDocument::~SpecDocument() = default;

void SpecDocument::load(const json& spec) {
  undoStack_->clear();
  imported_.reset();
  replaceSpec(spec);
}

void SpecDocument::applyPreset(const QString& name, int depth, int width, const std::optional<TextShape>& text) {
  // SpecError for bad sizes
  const ModelSpec spec =
      make_preset(name.toStdString(), depth, width, text ? text->vocabulary : 0, text ? text->window : 0);
  pushEdit(QString("Apply preset %1 %2x%3").arg(name).arg(depth).arg(width), model_spec_to_json(spec));
}

void SpecDocument::applyZooPreset(const QString& name, qint64 inputSize, qint64 classes) {
  const ModelSpec spec = build_preset(name.toStdString(), {.input_size = inputSize, .classes = classes});
  pushEdit(QString("Apply preset %1 at %2x%2, %3 classes").arg(name).arg(spec.input_shape.at(0)).arg(classes),
           model_spec_to_json(spec));
}

int SpecDocument::layerCount() const {
  auto it = json_.is_object() ? json_.find("layers") : json_.end();
  return it != json_.end() && it->is_array() ? static_cast<int>(it->size()) : 0;
}

bool SpecDocument::isGraph() const {
  if (!json_.is_object()) return false;
  if (auto input = json_.find("input"); input != json_.end() && input->is_object() && input->contains("name")) return true;
  auto layers = json_.find("layers");
  if (layers == json_.end() || !layers->is_array()) return false;
  return std::any_of(layers->begin(), layers->end(), [](const json& l) { return l.is_object() && l.contains("inputs"); });
}

void SpecDocument::addLayer(int index, const json& layer) {
  json after = json_;
  json& layers = layersJson(after);
  checkLayerIndex(index, static_cast<int>(layers.size()) + 1, "addLayer");
  layers.insert(layers.begin() + index, layer);
  pushEdit(QString("Add %1 layer").arg(QString::fromStdString(stringOr(layer, "type", "a"))), std::move(after));
}

void SpecDocument::removeLayer(int index) {
  checkLayerIndex(index, layerCount(), "removeLayer");
  json after = json_;
  layersJson(after).erase(static_cast<size_t>(index));
  pushEdit(QString("Remove %1").arg(layerNames().value(index)), std::move(after));
}

void SpecDocument::moveLayer(int from, int to) {
  checkLayerIndex(from, layerCount(), "moveLayer");
  checkLayerIndex(to, layerCount(), "moveLayer");
  if (from == to) return;
  json after = json_;
  json& layers = layersJson(after);
  json layer = layers[from];
  layers.erase(static_cast<size_t>(from));
  layers.insert(layers.begin() + to, std::move(layer));
  pushEdit(QString("Move %1").arg(layerNames().value(from)), std::move(after));
}

void SpecDocument::setLayerField(int index, const QString& field, const json& value) {
  checkLayerIndex(index, layerCount(), "setLayerField");
  json after = json_;
  json& layer = layersJson(after)[index];
  if (!layer.is_object()) layer = json::object();
  const std::string key = field.toStdString();
  if (field == "type") {
    const QString oldType = QString::fromStdString(stringOr(layer, "type", ""));
    const QString newType = value.is_string() ? QString::fromStdString(value.get<std::string>()) : QString();
    json changed = {{"type", value}};
    // A default-looking name would now mislead ("dense_2" on a dropout layer).
    QString name = QString::fromStdString(stringOr(layer, "name", ""));
    if (!name.isEmpty() && !oldType.isEmpty() && QRegularExpression("^" + QRegularExpression::escape(oldType) +
                                                                    R"(_\d+$)").match(name).hasMatch())
      name = newType.isEmpty() ? QString() : unusedLayerName(newType);
    if (!name.isEmpty()) changed["name"] = name.toStdString();
    for (const LayerField& f : layerFieldsOf(newType)) {
      const std::string k = f.key.toStdString();
      if (k == "name") continue;
      if (layer.contains(k))
        changed[k] = layer[k];
      else if (!f.initial.is_null())
        changed[k] = f.initial;
    }
    layer = std::move(changed);
  } else if (value.is_null()) {
    layer.erase(key);
  } else {
    layer[key] = value;
  }
  pushEdit(QString("Set %1 %2").arg(layerNames().value(index), field), std::move(after),
           QString("layer:%1:%2").arg(index).arg(field));
}

void SpecDocument::setTopField(const QString& path, const json& value) {
  json after = json_.is_object() ? json_ : json::object();
  const QStringList keys = path.split('.');
  if (path == "optimizer.type") {
    after["optimizer"] = withOptimizerType(after.value("optimizer", json::object()), value);
  } else {
    json* node = &after;
    for (int i = 0; i + 1 < keys.size(); ++i) {
      json& child = (*node)[keys[i].toStdString()];
      if (child.is_string() && keys[i] == "optimizer") child = {{"type", child}};  // "adam" -> {"type": "adam"}
      if (!child.is_object()) child = json::object();
      node = &child;
    }
    if (value.is_null())
      node->erase(keys.last().toStdString());
    else
      (*node)[keys.last().toStdString()] = value;
  }
  pushEdit(QString("Set %1").arg(path), std::move(after), "top:" + path);
}

QStringList SpecDocument::layerNames() const {
  QStringList names;
  std::map<std::string, int> seenOfType;
  auto it = json_.is_object() ? json_.find("layers") : json_.end();
  if (it == json_.end() || !it->is_array()) return names;
  for (const json& layer : *it) {
    std::string type = stringOr(layer, "type", "");
    int n = ++seenOfType[type];
    std::string name = stringOr(layer, "name", "");
    names << QString::fromStdString(name.empty() ? type + "_" + std::to_string(n) : name);
  }
  return names;
}

QString SpecDocument::unusedLayerName(const QString& type) const {
  const QStringList used = layerNames();
  for (int n = 1;; ++n) {
    QString name = QString("%1_%2").arg(type).arg(n);
    if (!used.contains(name)) return name;
  }
}

void SpecDocument::pushEdit(const QString& text, json after, const QString& mergeKey) {
  if (after == json_) return;
  undoStack_->push(new SpecEditCommand(text, json_, std::move(after), mergeKey,
                                       [this](const json& spec) { replaceSpec(spec); }));
}

void SpecDocument::replaceSpec(const json& spec) {
  json_ = spec;
  validate();
  Q_EMIT changed();
}

void SpecDocument::validate() {
  spec_.reset();
  errorText_.clear();
  errorPath_.clear();
  rows_.clear();
  totalParams_ = totalFlops_ = 0;
  try {
    spec_ = parse_model_spec(json_);
  } catch (const std::exception& e) {  // SpecError, or anything unexpected: still the user's spec
    const QString message = QString::fromStdString(e.what());
    errorPath_ = fieldPathOf(message);
    // People know their layers by name: "layer 'dense_3': layers[2].units ...".
    static const QRegularExpression layerIndex(R"(^layers\[(\d+)\])");
    const QRegularExpressionMatch match = layerIndex.match(errorPath_);
    const QStringList names = layerNames();
    const int broken = match.hasMatch() ? match.captured(1).toInt() : -1;
    errorText_ = broken >= 0 && broken < names.size() ? QString("layer '%1': %2").arg(names[broken], message) : message;
    costLayersBefore(broken);
    return;
  }
  costLayers(*spec_);
  totalParams_ = count_parameters(*spec_);
  totalFlops_ = forward_flops(*spec_);
}

// Each layer costed by core through the graph.
void SpecDocument::costLayers(const ModelSpec& spec) {
  const std::vector<LayerCost> costs = layer_costs(spec);
  for (size_t i = 0; i < spec.layers.size(); ++i) {
    const LayerSpec& layer = spec.layers[i];
    QStringList inputs;
    for (const std::string& name : costs[i].inputs) inputs << QString::fromStdString(name);
    rows_.push_back({QString::fromStdString(layer.name), QString::fromStdString(layer.type),
                     QString::fromStdString(shape_to_string(costs[i].output)), inputs.join(", "), costs[i].parameters,
                     costs[i].flops});
  }
}

// A chain broken at layer `broken` still shows the shapes of the layers
// before it: they are costed as a model of their own (the loss, which may not
// fit a cut model, set aside).
void SpecDocument::costLayersBefore(int broken) {
  if (broken <= 0 || isGraph()) return;
  json prefix = json_;
  auto& layers = prefix["layers"];
  layers.erase(layers.begin() + broken, layers.end());
  prefix["loss"] = "mean_squared_error";
  try {
    costLayers(parse_model_spec(prefix));
  } catch (const std::exception&) {
    rows_.clear();  // the layers before it do not stand alone either: no shapes at all
  }
}

QString SpecDocument::fieldError(int layer, const QString& field) const {
  return pathWithin(errorPath_, layerPath(layer) + "." + field) ? errorText_ : QString();
}

QString SpecDocument::layerError(int layer) const {
  return pathWithin(errorPath_, layerPath(layer)) ? errorText_ : QString();
}

QString SpecDocument::topFieldError(const QString& path) const {
  return pathWithin(errorPath_, path) ? errorText_ : QString();
}

void SpecDocument::saveSpec(const QString& path) const {
  const std::string file = localPath(path);
  if (!spec_) throw std::runtime_error("cannot save " + file + ": the spec is invalid: " + errorText_.toStdString());
  try {
    write_file_atomically(file, json_.dump(2) + "\n");
  } catch (const std::exception& e) {
    throwNamingFile(e, file);
  }
}

void SpecDocument::openSpec(const QString& path) {
  const std::string file = localPath(path);
  json spec;
  try {
    spec = model_spec_to_json(load_model_spec_file(file));
  } catch (const std::exception& e) {
    throwNamingFile(e, file);
  }
  // One undo step, as any edit: opening never throws away the model or its history.
  imported_.reset();
  pushEdit(QString("Open %1").arg(QFileInfo(path).fileName()), std::move(spec));
}

QStringList SpecDocument::importTfjs(const QString& modelJsonPath) {
  const std::string file = localPath(modelJsonPath);
  ModelFile model;
  try {
    model = load_runnable_model(file);
  } catch (const std::exception& e) {
    throwNamingFile(e, file);
  }
  // One undo step (undo brings the model before it back, without these weights).
  pushEdit(QString("Import %1").arg(QFileInfo(modelJsonPath).fileName()), model_spec_to_json(model.spec));
  imported_ = std::move(model.weights);
  Q_EMIT changed();  // the weights came after the spec's change
  QStringList notes;
  for (const std::string& note : model.notes) notes << QString::fromStdString(note);
  return notes;
}

std::optional<WeightSet> SpecDocument::importedWeights() const {
  if (!imported_ || !spec_) return std::nullopt;
  const std::vector<ParameterShape> expected = parameter_shapes(*spec_);
  if (expected.size() != imported_->size()) return std::nullopt;
  std::map<std::string, Shape> shapes;
  for (const NamedArray& array : *imported_) shapes[array.name] = array.shape;
  for (const ParameterShape& parameter : expected) {
    auto it = shapes.find(parameter.name);
    if (it == shapes.end() || it->second != parameter.shape) return std::nullopt;
  }
  return imported_;
}

}  // namespace gapscope::ui

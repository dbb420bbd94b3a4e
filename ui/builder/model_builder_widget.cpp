#include "ui/builder/model_builder_widget.h"

#include <algorithm>
#include <optional>

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>

#include "core/base/activation.h"
#include "core/base/initializer.h"
#include "core/base/loss.h"
#include "core/base/optimizer_config.h"
#include "core/base/number_text.h"
#include "core/spec/presets.h"
#include "ui/builder/model_graph_view.h"

namespace gapscope::ui {

using nlohmann::json;

namespace {

const QColor kInvalidRowColor(255, 235, 238);
const QColor kInvalidFieldColor(255, 205, 210);

template <typename Enum, typename NameOf>
QStringList namesOf(const std::vector<Enum>& values, NameOf nameOf) {
  QStringList names;
  for (Enum value : values) names << QString::fromUtf8(nameOf(value).data(), int(nameOf(value).size()));
  return names;
}

// The spec's layer array; an empty one while "layers" is missing or no array.
const json& layersOf(const json& spec) {
  static const json none = json::array();
  auto it = spec.is_object() ? spec.find("layers") : spec.end();
  return it != spec.end() && it->is_array() ? *it : none;
}

QString jsonText(const json& value) {
  return value.is_string() ? QString::fromStdString(value.get<std::string>()) : QString::fromStdString(value.dump());
}

QString withThousands(qint64 n) { return QString::fromStdString(with_thousands(n)); }

// The validator's message on the editor of the field it names.
void markField(QWidget* editor, const QString& message) {
  if (!editor) return;
  const bool invalid = !message.isEmpty();
  if (editor->property(ModelBuilderWidget::kInvalidProperty).toBool() == invalid && editor->toolTip() == message)
    return;
  editor->setProperty(ModelBuilderWidget::kInvalidProperty, invalid);
  // A palette, not a style sheet: style sheets replace the native look of
  // spin boxes and combos wholesale.
  QPalette palette = editor->parentWidget() ? editor->parentWidget()->palette() : QApplication::palette(editor);
  if (invalid) {
    palette.setColor(QPalette::Base, kInvalidFieldColor);
    palette.setColor(QPalette::Button, kInvalidFieldColor);
  }
  editor->setPalette(palette);
  editor->setToolTip(message);
}

// Shows a value the list does not hold (an unknown name from a file) as the
// placeholder, so the combo never pretends to a valid choice.
void setComboValue(QComboBox* combo, const json& value) {
  const int index = value.is_string() ? combo->findText(QString::fromStdString(value.get<std::string>())) : -1;
  combo->setPlaceholderText(index < 0 && !value.is_null() ? jsonText(value) : QString());
  combo->setCurrentIndex(index);
}

// "filters 8 · [5, 5] · relu": lists in brackets, booleans by their key.
QString settingsSummary(const json& layer, const QString& type) {
  QStringList parts;
  for (const LayerField& field : layerFieldsOf(type)) {
    if (field.summary == LayerSummary::hidden) continue;
    const json value = layerFieldValue(layer, field);
    if (value.is_null()) continue;  // a required field still missing: the validator says so
    if (field.summary == LayerSummary::namedUnlessDefault && value == layerFieldDefault(layer, field)) continue;
    if (field.kind == LayerFieldKind::boolean && value.is_boolean()) {
      parts << (value.get<bool>() ? field.key : field.key + " false");
      continue;
    }
    const QString text = value.is_array() ? "[" + integerListText(value) + "]" : jsonText(value);
    parts << (field.summary == LayerSummary::value ? text : field.key + " " + text);
  }
  return parts.join(QString::fromUtf8(" \u00b7 "));
}

// "28, 28, 1" -> [28, 28, 1]; a token that is no integer stays a string, so
// the validator names it ("input.shape[1] must be an integer, got string").
json shapeFromText(const QString& text) {
  json shape = json::array();
  for (const QString& token : text.split(QRegularExpression(R"([\s,\[\]]+)"), Qt::SkipEmptyParts)) {
    bool ok = false;
    const qlonglong n = token.toLongLong(&ok);
    shape.push_back(ok ? json(n) : json(token.toStdString()));
  }
  return shape;
}

QString shapeText(const json& shape) {
  if (!shape.is_array()) return shape.is_null() ? QString() : jsonText(shape);
  QStringList parts;
  for (const json& d : shape) parts << jsonText(d);
  return parts.join(", ");
}

void setEditorValue(QWidget* editor, const json& value) {
  if (auto* spin = qobject_cast<QSpinBox*>(editor))
    spin->setValue(value.is_number() ? value.get<int>() : 0);
  else if (auto* spin = qobject_cast<QDoubleSpinBox*>(editor))
    spin->setValue(value.is_number() ? value.get<double>() : 0.0);
  else if (auto* check = qobject_cast<QCheckBox*>(editor))
    check->setChecked(value.is_boolean() ? value.get<bool>() : false);
  else if (auto* combo = qobject_cast<QComboBox*>(editor))
    setComboValue(combo, value);
  else if (auto* line = qobject_cast<QLineEdit*>(editor); line && !line->hasFocus())
    line->setText(value.is_null() ? QString() : jsonText(value));  // never under the user's cursor
}

QLabel* errorStyledLabel() {
  auto* label = new QLabel;
  label->setWordWrap(true);
  label->setTextInteractionFlags(Qt::TextSelectableByMouse);
  label->setStyleSheet("color: #b71c1c;");
  return label;
}

}  // namespace

// ---------------------------------------------------------------------------
// Construction

ModelBuilderWidget::ModelBuilderWidget(SpecDocument* document, QWidget* parent)
    : QWidget(parent), document_(document) {
  undoAction_ = document_->undoStack()->createUndoAction(this, tr("Undo"));
  undoAction_->setShortcut(QKeySequence(QStringLiteral("Ctrl+Z")));
  redoAction_ = document_->undoStack()->createRedoAction(this, tr("Redo"));
  redoAction_->setShortcuts({QKeySequence(QStringLiteral("Ctrl+Shift+Z")), QKeySequence(QStringLiteral("Ctrl+Y"))});
  for (QAction* action : {undoAction_, redoAction_}) {
    action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(action);
  }

  auto* splitter = new QSplitter(Qt::Horizontal);
  splitter->addWidget(buildLayerPanel());
  layerEditorBox_ = new QGroupBox(tr("Layer"));
  layerEditorBox_->setLayout(new QVBoxLayout);
  splitter->addWidget(layerEditorBox_);
  splitter->setStretchFactor(0, 3);
  splitter->setStretchFactor(1, 2);

  errorLabel_ = errorStyledLabel();

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(buildPresetRow());
  layout->addWidget(buildFileRow());
  layout->addWidget(buildModelFields());
  layout->addWidget(splitter, 1);
  layout->addWidget(errorLabel_);

  connect(document_, &SpecDocument::changed, this, &ModelBuilderWidget::refresh);
  refresh();
  if (document_->layerCount() > 0) selectLayer(0);
}

QWidget* ModelBuilderWidget::buildPresetRow() {
  presetCombo_ = new QComboBox;
  for (const PresetInfo& preset : preset_catalog()) {
    presetCombo_->addItem(QString::fromStdString(preset.name));
    presetCombo_->setItemData(presetCombo_->count() - 1, QString::fromStdString(preset.summary), Qt::ToolTipRole);
  }
  // Wide ranges: the preset itself says what it accepts (make_preset's message).
  depthSpin_ = new QSpinBox;
  depthSpin_->setRange(1, 1000);
  depthSpin_->setValue(2);
  widthSpin_ = new QSpinBox;
  widthSpin_->setRange(1, 1 << 20);
  widthSpin_->setValue(128);
  inputSizeSpin_ = new QSpinBox;
  inputSizeSpin_->setRange(1, 4096);
  inputSizeSpin_->setSuffix(tr(" px"));
  inputSizeSpin_->setToolTip(tr("The image side of a zoo model (Keras's default: 224; 299 for InceptionV3 and Xception)"));
  classesSpin_ = new QSpinBox;
  classesSpin_->setRange(1, 1 << 20);
  classesSpin_->setValue(1000);
  classesSpin_->setToolTip(tr("The zoo model's softmax outputs (ImageNet's 1000 by default)"));
  showPresetSizes();
  // A choice applies at once, as one undo step; the spin boxes apply when the
  // value is committed (Enter, focus out, arrows), not at every digit typed.
  connect(presetCombo_, &QComboBox::currentTextChanged, this, [this] {
    if (syncingPresetBar_) return;
    syncingPresetBar_ = true;
    showPresetSizes();
    const PresetInfo& preset = preset_info(presetCombo_->currentText().toStdString());
    if (!preset.sized_by_depth_width) inputSizeSpin_->setValue(static_cast<int>(preset.default_input_size));
    syncingPresetBar_ = false;
    applyPreset();
  });
  for (QSpinBox* spin : {depthSpin_, widthSpin_, inputSizeSpin_, classesSpin_}) {
    spin->setKeyboardTracking(false);
    connect(spin, &QSpinBox::valueChanged, this, [this] {
      if (!syncingPresetBar_) applyPreset();
    });
  }
  applyPresetButton_ = new QPushButton(tr("Re-apply"));
  applyPresetButton_->setToolTip(tr("Builds the preset again, replacing your edits (undoable)"));
  presetMessage_ = errorStyledLabel();
  connect(applyPresetButton_, &QPushButton::clicked, this, &ModelBuilderWidget::applyPreset);
  setPresetText(std::nullopt);

  auto* row = new QWidget;
  auto* layout = new QHBoxLayout(row);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(new QLabel(tr("Preset")));
  layout->addWidget(presetCombo_);
  layout->addWidget(new QLabel(tr("Depth")));
  layout->addWidget(depthSpin_);
  layout->addWidget(new QLabel(tr("Width")));
  layout->addWidget(widthSpin_);
  layout->addWidget(new QLabel(tr("Input")));
  layout->addWidget(inputSizeSpin_);
  layout->addWidget(new QLabel(tr("Classes")));
  layout->addWidget(classesSpin_);
  layout->addWidget(applyPresetButton_);
  presetState_ = new QLabel;
  layout->addWidget(presetState_);
  layout->addWidget(presetMessage_, 1);
  return row;
}

QWidget* ModelBuilderWidget::buildFileRow() {
  openAction_ = new QAction(tr("Open spec\u2026"), this);
  saveAction_ = new QAction(tr("Save spec\u2026"), this);
  importAction_ = new QAction(tr("Import TF.js model.json\u2026"), this);
  connect(openAction_, &QAction::triggered, this, [this] {
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open model spec"), {}, tr("Model specs (*.json);;All files (*)"));
    if (!path.isEmpty()) runFileAction(tr("Open model spec"), [&] { document_->openSpec(path); });
  });
  connect(saveAction_, &QAction::triggered, this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, tr("Save model spec"), {}, tr("Model specs (*.json)"));
    if (!path.isEmpty()) runFileAction(tr("Save model spec"), [&] { document_->saveSpec(path); });
  });
  connect(importAction_, &QAction::triggered, this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Import TF.js model"), {},
                                                      tr("TF.js model (model.json *.json);;All files (*)"));
    if (path.isEmpty()) return;
    QStringList notes;
    runFileAction(tr("Import TF.js model"), [&] { notes = document_->importTfjs(path); });
    if (!notes.isEmpty())
      QMessageBox::information(this, tr("Import TF.js model"),
                               tr("Imported. Not used by gapscope (they change training only):\n\n") +
                                   notes.join(QStringLiteral("\n")));
  });

  auto* row = new QWidget;
  auto* layout = new QHBoxLayout(row);
  layout->setContentsMargins(0, 0, 0, 0);
  for (QAction* action : {openAction_, saveAction_, importAction_, undoAction_, redoAction_}) {
    auto* button = new QToolButton;
    button->setDefaultAction(action);
    layout->addWidget(button);
  }
  layout->addStretch(1);
  return row;
}

QWidget* ModelBuilderWidget::buildModelFields() {
  modelName_ = new QLineEdit;
  connect(modelName_, &QLineEdit::editingFinished, this, [this] {
    const QString text = modelName_->text();
    commitTopField("name", text.isEmpty() ? json() : json(text.toStdString()));
  });
  inputShape_ = new QLineEdit;
  inputShape_->setPlaceholderText(tr("e.g. 784"));
  connect(inputShape_, &QLineEdit::editingFinished, this,
          [this] { commitTopField("input.shape", shapeFromText(inputShape_->text())); });
  loss_ = new QComboBox;
  loss_->addItems(namesOf(all_losses(), loss_name));
  connect(loss_, &QComboBox::currentIndexChanged, this, [this](int index) {
    if (index >= 0) commitTopField("loss", loss_->itemText(index).toStdString());
  });
  optimizerType_ = new QComboBox;
  optimizerType_->addItems(namesOf(all_optimizers(), optimizer_name));
  connect(optimizerType_, &QComboBox::currentIndexChanged, this, [this](int index) {
    if (index >= 0) commitTopField("optimizer.type", optimizerType_->itemText(index).toStdString());
  });
  learningRate_ = new QDoubleSpinBox;
  learningRate_->setDecimals(6);
  learningRate_->setRange(0.0, 1000.0);  // 0 is typeable so the validator can explain it
  learningRate_->setSingleStep(0.001);
  learningRate_->setKeyboardTracking(false);
  connect(learningRate_, &QDoubleSpinBox::valueChanged, this,
          [this](double value) { commitTopField("optimizer.learning_rate", value); });

  topEditors_ = {{"name", modelName_}, {"input.shape", inputShape_}, {"loss", loss_},
                 {"optimizer.type", optimizerType_}, {"optimizer.learning_rate", learningRate_}};

  auto* box = new QGroupBox(tr("Model"));
  auto* layout = new QHBoxLayout(box);
  auto* left = new QFormLayout;
  left->addRow(tr("Name"), modelName_);
  left->addRow(tr("Input shape"), inputShape_);
  auto* right = new QFormLayout;
  right->addRow(tr("Loss"), loss_);
  auto* optimizerRow = new QHBoxLayout;
  optimizerRow->addWidget(optimizerType_);
  optimizerRow->addWidget(new QLabel(tr("learning rate")));
  optimizerRow->addWidget(learningRate_);
  right->addRow(tr("Optimizer"), optimizerRow);
  layout->addLayout(left, 1);
  layout->addLayout(right, 1);
  return box;
}

QWidget* ModelBuilderWidget::buildLayerPanel() {
  layerTable_ = new QTableWidget(0, ColumnCount);
  layerTable_->setHorizontalHeaderLabels({tr("Name"), tr("Type"), tr("Inputs"), tr("Settings"), tr("Output shape"),
                                          tr("Parameters"), tr("FLOPs")});
  layerTable_->setEditTriggers(QAbstractItemView::NoEditTriggers);  // edited in the field editor
  layerTable_->setSelectionBehavior(QAbstractItemView::SelectRows);
  layerTable_->setSelectionMode(QAbstractItemView::SingleSelection);
  layerTable_->verticalHeader()->setVisible(false);
  layerTable_->horizontalHeader()->setSectionResizeMode(SettingsColumn, QHeaderView::Stretch);
  connect(layerTable_, &QTableWidget::currentCellChanged, this, [this] {
    refreshButtons();
    refreshLayerEditor();
    graphView_->setCurrentLayer(currentLayer());
  });
  graphView_ = new ModelGraphView;
  connect(graphView_, &ModelGraphView::layerClicked, this, &ModelBuilderWidget::selectLayer);
  layerViews_ = new QTabWidget;
  layerViews_->addTab(layerTable_, tr("Table"));
  layerViews_->addTab(graphView_, tr("Graph"));
  totalsLabel_ = new QLabel;
  graphNote_ = new QLabel(tr("This model is a graph (its layers name their inputs): edit its layers' settings here; "
                             "adding, removing and moving layers works on chains only, so edit the graph's JSON for that."));
  graphNote_->setWordWrap(true);
  graphNote_->setVisible(false);

  auto* panel = new QWidget;
  auto* layout = new QVBoxLayout(panel);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(layerViews_, 1);
  layout->addWidget(totalsLabel_);
  layout->addWidget(graphNote_);
  layout->addWidget(buildLayerButtons());
  return panel;
}

QWidget* ModelBuilderWidget::buildLayerButtons() {
  newLayerType_ = new QComboBox;
  newLayerType_->addItems(chainLayerTypeNames());
  addButton_ = new QPushButton(tr("Add"));
  removeButton_ = new QPushButton(tr("Remove"));
  upButton_ = new QPushButton(tr("Up"));
  downButton_ = new QPushButton(tr("Down"));
  connect(addButton_, &QPushButton::clicked, this, &ModelBuilderWidget::addLayer);
  connect(removeButton_, &QPushButton::clicked, this, &ModelBuilderWidget::removeLayer);
  connect(upButton_, &QPushButton::clicked, this, [this] { moveCurrentLayer(-1); });
  connect(downButton_, &QPushButton::clicked, this, [this] { moveCurrentLayer(+1); });

  auto* row = new QWidget;
  auto* layout = new QHBoxLayout(row);
  layout->setContentsMargins(0, 0, 0, 0);
  for (QWidget* w : std::initializer_list<QWidget*>{newLayerType_, addButton_, removeButton_, upButton_, downButton_})
    layout->addWidget(w);
  layout->addStretch(1);
  return row;
}

// ---------------------------------------------------------------------------
// Document -> widgets

int ModelBuilderWidget::currentLayer() const {
  const int row = layerTable_->currentRow();
  return row >= 0 && row < document_->layerCount() ? row : -1;
}

void ModelBuilderWidget::selectLayer(int index) {
  if (index >= 0 && index < layerTable_->rowCount()) layerTable_->setCurrentCell(index, NameColumn);
}

void ModelBuilderWidget::refresh() {
  refreshing_ = true;
  refreshPresetBar();
  refreshTable();
  graphView_->showSpec(document_->validSpec());
  graphView_->setCurrentLayer(currentLayer());
  refreshTotals();
  refreshTopFields();
  refreshing_ = false;
  refreshButtons();
  refreshLayerEditor();
  errorLabel_->setText(document_->errorText());
}

// A zoo preset is sized by its input and classes, the paper's by depth and width.
void ModelBuilderWidget::showPresetSizes() {
  const PresetInfo& preset = preset_info(presetCombo_->currentText().toStdString());
  depthSpin_->setEnabled(preset.sized_by_depth_width);
  widthSpin_->setEnabled(preset.sized_by_depth_width);
  inputSizeSpin_->setEnabled(!preset.sized_by_depth_width);
  classesSpin_->setEnabled(!preset.sized_by_depth_width);
}

// The preset bar shows what the model was built from (after an import, an
// undo or a workspace load too); a model no preset names leaves it as it is.
void ModelBuilderWidget::refreshPresetBar() {
  const std::optional<ModelSpec> spec = document_->validSpec();
  const std::optional<PresetChoice> choice = spec ? preset_of(*spec) : std::nullopt;
  presetState_->setText(choice ? QString() : tr("(the model is not a preset: choosing one replaces it, undoably)"));
  if (!choice) return;
  syncingPresetBar_ = true;
  presetCombo_->setCurrentText(QString::fromStdString(choice->name));
  showPresetSizes();
  if (preset_info(choice->name).sized_by_depth_width) {
    depthSpin_->setValue(static_cast<int>(choice->options.depth));
    widthSpin_->setValue(static_cast<int>(choice->options.width));
  } else {
    inputSizeSpin_->setValue(static_cast<int>(choice->options.input_size));
    classesSpin_->setValue(static_cast<int>(choice->options.classes));
  }
  syncingPresetBar_ = false;
}

void ModelBuilderWidget::refreshTable() {
  const QSignalBlocker blocker(layerTable_);
  const int keep = layerTable_->currentRow();
  const int count = document_->layerCount();
  const json& layers = layersOf(document_->specJson());
  const QStringList names = document_->layerNames();
  const QVector<SpecDocument::LayerRow> rows = document_->rows();
  layerTable_->setRowCount(count);
  for (int i = 0; i < count; ++i) {
    const json& layer = layers[size_t(i)];
    const QString type = layer.is_object() && layer.contains("type") ? jsonText(layer["type"]) : QString();
    const bool costed = i < rows.size();
    const QString dash = QString::fromUtf8("\u2014");
    const QStringList cells = {names.value(i), type, costed ? rows[i].inputs : dash, settingsSummary(layer, type),
                               costed ? rows[i].outputShape : dash, costed ? withThousands(rows[i].params) : dash,
                               costed ? withThousands(rows[i].flops) : dash};
    const QString error = document_->layerError(i);
    for (int column = 0; column < ColumnCount; ++column) {
      auto* item = new QTableWidgetItem(cells[column]);
      if (column >= ParamsColumn) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      if (!error.isEmpty()) item->setBackground(kInvalidRowColor);
      item->setToolTip(error);
      layerTable_->setItem(i, column, item);
    }
  }
  if (count > 0) layerTable_->setCurrentCell(std::clamp(keep, 0, count - 1), NameColumn);
}

void ModelBuilderWidget::refreshTotals() {
  if (document_->isValid())
    totalsLabel_->setText(tr("Total: %1 parameters, %2 FLOPs per sample (forward)")
                              .arg(withThousands(document_->totalParams()), withThousands(document_->totalFlops())));
  else
    totalsLabel_->setText(tr("Total: \u2014 (fix the spec first)"));
}

void ModelBuilderWidget::refreshButtons() {
  const int current = currentLayer();
  const int count = document_->layerCount();
  const bool chain = !document_->isGraph();  // never turn a graph into a chain by moving its layers
  graphNote_->setVisible(!chain);
  addButton_->setEnabled(chain);
  removeButton_->setEnabled(chain && current >= 0);
  upButton_->setEnabled(chain && current > 0);
  downButton_->setEnabled(chain && current >= 0 && current + 1 < count);
}

void ModelBuilderWidget::refreshTopFields() {
  const json& spec = document_->specJson();
  auto field = [&](const char* key) { return spec.is_object() && spec.contains(key) ? spec[key] : json(); };
  const json optimizer = field("optimizer");
  const json optimizerType = optimizer.is_object() ? optimizer.value("type", json()) : optimizer;
  std::optional<OptimizerKind> kind =
      optimizerType.is_string() ? parse_optimizer(optimizerType.get<std::string>()) : std::nullopt;
  json learningRate = optimizer.is_object() ? optimizer.value("learning_rate", json()) : json();
  if (learningRate.is_null() && kind) learningRate = default_optimizer_config(*kind).learning_rate;
  const json input = field("input");

  const QVector<std::pair<QString, json>> values = {
      {"name", field("name")},
      {"loss", field("loss").is_null() ? json(loss_name(Loss::categorical_crossentropy)) : field("loss")},
      {"optimizer.type", optimizerType},
      {"optimizer.learning_rate", learningRate}};
  for (const auto& [path, value] : values) {
    const QSignalBlocker blocker(topEditors_[path]);
    setEditorValue(topEditors_[path], value);
  }
  if (!inputShape_->hasFocus())
    inputShape_->setText(shapeText(input.is_object() ? input.value("shape", json()) : json()));
  for (auto it = topEditors_.begin(); it != topEditors_.end(); ++it)
    markField(it.value(), document_->topFieldError(it.key()));
}

void ModelBuilderWidget::refreshLayerEditor() {
  const int index = currentLayer();
  const json& layers = layersOf(document_->specJson());
  const json layer = index >= 0 ? layers[size_t(index)] : json();
  const QString type = layer.is_object() && layer.contains("type") ? jsonText(layer["type"]) : QString();
  if (index < 0 || type != layerEditorType_ || !layerEditorPanel_) rebuildLayerEditor(index < 0 ? QString() : type);
  layerEditorBox_->setTitle(index < 0 ? tr("Layer") : tr("Layer %1").arg(document_->layerNames().value(index)));
  layerEditorBox_->setEnabled(index >= 0);
  if (index < 0) return;

  refreshing_ = true;
  if (auto* typeEditor = layerEditors_.value("type")) {
    const QSignalBlocker blocker(typeEditor);
    setEditorValue(typeEditor, layer.value("type", json()));
    markField(typeEditor, document_->fieldError(index, "type"));
  }
  for (const LayerField& field : layerFieldsOf(type)) {
    QWidget* editor = layerEditors_.value(field.key);
    const QSignalBlocker blocker(editor);
    const json value = layerFieldValue(layer, field);
    const bool list = field.kind == LayerFieldKind::integerList;
    setEditorValue(editor, list ? json(integerListText(value).toStdString()) : value);
    markField(editor, document_->fieldError(index, field.key));
  }
  if (auto* nameEditor = qobject_cast<QLineEdit*>(layerEditors_.value("name")))
    nameEditor->setPlaceholderText(document_->layerNames().value(index));  // the default name core gives
  refreshing_ = false;
}

// Editors are rebuilt only when the field set changes, so typing in one is
// never interrupted by its own edit.
void ModelBuilderWidget::rebuildLayerEditor(const QString& type) {
  if (layerEditorPanel_) {
    layerEditorPanel_->hide();
    layerEditorPanel_->deleteLater();  // may be the sender of the edit being handled
  }
  layerEditors_.clear();
  layerEditorType_ = type;
  layerEditorPanel_ = new QWidget;
  auto* form = new QFormLayout(layerEditorPanel_);
  layerEditorBox_->layout()->addWidget(layerEditorPanel_);
  if (currentLayer() < 0) return;

  auto* typeCombo = new QComboBox;
  typeCombo->addItems(layerTypeNames());
  connect(typeCombo, &QComboBox::currentIndexChanged, this, [this, typeCombo](int index) {
    if (index >= 0) commitLayerField("type", typeCombo->itemText(index).toStdString());
  });
  layerEditors_["type"] = typeCombo;
  form->addRow(tr("type"), typeCombo);
  for (const LayerField& field : layerFieldsOf(type)) {
    QWidget* editor = createLayerEditor(field);
    layerEditors_[field.key] = editor;
    form->addRow(field.key, editor);
  }
}

QWidget* ModelBuilderWidget::createLayerEditor(const LayerField& field) {
  const QString key = field.key;
  switch (field.kind) {
    case LayerFieldKind::text: {
      auto* edit = new QLineEdit;
      connect(edit, &QLineEdit::editingFinished, this, [this, edit, key] {
        commitLayerField(key, edit->text().isEmpty() ? json() : json(edit->text().toStdString()));
      });
      return edit;
    }
    case LayerFieldKind::integer: {
      auto* spin = new QSpinBox;
      spin->setRange(int(field.minimum), int(field.maximum));
      spin->setSingleStep(int(field.step));
      spin->setKeyboardTracking(false);
      connect(spin, &QSpinBox::valueChanged, this, [this, key](int value) { commitLayerField(key, value); });
      return spin;
    }
    case LayerFieldKind::number: {
      auto* spin = new QDoubleSpinBox;
      spin->setDecimals(field.decimals);
      spin->setRange(field.minimum, field.maximum);
      spin->setSingleStep(field.step);
      spin->setKeyboardTracking(false);
      connect(spin, &QDoubleSpinBox::valueChanged, this, [this, key](double value) { commitLayerField(key, value); });
      return spin;
    }
    case LayerFieldKind::boolean: {
      auto* check = new QCheckBox;
      connect(check, &QCheckBox::toggled, this, [this, key](bool on) { commitLayerField(key, on); });
      return check;
    }
    case LayerFieldKind::integerList: {
      auto* edit = new QLineEdit;
      edit->setPlaceholderText(field.placeholder);
      const int square = field.squareLength;
      // Empty text removes the key: core's default, or the validator asks for it.
      connect(edit, &QLineEdit::editingFinished, this,
              [this, edit, key, square] { commitLayerField(key, integerListFromText(edit->text(), square)); });
      return edit;
    }
    case LayerFieldKind::activation:
    case LayerFieldKind::initializer:
    case LayerFieldKind::choice: {
      auto* combo = new QComboBox;
      if (field.kind == LayerFieldKind::activation)
        combo->addItems(namesOf(all_activations(), activation_name));
      else if (field.kind == LayerFieldKind::initializer)
        combo->addItems(namesOf(all_initializers(), initializer_name));
      else
        combo->addItems(field.choices);
      connect(combo, &QComboBox::currentIndexChanged, this, [this, combo, key](int index) {
        if (index >= 0) commitLayerField(key, combo->itemText(index).toStdString());
      });
      return combo;
    }
  }
  return new QWidget;
}

// ---------------------------------------------------------------------------
// Widgets -> document

void ModelBuilderWidget::commitLayerField(const QString& field, const json& value) {
  const int index = currentLayer();
  if (refreshing_ || index < 0) return;
  document_->setLayerField(index, field, value);
}

void ModelBuilderWidget::commitTopField(const QString& path, const json& value) {
  if (!refreshing_) document_->setTopField(path, value);
}

void ModelBuilderWidget::setPresetText(const std::optional<SpecDocument::TextShape>& text) {
  presetText_ = text;
  applyPresetButton_->setToolTip(
      text ? tr("paper-rnn reads the loaded text: windows of %1 characters, vocabulary %2")
                 .arg(text->window)
                 .arg(text->vocabulary)
           : tr("paper-rnn reads windows of %1 characters over a vocabulary of %2 (load a text to fit it)")
                 .arg(SpecDocument::TextShape{}.window)
                 .arg(SpecDocument::TextShape{}.vocabulary));
}

void ModelBuilderWidget::applyPreset() {
  presetMessage_->clear();
  try {
    const QString name = presetCombo_->currentText();
    if (preset_info(name.toStdString()).sized_by_depth_width)
      document_->applyPreset(name, depthSpin_->value(), widthSpin_->value(), presetText_);
    else
      document_->applyZooPreset(name, inputSizeSpin_->value(), classesSpin_->value());
  } catch (const std::exception& e) {
    presetMessage_->setText(QString::fromStdString(e.what()));
  }
}

void ModelBuilderWidget::addLayer() {
  const QString type = newLayerType_->currentText();
  const int current = currentLayer();
  const int index = current >= 0 ? current + 1 : document_->layerCount();
  // The shape the new layer receives, when the spec is valid (a reshape starts there).
  std::optional<Shape> input;
  if (const std::optional<ModelSpec> spec = document_->validSpec())
    input = index == 0 ? spec->input_shape : infer_output_shapes(*spec)[size_t(index - 1)];
  json layer = newLayerJson(type, input ? &*input : nullptr);
  layer["name"] = document_->unusedLayerName(type).toStdString();
  document_->addLayer(index, layer);
  selectLayer(index);
}

void ModelBuilderWidget::removeLayer() {
  const int current = currentLayer();
  if (current < 0) return;
  document_->removeLayer(current);
  selectLayer(std::min(current, document_->layerCount() - 1));
}

void ModelBuilderWidget::moveCurrentLayer(int delta) {
  const int current = currentLayer();
  const int target = current + delta;
  if (current < 0 || target < 0 || target >= document_->layerCount()) return;
  document_->moveLayer(current, target);
  selectLayer(target);
}

void ModelBuilderWidget::runFileAction(const QString& title, const std::function<void()>& action) {
  try {
    action();
  } catch (const std::exception& e) {
    QMessageBox::warning(this, title, QString::fromStdString(e.what()));
  }
}

}  // namespace gapscope::ui

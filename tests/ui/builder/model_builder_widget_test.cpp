// ModelBuilderWidget driven through its widgets, as a user would: presets,
// the layer table, per-field editors (every layer type), inline errors, undo/redo.
#include <catch2/catch.hpp>

#include <QUndoStack>

#include <QAction>
#include <QApplication>
#include <QGraphicsScene>
#include <QMouseEvent>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>

#include "core/io/model_file.h"
#include "core/nn/initial_weights.h"
#include "core/spec/presets.h"
#include "tests/ui/builder/layer_context.h"
#include "ui/builder/layer_fields.h"
#include "ui/builder/model_builder_widget.h"
#include "ui/builder/model_graph_view.h"

namespace gapscope::test {
namespace {

using nlohmann::json;
using ui::ModelBuilderWidget;
using ui::SpecDocument;

template <typename Editor>
Editor* editorOf(ModelBuilderWidget& widget, const QString& field) {
  auto* editor = qobject_cast<Editor*>(widget.fieldEditor(field));
  INFO("field " << field.toStdString());
  REQUIRE(editor);
  return editor;
}

QString cell(ModelBuilderWidget& widget, int row, int column) {
  QTableWidgetItem* item = widget.layerTable()->item(row, column);
  return item ? item->text() : QString();
}

QStringList tableNames(ModelBuilderWidget& widget) {
  QStringList names;
  for (int row = 0; row < widget.layerTable()->rowCount(); ++row)
    names << cell(widget, row, ModelBuilderWidget::NameColumn);
  return names;
}

bool markedInvalid(QWidget* editor) { return editor->property(ModelBuilderWidget::kInvalidProperty).toBool(); }

void applyPaperDnn(ModelBuilderWidget& widget) {
  widget.presetCombo()->setCurrentText("paper-dnn");
  widget.depthSpin()->setValue(2);
  widget.widthSpin()->setValue(128);
  widget.applyPresetButton()->click();
  REQUIRE(widget.document()->isValid());
}

TEST_CASE("Builder: applying the paper DNN preset fills the table and the totals", "[builder]") {
  SpecDocument doc;
  ModelBuilderWidget widget(&doc);
  widget.depthSpin()->setValue(3);
  widget.widthSpin()->setValue(64);
  widget.applyPresetButton()->click();
  CHECK(widget.layerTable()->rowCount() == 4);
  applyPaperDnn(widget);

  REQUIRE(widget.layerTable()->rowCount() == 3);
  CHECK(tableNames(widget) == QStringList{"dense_1", "dense_2", "dense_3"});
  CHECK(cell(widget, 0, ModelBuilderWidget::TypeColumn) == "dense");
  CHECK(cell(widget, 0, ModelBuilderWidget::SettingsColumn).contains("units 128"));
  CHECK(cell(widget, 0, ModelBuilderWidget::SettingsColumn).contains("relu"));
  CHECK(cell(widget, 0, ModelBuilderWidget::OutputShapeColumn) == "[128]");
  CHECK(cell(widget, 0, ModelBuilderWidget::ParamsColumn) == "100,480");
  CHECK(cell(widget, 0, ModelBuilderWidget::FlopsColumn) == "200,704");
  CHECK(cell(widget, 2, ModelBuilderWidget::OutputShapeColumn) == "[10]");
  CHECK(cell(widget, 2, ModelBuilderWidget::ParamsColumn) == "1,290");
  CHECK(widget.totalsLabel()->text().contains("118,282"));
  CHECK(widget.totalsLabel()->text().contains("236,032"));
  CHECK(widget.errorLabel()->text().isEmpty());

  // The model-wide editors show the preset's values.
  CHECK(qobject_cast<QLineEdit*>(widget.topFieldEditor("name"))->text() == "paper-dnn-2x128");
  CHECK(qobject_cast<QLineEdit*>(widget.topFieldEditor("input.shape"))->text() == "784");
  CHECK(qobject_cast<QComboBox*>(widget.topFieldEditor("loss"))->currentText() == "categorical_crossentropy");
  CHECK(qobject_cast<QComboBox*>(widget.topFieldEditor("optimizer.type"))->currentText() == "sgd");
  CHECK(qobject_cast<QDoubleSpinBox*>(widget.topFieldEditor("optimizer.learning_rate"))->value() == Approx(0.1));
}

TEST_CASE("Builder: a preset the core refuses shows core's message", "[builder]") {
  SpecDocument doc;
  ModelBuilderWidget widget(&doc);
  CHECK(widget.presetCombo()->findText("paper-dnn") >= 0);
  widget.depthSpin()->setValue(100);
  widget.applyPresetButton()->click();
  CHECK(widget.presetMessageLabel()->text().contains("depth must be in [1, 64], got 100"));
  widget.depthSpin()->setValue(2);
  widget.applyPresetButton()->click();
  CHECK(widget.presetMessageLabel()->text().isEmpty());
}

TEST_CASE("Builder: an invalid value is marked inline; undo and redo through the actions", "[builder]") {
  SpecDocument doc;
  ModelBuilderWidget widget(&doc);
  applyPaperDnn(widget);
  CHECK(widget.undoAction()->shortcut() == QKeySequence("Ctrl+Z"));
  CHECK(widget.redoAction()->shortcuts().contains(QKeySequence("Ctrl+Shift+Z")));

  widget.selectLayer(1);
  CHECK(widget.currentLayer() == 1);
  auto* units = editorOf<QSpinBox>(widget, "units");
  CHECK(units->value() == 128);
  units->setValue(0);

  CHECK_FALSE(doc.isValid());
  CHECK(doc.fieldError(1, "units") == "layer 'dense_2': layers[1].units must be >= 1, got 0");
  CHECK(widget.errorLabel()->text() == doc.errorText());
  CHECK(markedInvalid(units));
  CHECK(units->toolTip() == doc.errorText());
  CHECK_FALSE(markedInvalid(widget.fieldEditor("activation")));
  CHECK(widget.layerTable()->item(1, ModelBuilderWidget::NameColumn)->toolTip() == doc.errorText());
  CHECK(widget.layerTable()->item(0, ModelBuilderWidget::NameColumn)->toolTip().isEmpty());
  CHECK(cell(widget, 1, ModelBuilderWidget::ParamsColumn) == QString::fromUtf8("\u2014"));

  widget.undoAction()->trigger();
  CHECK(doc.isValid());
  CHECK(units->value() == 128);
  CHECK_FALSE(markedInvalid(units));
  CHECK(units->toolTip().isEmpty());
  CHECK(widget.errorLabel()->text().isEmpty());
  CHECK(doc.totalParams() == 784 * 128 + 128 + 128 * 128 + 128 + 128 * 10 + 10);
  CHECK(widget.totalsLabel()->text().contains("118,282"));

  widget.redoAction()->trigger();
  CHECK_FALSE(doc.isValid());
  CHECK(units->value() == 0);
  CHECK(markedInvalid(units));
}

TEST_CASE("Builder: the field editor follows the layer type", "[builder]") {
  SpecDocument doc;
  ModelBuilderWidget widget(&doc);
  applyPaperDnn(widget);
  widget.selectLayer(0);

  auto* activation = editorOf<QComboBox>(widget, "activation");
  CHECK(activation->currentText() == "relu");
  CHECK(activation->findText("gelu") >= 0);
  editorOf<QComboBox>(widget, "kernel_initializer");
  auto* useBias = editorOf<QCheckBox>(widget, "use_bias");
  CHECK(useBias->isChecked());
  useBias->click();
  CHECK(doc.rows()[0].params == 784 * 128);
  CHECK(widget.fieldEditor("rate") == nullptr);

  activation->setCurrentText("tanh");
  CHECK(doc.validSpec()->layers[0].activation == Activation::tanh);
  CHECK(cell(widget, 0, ModelBuilderWidget::SettingsColumn).contains("tanh"));

  editorOf<QComboBox>(widget, "type")->setCurrentText("dropout");
  CHECK(doc.specJson()["layers"][0]["type"] == "dropout");
  CHECK(widget.fieldEditor("units") == nullptr);
  auto* rate = editorOf<QDoubleSpinBox>(widget, "rate");
  CHECK(rate->value() == Approx(0.2));
  CHECK(cell(widget, 0, ModelBuilderWidget::NameColumn) == "dropout_1");
  // A dropout first: the next dense layer sees the input.
  CHECK(cell(widget, 1, ModelBuilderWidget::ParamsColumn) == "100,480");

  rate->setValue(1.0);
  CHECK(markedInvalid(rate));
  CHECK(widget.errorLabel()->text().contains("layers[0].rate must be in [0, 1)"));

  widget.undoAction()->trigger();  // rate
  widget.undoAction()->trigger();  // type
  CHECK(widget.fieldEditor("rate") == nullptr);
  CHECK(editorOf<QSpinBox>(widget, "units")->value() == 128);
  CHECK(editorOf<QComboBox>(widget, "activation")->currentText() == "tanh");
}

TEST_CASE("Builder: add, remove and move layers with the buttons, and undo each", "[builder]") {
  SpecDocument doc;
  ModelBuilderWidget widget(&doc);
  applyPaperDnn(widget);
  widget.selectLayer(0);

  widget.newLayerTypeCombo()->setCurrentText("dropout");
  widget.addButton()->click();
  CHECK(tableNames(widget) == QStringList{"dense_1", "dropout_1", "dense_2", "dense_3"});
  CHECK(widget.currentLayer() == 1);
  CHECK(editorOf<QDoubleSpinBox>(widget, "rate")->value() == Approx(0.2));
  CHECK(cell(widget, 1, ModelBuilderWidget::OutputShapeColumn) == "[128]");

  widget.downButton()->click();
  CHECK(tableNames(widget) == QStringList{"dense_1", "dense_2", "dropout_1", "dense_3"});
  CHECK(widget.currentLayer() == 2);
  widget.upButton()->click();
  widget.upButton()->click();
  CHECK(tableNames(widget) == QStringList{"dropout_1", "dense_1", "dense_2", "dense_3"});
  CHECK_FALSE(widget.upButton()->isEnabled());

  widget.selectLayer(3);
  CHECK_FALSE(widget.downButton()->isEnabled());
  widget.removeButton()->click();
  CHECK(tableNames(widget) == QStringList{"dropout_1", "dense_1", "dense_2"});
  CHECK(widget.currentLayer() == 2);
  CHECK(doc.isValid());
  CHECK(cell(widget, 2, ModelBuilderWidget::OutputShapeColumn) == "[128]");

  widget.undoAction()->trigger();
  CHECK(tableNames(widget) == QStringList{"dropout_1", "dense_1", "dense_2", "dense_3"});
  widget.undoAction()->trigger();
  CHECK(tableNames(widget) == QStringList{"dense_1", "dropout_1", "dense_2", "dense_3"});
  widget.undoAction()->trigger();
  CHECK(tableNames(widget) == QStringList{"dense_1", "dense_2", "dropout_1", "dense_3"});
  widget.undoAction()->trigger();
  CHECK(tableNames(widget) == QStringList{"dense_1", "dropout_1", "dense_2", "dense_3"});
  widget.undoAction()->trigger();
  CHECK(tableNames(widget) == QStringList{"dense_1", "dense_2", "dense_3"});
  CHECK(widget.totalsLabel()->text().contains("118,282"));
  widget.redoAction()->trigger();
  CHECK(tableNames(widget) == QStringList{"dense_1", "dropout_1", "dense_2", "dense_3"});
}

TEST_CASE("Builder: model-wide fields edit the spec and show their errors", "[builder]") {
  SpecDocument doc;
  ModelBuilderWidget widget(&doc);
  applyPaperDnn(widget);

  qobject_cast<QComboBox*>(widget.topFieldEditor("loss"))->setCurrentText("mean_squared_error");
  CHECK(doc.specJson()["loss"] == "mean_squared_error");

  auto* learningRate = qobject_cast<QDoubleSpinBox*>(widget.topFieldEditor("optimizer.learning_rate"));
  learningRate->setValue(0.0);
  CHECK(markedInvalid(learningRate));
  CHECK(widget.errorLabel()->text().startsWith("optimizer.learning_rate must be > 0"));
  widget.undoAction()->trigger();
  CHECK_FALSE(markedInvalid(learningRate));
  CHECK(learningRate->value() == Approx(0.1));

  qobject_cast<QComboBox*>(widget.topFieldEditor("optimizer.type"))->setCurrentText("adam");
  CHECK(doc.validSpec()->optimizer.kind == OptimizerKind::adam);

  auto* inputShape = qobject_cast<QLineEdit*>(widget.topFieldEditor("input.shape"));
  inputShape->setText("784, x");
  Q_EMIT inputShape->editingFinished();
  CHECK(markedInvalid(inputShape));
  CHECK(widget.errorLabel()->text() == "input.shape[1] must be an integer, got string");
  inputShape->setText("28, 28");
  Q_EMIT inputShape->editingFinished();
  CHECK_FALSE(markedInvalid(inputShape));
  CHECK(doc.isValid());  // dense acts on the last axis
  CHECK(cell(widget, 0, ModelBuilderWidget::OutputShapeColumn) == "[28, 128]");
  // A layer whose input does not fit: the message belongs to the layer, not to a field.
  widget.selectLayer(0);
  editorOf<QComboBox>(widget, "type")->setCurrentText("conv2d");
  const QString needsImage = "conv2d needs an input [height, width, channels], got [28, 28]";
  CHECK(widget.errorLabel()->text().contains(needsImage));
  CHECK(widget.layerTable()->item(0, ModelBuilderWidget::NameColumn)->toolTip().contains(needsImage));
  CHECK_FALSE(markedInvalid(widget.fieldEditor("filters")));
  CHECK_FALSE(markedInvalid(inputShape));
  widget.undoAction()->trigger();
  CHECK(doc.isValid());
  inputShape->setText("20");
  Q_EMIT inputShape->editingFinished();
  CHECK(doc.isValid());
  CHECK(cell(widget, 0, ModelBuilderWidget::ParamsColumn) == "2,688");

  auto* name = qobject_cast<QLineEdit*>(widget.topFieldEditor("name"));
  name->setText("my model");
  Q_EMIT name->editingFinished();
  CHECK(markedInvalid(name));
  CHECK(widget.errorLabel()->text().contains("name 'my model' is invalid"));
}

// Edits one field through its editor, as a user would, and returns the value
// the editor should have written to the layer's JSON.
json editThroughWidget(ModelBuilderWidget& widget, const ui::LayerField& field, const QString& type) {
  QWidget* editor = widget.fieldEditor(field.key);
  REQUIRE(editor);
  switch (field.kind) {
    case ui::LayerFieldKind::text: {
      auto* line = qobject_cast<QLineEdit*>(editor);
      REQUIRE(line);
      line->setText("edited_" + type);
      Q_EMIT line->editingFinished();
      return ("edited_" + type).toStdString();
    }
    case ui::LayerFieldKind::integer: {
      auto* spin = qobject_cast<QSpinBox*>(editor);
      REQUIRE(spin);
      const int next = spin->value() + 1;
      spin->setValue(next);
      return next;
    }
    case ui::LayerFieldKind::number: {
      auto* spin = qobject_cast<QDoubleSpinBox*>(editor);
      REQUIRE(spin);
      // A field whose default is null (relu's max_value: no cap) starts empty; 6 is a value it takes.
      REQUIRE(spin->value() >= 0);
      spin->setValue(spin->value() > 0 ? spin->value() / 2 : 6.0);
      return spin->value();
    }
    case ui::LayerFieldKind::boolean: {
      auto* check = qobject_cast<QCheckBox*>(editor);
      REQUIRE(check);
      const bool next = !check->isChecked();
      check->click();
      return next;
    }
    case ui::LayerFieldKind::activation:
    case ui::LayerFieldKind::initializer:
    case ui::LayerFieldKind::choice: {
      auto* combo = qobject_cast<QComboBox*>(editor);
      REQUIRE(combo);
      REQUIRE(combo->count() >= 2);
      REQUIRE(combo->currentIndex() >= 0);  // the layer's value, or core's default, is listed
      const int next = (combo->currentIndex() + 1) % combo->count();
      combo->setCurrentIndex(next);
      return combo->itemText(next).toStdString();
    }
    case ui::LayerFieldKind::integerList: {
      auto* line = qobject_cast<QLineEdit*>(editor);
      REQUIRE(line);
      // A single size stands for a square; other lists are taken as typed.
      line->setText(field.squareLength == 2 ? "3" : "2, 3");
      Q_EMIT line->editingFinished();
      return field.squareLength == 2 ? json({3, 3}) : json({2, 3});
    }
  }
  FAIL("unknown field kind");
  return {};
}

TEST_CASE("Builder: every layer type a chain takes can be added, and each of its fields edited through its editor",
          "[builder]") {
  for (const QString& type : ui::chainLayerTypeNames()) {
    INFO("layer type " << type.toStdString());
    SpecDocument doc;
    doc.load(layerContextSpec(type));
    ModelBuilderWidget widget(&doc);
    widget.selectLayer(0);
    REQUIRE(widget.newLayerTypeCombo()->findText(type) >= 0);
    widget.newLayerTypeCombo()->setCurrentText(type);
    widget.addButton()->click();
    REQUIRE(widget.currentLayer() == 1);
    const int index = layerContextIndex(type);
    if (index == 0) widget.upButton()->click();  // an embedding must come first
    REQUIRE(widget.currentLayer() == index);
    CHECK(cell(widget, index, ModelBuilderWidget::TypeColumn) == type);
    CHECK(editorOf<QComboBox>(widget, "type")->currentText() == type);
    {
      INFO(doc.errorText().toStdString());
      CHECK(doc.isValid());  // a new layer is valid where it fits
    }
    for (const ui::LayerField& field : ui::layerFieldsOf(type)) {
      INFO("field " << field.key.toStdString());
      const json expected = editThroughWidget(widget, field, type);
      const json& layer = doc.specJson()["layers"][index];
      REQUIRE(layer.contains(field.key.toStdString()));
      if (field.kind == ui::LayerFieldKind::number)
        CHECK(layer[field.key.toStdString()].get<double>() == Approx(expected.get<double>()));
      else
        CHECK(layer[field.key.toStdString()] == expected);
      CHECK(widget.currentLayer() == index);
    }
    CHECK(cell(widget, index, ModelBuilderWidget::NameColumn) == "edited_" + type);
  }
}

TEST_CASE("Builder: list and choice editors show the layer's values and core's defaults", "[builder]") {
  SpecDocument doc;
  doc.load(layerContextSpec("conv2d"));
  ModelBuilderWidget widget(&doc);
  widget.selectLayer(0);
  widget.newLayerTypeCombo()->setCurrentText("conv2d");
  widget.addButton()->click();
  REQUIRE(widget.currentLayer() == 1);
  CHECK(editorOf<QLineEdit>(widget, "kernel_size")->text() == "5, 5");
  CHECK(editorOf<QLineEdit>(widget, "strides")->text() == "1, 1");  // core's default, not written
  CHECK_FALSE(doc.specJson()["layers"][1].contains("strides"));
  auto* padding = editorOf<QComboBox>(widget, "padding");
  CHECK(padding->currentText() == "valid");
  CHECK(padding->count() == 2);
  CHECK(cell(widget, 1, ModelBuilderWidget::OutputShapeColumn) == "[24, 24, 8]");

  padding->setCurrentText("same");
  CHECK(doc.specJson()["layers"][1]["padding"] == "same");
  CHECK(cell(widget, 1, ModelBuilderWidget::OutputShapeColumn) == "[28, 28, 8]");

  // A bad list is marked on its editor with the validator's message.
  auto* kernel = editorOf<QLineEdit>(widget, "kernel_size");
  kernel->setText("5, x");
  Q_EMIT kernel->editingFinished();
  CHECK(doc.specJson()["layers"][1]["kernel_size"] == json({5, "x"}));
  CHECK(markedInvalid(kernel));
  // The message names the layer as the user knows it, then the field.
  CHECK(widget.errorLabel()->text().startsWith(QString("layer '%1': layers[1].kernel_size").arg(cell(widget, 1, ModelBuilderWidget::NameColumn))));
  widget.undoAction()->trigger();
  CHECK(kernel->text() == "5, 5");
  CHECK_FALSE(markedInvalid(kernel));

  // Pooling strides follow the pool size until they are set.
  widget.newLayerTypeCombo()->setCurrentText("max_pooling2d");
  widget.addButton()->click();
  REQUIRE(widget.currentLayer() == 2);
  auto* poolSize = editorOf<QLineEdit>(widget, "pool_size");
  auto* strides = editorOf<QLineEdit>(widget, "strides");
  CHECK(poolSize->text() == "2, 2");
  CHECK(strides->text() == "2, 2");
  poolSize->setText("4");
  Q_EMIT poolSize->editingFinished();
  CHECK(doc.specJson()["layers"][2]["pool_size"] == json({4, 4}));
  CHECK(strides->text() == "4, 4");
  CHECK(cell(widget, 2, ModelBuilderWidget::OutputShapeColumn) == "[7, 7, 8]");
  strides->setText("2");
  Q_EMIT strides->editingFinished();
  CHECK(cell(widget, 2, ModelBuilderWidget::SettingsColumn) == QString::fromUtf8("[4, 4] \u00b7 strides [2, 2]"));
  strides->clear();  // empty: back to the default
  Q_EMIT strides->editingFinished();
  CHECK_FALSE(doc.specJson()["layers"][2].contains("strides"));
  CHECK(strides->text() == "4, 4");
}

TEST_CASE("Builder: the settings column summarises every layer kind", "[builder]") {
  const QString dot = QString::fromUtf8(" \u00b7 ");
  SpecDocument doc;
  doc.load({{"format", "gapscope.model/1"},
            {"input", {{"shape", {28, 28, 1}}}},
            {"layers",
             {{{"type", "conv2d"}, {"filters", 8}, {"kernel_size", {5, 5}}, {"activation", "relu"}},
              {{"type", "conv2d"},
               {"filters", 16},
               {"kernel_size", {3, 3}},
               {"strides", {2, 2}},
               {"padding", "same"},
               {"activation", "relu"}},
              {{"type", "max_pooling2d"}, {"pool_size", {2, 2}}, {"strides", {2, 2}}},
              {{"type", "average_pooling2d"}, {"pool_size", {2, 2}}, {"strides", {1, 1}}},
              {{"type", "batch_normalization"}},
              {{"type", "batch_normalization"}, {"momentum", 0.9}},
              {{"type", "reshape"}, {"target_shape", {5, 5, 16}}},
              {{"type", "flatten"}},
              {{"type", "dense"}, {"units", 10}, {"activation", "softmax"}}}}});
  INFO(doc.errorText().toStdString());
  CHECK(doc.isValid());
  ModelBuilderWidget widget(&doc);
  REQUIRE(widget.layerTable()->rowCount() == 9);
  auto summary = [&](int row) { return cell(widget, row, ModelBuilderWidget::SettingsColumn); };
  CHECK(summary(0) == "filters 8" + dot + "[5, 5]" + dot + "relu");
  CHECK(summary(1) == "filters 16" + dot + "[3, 3]" + dot + "strides [2, 2]" + dot + "padding same" + dot + "relu");
  CHECK(summary(2) == "[2, 2]");  // strides = pool size is the default
  CHECK(summary(3) == "[2, 2]" + dot + "strides [1, 1]");
  CHECK(summary(4).isEmpty());
  CHECK(summary(5) == "momentum 0.9");
  CHECK(summary(6) == "[5, 5, 16]");
  CHECK(summary(7).isEmpty());
  CHECK(cell(widget, 0, ModelBuilderWidget::OutputShapeColumn) == "[24, 24, 8]");
  CHECK(cell(widget, 1, ModelBuilderWidget::OutputShapeColumn) == "[12, 12, 16]");
  CHECK(cell(widget, 8, ModelBuilderWidget::OutputShapeColumn) == "[10]");

  doc.load({{"format", "gapscope.model/1"},
            {"input", {{"shape", {40}}}},
            {"layers",
             {{{"type", "embedding"}, {"input_dim", 1000}, {"output_dim", 32}},
              {{"type", "simple_rnn"}, {"units", 16}, {"return_sequences", true}},
              {{"type", "gru"}, {"units", 32}, {"return_sequences", true}, {"activation", "relu"}},
              {{"type", "lstm"}, {"units", 64}},
              {{"type", "dense"}, {"units", 10}, {"activation", "softmax"}}}}});
  INFO(doc.errorText().toStdString());
  CHECK(doc.isValid());
  CHECK(summary(0) == "input_dim 1000" + dot + "output_dim 32");
  CHECK(summary(1) == "units 16" + dot + "tanh" + dot + "return_sequences");
  CHECK(summary(2) == "units 32" + dot + "relu" + dot + "return_sequences");
  CHECK(summary(3) == "units 64" + dot + "tanh");
  CHECK(cell(widget, 3, ModelBuilderWidget::OutputShapeColumn) == "[64]");
}

TEST_CASE("Builder: the CNN and RNN presets come from core; paper-rnn fits the loaded text", "[builder]") {
  SpecDocument doc;
  ModelBuilderWidget widget(&doc);
  for (const char* preset : {"paper-dnn", "paper-cnn", "paper-rnn"})
    CHECK(widget.presetCombo()->findText(preset) >= 0);

  widget.presetCombo()->setCurrentText("paper-cnn");
  widget.depthSpin()->setValue(2);
  widget.widthSpin()->setValue(8);
  widget.applyPresetButton()->click();
  INFO(widget.presetMessageLabel()->text().toStdString());
  REQUIRE(doc.isValid());
  const QString dot = QString::fromUtf8(" \u00b7 ");
  CHECK(tableNames(widget) ==
        QStringList{"conv2d_1", "max_pooling2d_1", "conv2d_2", "max_pooling2d_2", "flatten_1", "dense_1"});
  CHECK(cell(widget, 0, ModelBuilderWidget::SettingsColumn) == "filters 8" + dot + "[5, 5]" + dot + "relu");
  CHECK(cell(widget, 0, ModelBuilderWidget::ParamsColumn) == "208");
  CHECK(cell(widget, 1, ModelBuilderWidget::SettingsColumn) == "[2, 2]");
  CHECK(cell(widget, 2, ModelBuilderWidget::SettingsColumn) ==
        "filters 8" + dot + "[5, 5]" + dot + "padding same" + dot + "relu");
  CHECK(cell(widget, 3, ModelBuilderWidget::OutputShapeColumn) == "[6, 6, 8]");
  CHECK(qobject_cast<QLineEdit*>(widget.topFieldEditor("input.shape"))->text() == "28, 28, 1");

  widget.presetCombo()->setCurrentText("paper-rnn");
  widget.depthSpin()->setValue(2);
  widget.widthSpin()->setValue(64);
  widget.applyPresetButton()->click();
  REQUIRE(doc.isValid());
  CHECK(qobject_cast<QLineEdit*>(widget.topFieldEditor("input.shape"))->text() == "40, 96");
  CHECK(cell(widget, 0, ModelBuilderWidget::SettingsColumn) == "units 64" + dot + "tanh" + dot + "return_sequences");
  CHECK(cell(widget, 1, ModelBuilderWidget::SettingsColumn) == "units 64" + dot + "tanh");

  widget.setPresetText(SpecDocument::TextShape{30, 71});
  CHECK(widget.applyPresetButton()->toolTip().contains("vocabulary 71"));
  widget.applyPresetButton()->click();
  REQUIRE(doc.isValid());
  CHECK(qobject_cast<QLineEdit*>(widget.topFieldEditor("input.shape"))->text() == "30, 71");
  CHECK(cell(widget, 2, ModelBuilderWidget::OutputShapeColumn) == "[71]");
}

TEST_CASE("Builder: a zoo preset is sized by its input and classes, undoably, and shows as a graph", "[builder]") {
  SpecDocument doc;
  ModelBuilderWidget widget(&doc);
  for (const char* preset : {"mobilenet", "mobilenet-v2", "resnet50", "inception-v3", "densenet121", "xception"})
    CHECK(widget.presetCombo()->findText(preset) >= 0);
  CHECK(widget.depthSpin()->isEnabled());
  CHECK_FALSE(widget.inputSizeSpin()->isEnabled());

  widget.presetCombo()->setCurrentText("inception-v3");
  CHECK_FALSE(widget.depthSpin()->isEnabled());
  CHECK_FALSE(widget.widthSpin()->isEnabled());
  CHECK(widget.inputSizeSpin()->isEnabled());
  CHECK(widget.inputSizeSpin()->value() == 299);  // Keras's default for the model
  widget.presetCombo()->setCurrentText("resnet50");
  CHECK(widget.inputSizeSpin()->value() == 224);

  widget.inputSizeSpin()->setValue(31);
  widget.applyPresetButton()->click();
  CHECK(widget.presetMessageLabel()->text().contains("input size must be at least 32"));
  widget.inputSizeSpin()->setValue(64);
  widget.classesSpin()->setValue(10);
  widget.applyPresetButton()->click();
  INFO(widget.presetMessageLabel()->text().toStdString());
  REQUIRE(doc.isValid());
  CHECK(qobject_cast<QLineEdit*>(widget.topFieldEditor("input.shape"))->text() == "64, 64, 3");
  const int rows = widget.layerTable()->rowCount();
  CHECK(cell(widget, rows - 1, ModelBuilderWidget::NameColumn) == "predictions");
  CHECK(cell(widget, rows - 1, ModelBuilderWidget::OutputShapeColumn) == "[10]");
  CHECK(cell(widget, rows - 1, ModelBuilderWidget::InputsColumn) == "avg_pool");
  CHECK(widget.totalsLabel()->text().contains("23,608,202"));  // 25,636,712 with 10 classes instead of 1000
  CHECK(doc.undoStack()->undoText() == "Apply preset resnet50 at 64x64, 10 classes");
  // Each choice applied at once, one undo step each; the preset bar follows the undo.
  doc.undoStack()->undo();
  CHECK(widget.classesSpin()->value() == 1000);
  CHECK(widget.inputSizeSpin()->value() == 64);
  while (doc.undoStack()->canUndo()) doc.undoStack()->undo();
  CHECK(qobject_cast<QLineEdit*>(widget.topFieldEditor("input.shape"))->text() == "784");
  CHECK(widget.presetCombo()->currentText() == "paper-dnn");
  CHECK(widget.depthSpin()->isEnabled());
}

TEST_CASE("Builder: a preset, depth or width applies at once; the bar follows imports and undo", "[builder]") {
  SpecDocument doc;
  ModelBuilderWidget widget(&doc);
  CHECK(widget.presetCombo()->currentText() == "paper-dnn");
  CHECK(widget.depthSpin()->value() == 2);
  CHECK(widget.widthSpin()->value() == 128);
  CHECK_FALSE(widget.depthSpin()->keyboardTracking());  // typing "64" is one step, not "6" then "64"

  widget.widthSpin()->setValue(64);
  CHECK(doc.specJson()["name"] == "paper-dnn-2x64");
  CHECK(doc.undoStack()->undoText() == "Apply preset paper-dnn 2x64");
  widget.presetCombo()->setCurrentText("paper-cnn");
  CHECK(doc.specJson()["name"] == "paper-cnn-2x64");
  doc.undoStack()->undo();
  CHECK(widget.presetCombo()->currentText() == "paper-dnn");
  CHECK(widget.widthSpin()->value() == 64);

  // An imported model that is no preset says so; the bar keeps its values until one is chosen.
  QTemporaryDir dir;
  const QString path = dir.filePath("model.json");
  ModelSpec custom = paper_dnn(1, 16);
  custom.name = "my-model";
  save_model(path.toStdString(), ModelFile{custom, initial_weights(custom, 1)}, ModelFormat::tfjs_layers);
  doc.importTfjs(path);
  CHECK(doc.specJson()["name"] == "my-model");
  bool says_custom = false;
  for (QLabel* label : widget.findChildren<QLabel*>()) says_custom = says_custom || label->text().contains("not a preset");
  CHECK(says_custom);
  // The import is one undo step; undo brings the preset (and its bar) back.
  CHECK(doc.undoStack()->undoText() == "Import model.json");
  doc.undoStack()->undo();
  CHECK(doc.specJson()["name"] == "paper-dnn-2x64");
  CHECK(widget.widthSpin()->value() == 64);
}

}  // namespace
TEST_CASE("Builder: a graph shows what each layer takes; its layers are edited, never moved into a chain",
          "[builder][graph]") {
  SpecDocument doc;
  ModelBuilderWidget widget(&doc);
  doc.load(json::parse(R"({"format": "gapscope.model/2", "name": "residual", "input": {"shape": [8], "name": "x"},
    "layers": [{"type": "dense", "name": "a", "units": 8, "activation": "relu"},
               {"type": "dense", "name": "b", "units": 8},
               {"type": "add", "name": "sum", "inputs": ["x", "b"]},
               {"type": "dense", "name": "out", "units": 3, "activation": "softmax"}]})"));
  REQUIRE(doc.isValid());
  CHECK(cell(widget, 0, ModelBuilderWidget::InputsColumn) == "x");
  CHECK(cell(widget, 2, ModelBuilderWidget::InputsColumn) == "x, b");
  CHECK(cell(widget, 3, ModelBuilderWidget::InputsColumn) == "sum");
  CHECK(cell(widget, 2, ModelBuilderWidget::OutputShapeColumn) == "[8]");
  CHECK(cell(widget, 3, ModelBuilderWidget::ParamsColumn) == "27");
  CHECK_FALSE(widget.graphNoteLabel()->isHidden());
  widget.layerTable()->setCurrentCell(1, ModelBuilderWidget::NameColumn);
  for (QPushButton* button : {widget.addButton(), widget.removeButton(), widget.upButton(), widget.downButton()})
    CHECK_FALSE(button->isEnabled());
  // A field edit keeps the graph.
  editorOf<QSpinBox>(widget, "units")->setValue(8);
  widget.layerTable()->setCurrentCell(3, ModelBuilderWidget::NameColumn);
  editorOf<QSpinBox>(widget, "units")->setValue(5);
  CHECK(doc.specJson()["layers"][3]["units"] == 5);
  CHECK(doc.specJson()["layers"][2]["inputs"] == json::array({"x", "b"}));
  CHECK(doc.isValid());
  // The Graph tab draws it: the input and each layer a box, in columns by
  // distance from the input; an arrow per input; a click selects the layer.
  ui::ModelGraphView* graph = widget.graphView();
  widget.layerViews()->setCurrentWidget(graph);
  REQUIRE(graph->boxes().size() == 5);
  CHECK(graph->boxes()[0].text == "x (input)\n[8]");
  CHECK(graph->boxes()[3].text == "sum (add)\n[8]");
  CHECK(graph->boxes()[4].text == "out (dense)\n[5]");
  QVector<int> columns;
  for (const auto& box : graph->boxes()) columns.append(box.column);
  CHECK(columns == QVector<int>{0, 1, 2, 3, 4});
  CHECK(graph->arrows() == QVector<QPair<int, int>>{{0, 1}, {1, 2}, {0, 3}, {2, 3}, {3, 4}});
  graph->resize(1400, 500);
  graph->fitInView(graph->scene()->sceneRect());
  const QPointF at = graph->mapFromScene(graph->layerCentre(1));
  QMouseEvent press(QEvent::MouseButtonPress, at, graph->viewport()->mapToGlobal(at), Qt::LeftButton, Qt::LeftButton,
                    Qt::NoModifier);
  QApplication::sendEvent(graph->viewport(), &press);
  CHECK(widget.currentLayer() == 1);
  // Invalid: no boxes, a line saying why.
  editorOf<QSpinBox>(widget, "units")->setValue(0);
  CHECK(graph->boxes().isEmpty());
  widget.undoAction()->trigger();
  CHECK(graph->boxes().size() == 5);
  // A chain again: the buttons come back.
  doc.load(json::parse(R"({"format": "gapscope.model/1", "input": {"shape": [8]}, "layers": [{"type": "dense", "units": 3}]})"));
  CHECK(widget.graphNoteLabel()->isHidden());
  CHECK(widget.addButton()->isEnabled());
}

}  // namespace gapscope::test

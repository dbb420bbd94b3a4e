// ModelBuilderWidget driven through its widgets, as a user would: presets,
// the layer table, per-field editors, inline errors, undo/redo.
#include <catch2/catch.hpp>

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>

#include "ui/builder/model_builder_widget.h"

namespace gapscope::test {
namespace {

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
  CHECK(doc.fieldError(1, "units") == "layers[1].units must be >= 1, got 0");
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
  CHECK(widget.errorLabel()->text().contains("rank-1 input"));
  CHECK(widget.layerTable()->item(0, ModelBuilderWidget::NameColumn)->toolTip().contains("rank-1 input"));
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

}  // namespace
}  // namespace gapscope::test

// ModelBuilderWidget: edits a SpecDocument. Presets with depth/width, a layer
// table with core's shapes, parameters and FLOPs (and the same layers drawn as
// a graph), a field editor built from the
// layer type's field table, model-wide fields (name, input, loss, optimizer),
// and the validator's message shown inline on the field it names.
#pragma once
#include <functional>
#include <optional>

#include <QMap>
#include <QString>
#include <QWidget>

#include "ui/builder/spec_document.h"

class QAction;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTabWidget;
class QTableWidget;

namespace gapscope::ui {

class ModelGraphView;

class ModelBuilderWidget : public QWidget {
  Q_OBJECT

 public:
  enum Column { NameColumn, TypeColumn, InputsColumn, SettingsColumn, OutputShapeColumn, ParamsColumn, FlopsColumn,
                ColumnCount };
  // Dynamic property set to true on an editor whose field the validator rejects.
  static constexpr const char* kInvalidProperty = "invalid";

  explicit ModelBuilderWidget(SpecDocument* document, QWidget* parent = nullptr);

  SpecDocument* document() const { return document_; }
  int currentLayer() const;  // -1 when no layer is selected
  void selectLayer(int index);

  // Presets.
  QComboBox* presetCombo() const { return presetCombo_; }
  QSpinBox* depthSpin() const { return depthSpin_; }
  QSpinBox* widthSpin() const { return widthSpin_; }
  // The zoo presets' sizes (enabled for a zoo preset; depth and width for the paper's).
  QSpinBox* inputSizeSpin() const { return inputSizeSpin_; }
  QSpinBox* classesSpin() const { return classesSpin_; }
  QPushButton* applyPresetButton() const { return applyPresetButton_; }
  QLabel* presetMessageLabel() const { return presetMessage_; }  // why a preset was refused
  // The loaded text data, which the paper-rnn preset is then built for
  // (window and vocabulary); nullopt: core's defaults.
  void setPresetText(const std::optional<SpecDocument::TextShape>& text);
  std::optional<SpecDocument::TextShape> presetText() const { return presetText_; }

  // Layers.
  QTableWidget* layerTable() const { return layerTable_; }
  // The layers as a table or as a graph (boxes and arrows), in two tabs.
  QTabWidget* layerViews() const { return layerViews_; }
  ModelGraphView* graphView() const { return graphView_; }
  QLabel* totalsLabel() const { return totalsLabel_; }
  QComboBox* newLayerTypeCombo() const { return newLayerType_; }
  QPushButton* addButton() const { return addButton_; }
  QPushButton* removeButton() const { return removeButton_; }
  QPushButton* upButton() const { return upButton_; }
  QPushButton* downButton() const { return downButton_; }
  QLabel* graphNoteLabel() const { return graphNote_; }  // why layers cannot be added or moved
  // The selected layer's editor for a field ("type", "name", "units",
  // "activation", "use_bias", "rate", "kernel_size", "padding", ...); null if
  // that layer has no such field. Integer lists are line edits ("5, 5").
  QWidget* fieldEditor(const QString& field) const { return layerEditors_.value(field); }
  // "name", "input.shape", "loss", "optimizer.type", "optimizer.learning_rate".
  QWidget* topFieldEditor(const QString& path) const { return topEditors_.value(path); }

  // The validator's message; empty while the spec is valid.
  QLabel* errorLabel() const { return errorLabel_; }

  QAction* undoAction() const { return undoAction_; }  // Ctrl+Z
  QAction* redoAction() const { return redoAction_; }  // Ctrl+Shift+Z (and Ctrl+Y)
  // File actions ask for a path with a dialog and report errors in a message box.
  QAction* openAction() const { return openAction_; }
  QAction* saveAction() const { return saveAction_; }
  QAction* importAction() const { return importAction_; }

 private:
  QWidget* buildPresetRow();
  QWidget* buildFileRow();
  QWidget* buildModelFields();
  QWidget* buildLayerPanel();
  QWidget* buildLayerButtons();

  void refresh();
  void refreshTable();
  void refreshPresetBar();
  void showPresetSizes();
  void refreshTotals();
  void refreshButtons();
  void refreshLayerEditor();
  void refreshTopFields();
  void rebuildLayerEditor(const QString& type);
  QWidget* createLayerEditor(const LayerField& field);

  void commitLayerField(const QString& field, const nlohmann::json& value);
  void commitTopField(const QString& path, const nlohmann::json& value);
  void applyPreset();
  void addLayer();
  void removeLayer();
  void moveCurrentLayer(int delta);
  void runFileAction(const QString& title, const std::function<void()>& action);

  SpecDocument* document_;
  std::optional<SpecDocument::TextShape> presetText_;
  bool refreshing_ = false;  // editors being set from the document, not by the user
  bool syncingPresetBar_ = false;  // the preset bar being set from the document: apply nothing
  QLabel* presetState_ = nullptr;  // says when the model is no preset (imported, opened)

  QComboBox* presetCombo_ = nullptr;
  QSpinBox* depthSpin_ = nullptr;
  QSpinBox* widthSpin_ = nullptr;
  QSpinBox* inputSizeSpin_ = nullptr;
  QSpinBox* classesSpin_ = nullptr;
  QPushButton* applyPresetButton_ = nullptr;
  QLabel* presetMessage_ = nullptr;

  QTableWidget* layerTable_ = nullptr;
  QTabWidget* layerViews_ = nullptr;
  ModelGraphView* graphView_ = nullptr;
  QLabel* totalsLabel_ = nullptr;
  QComboBox* newLayerType_ = nullptr;
  QPushButton* addButton_ = nullptr;
  QPushButton* removeButton_ = nullptr;
  QPushButton* upButton_ = nullptr;
  QPushButton* downButton_ = nullptr;
  QLabel* graphNote_ = nullptr;

  QGroupBox* layerEditorBox_ = nullptr;
  QWidget* layerEditorPanel_ = nullptr;  // replaced when the selected layer's type changes
  QString layerEditorType_;
  QMap<QString, QWidget*> layerEditors_;
  QMap<QString, QWidget*> topEditors_;
  QLineEdit* modelName_ = nullptr;
  QLineEdit* inputShape_ = nullptr;
  QComboBox* loss_ = nullptr;
  QComboBox* optimizerType_ = nullptr;
  QDoubleSpinBox* learningRate_ = nullptr;

  QLabel* errorLabel_ = nullptr;
  QAction* undoAction_ = nullptr;
  QAction* redoAction_ = nullptr;
  QAction* openAction_ = nullptr;
  QAction* saveAction_ = nullptr;
  QAction* importAction_ = nullptr;
};

}  // namespace gapscope::ui

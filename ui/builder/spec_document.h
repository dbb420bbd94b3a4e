// SpecDocument: the model builder's model, without widgets. It holds the spec
// being edited as JSON (gapscope.model/1, possibly invalid while the user
// edits), makes every edit undoable, and re-validates with core after each
// change, so the GUI shows the validator's own messages and core's own sizes.
#pragma once
#include <optional>

#include <QObject>
#include <QString>
#include <QStringList>
#include <QVector>

#include <nlohmann/json.hpp>

#include "core/nn/weights.h"
#include "core/spec/model_spec.h"
#include "ui/builder/layer_fields.h"

class QUndoStack;

namespace gapscope::ui {

class SpecDocument : public QObject {
  Q_OBJECT

 public:
  // One layer of a valid spec, as core computes it.
  struct LayerRow {
    QString name, type, outputShape;
    QString inputs;  // what it takes, by name: "conv_1, bn_3"
    qint64 params = 0, flops = 0;
  };

  // Starts with the paper DNN, depth 2, width 128 (the builder's preset defaults).
  explicit SpecDocument(QObject* parent = nullptr);
  ~SpecDocument() override;

  const nlohmann::json& specJson() const { return json_; }
  // Replaces the spec and clears the undo history (a new document).
  void load(const nlohmann::json& spec);
  QUndoStack* undoStack() const { return undoStack_; }

  // The text a character-level preset (paper-rnn) reads: windows of `window`
  // characters, one-hot over `vocabulary` (the loaded corpus's).
  struct TextShape {
    qint64 window = 40;
    qint64 vocabulary = 96;
    bool operator==(const TextShape&) const = default;
  };
  // Undoable. Throws std::runtime_error with core's message for bad depth/width.
  // With `text`, paper-rnn is built for that text instead of core's defaults.
  void applyPreset(const QString& name, int depth, int width, const std::optional<TextShape>& text = std::nullopt);
  // A zoo preset (core/spec/zoo.h) at an input side (0: Keras's default) and
  // a number of classes. Undoable; std::runtime_error with core's message.
  void applyZooPreset(const QString& name, qint64 inputSize, qint64 classes);

  // Undoable edits. Indexes out of range throw std::out_of_range. A null value
  // removes the key (e.g. a layer's name, to take the default one).
  void addLayer(int index, const nlohmann::json& layer);
  void removeLayer(int index);
  void moveLayer(int from, int to);  // `to` is the layer's index afterwards
  // Setting "type" keeps the fields that still apply, adds the new type's
  // initial ones, and renames a default-looking name ("dense_2" -> "dropout_1").
  void setLayerField(int index, const QString& field, const nlohmann::json& value);
  // "name", "loss", "input.shape", "optimizer.type", "optimizer.<field>".
  // Changing "optimizer.type" drops the fields the new optimizer does not take.
  void setTopField(const QString& path, const nlohmann::json& value);

  int layerCount() const;
  // Layers name their inputs (or the input has a name): a graph. The builder
  // edits its layers' fields but does not add, remove or move layers in it.
  bool isGraph() const;
  // Each layer's name, or the default core would give it ("<type>_<n>").
  QStringList layerNames() const;
  // "<type>_<n>" with the smallest n no layer uses (for new layers).
  QString unusedLayerName(const QString& type) const;

  // Validation (core's parse_model_spec) of the current spec.
  bool isValid() const { return spec_.has_value(); }
  std::optional<ModelSpec> validSpec() const { return spec_; }
  QString errorText() const { return errorText_; }  // the validator's message; empty if valid
  // The field path the message starts with ("layers[2].units"); empty when
  // the message names no field (e.g. the training-memory limit).
  QString errorPath() const { return errorPath_; }
  // The message if it concerns this field (or a part of it), else empty.
  QString fieldError(int layer, const QString& field) const;
  // The message if it concerns this layer at all (any field, or its input).
  QString layerError(int layer) const;
  // The message if it concerns this top-level path ("input.shape" also
  // matches "input.shape[0]"), else empty.
  QString topFieldError(const QString& path) const;

  // Per layer, for a valid spec; sums equal the totals. For an invalid chain,
  // the layers before the broken one (their shapes stay readable).
  QVector<LayerRow> rows() const { return rows_; }
  qint64 totalParams() const { return totalParams_; }
  qint64 totalFlops() const { return totalFlops_; }

  // Files. Errors throw std::runtime_error with a message naming the file.
  // Saving refuses an invalid spec (a spec file must open again).
  void saveSpec(const QString& path) const;
  // Opening and importing are one undo step each, like any edit.
  void openSpec(const QString& path);
  // A TF.js model.json (or any model file core reads); keeps its weights.
  // Returns the file's notes: settings read but not used (a regularizer, a
  // frozen layer), for the user to see.
  QStringList importTfjs(const QString& modelJsonPath);
  // The imported weights while they still fit the spec (same names and
  // shapes: undoing an edit makes them fit again); cleared by load, open
  // and the next import.
  std::optional<WeightSet> importedWeights() const;

 Q_SIGNALS:
  void changed();

 private:
  void pushEdit(const QString& text, nlohmann::json after, const QString& mergeKey = {});
  void replaceSpec(const nlohmann::json& spec);  // no undo; validates and signals
  void validate();
  void costLayers(const ModelSpec& spec);
  void costLayersBefore(int broken);

  nlohmann::json json_;
  QUndoStack* undoStack_;
  std::optional<ModelSpec> spec_;
  QString errorText_, errorPath_;
  QVector<LayerRow> rows_;
  qint64 totalParams_ = 0, totalFlops_ = 0;
  std::optional<WeightSet> imported_;
};

}  // namespace gapscope::ui

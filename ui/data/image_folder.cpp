#include "ui/data/image_folder.h"

#include <QDir>
#include <QImage>
#include <QImageReader>
#include <QSet>

namespace gapscope::ui {
namespace {

struct Found {
  QStringList files;
  std::vector<int32_t> labels;
  std::vector<std::string> class_names;
};

// Files Qt has a reader for, by suffix, in name order.
QStringList images_in(const QDir& dir) {
  static const QStringList patterns = [] {
    QStringList list;
    for (const QByteArray& format : QImageReader::supportedImageFormats())
      list << "*." + QString::fromLatin1(format);
    return list;
  }();
  QStringList names = dir.entryList(patterns, QDir::Files | QDir::Readable, QDir::Name | QDir::IgnoreCase);
  for (QString& name : names) name = dir.filePath(name);
  return names;
}

Found find_images(const QString& folder) {
  const QDir root(folder);
  if (!root.exists()) throw DataError(folder.toStdString() + ": no such folder");
  Found found;
  const QStringList subfolders = root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
  for (const QString& sub : subfolders) {
    const QStringList files = images_in(QDir(root.filePath(sub)));
    if (files.isEmpty()) continue;
    const auto label = static_cast<int32_t>(found.class_names.size());
    found.class_names.push_back(sub.toStdString());
    found.files << files;
    found.labels.insert(found.labels.end(), static_cast<size_t>(files.size()), label);
  }
  if (found.files.isEmpty()) {
    found.files = images_in(root);
    found.labels.assign(static_cast<size_t>(found.files.size()), 0);
    found.class_names = {root.dirName().toStdString()};
  }
  if (found.files.isEmpty())
    throw DataError(folder.toStdString() + ": no images in the folder or its subfolders (readable formats: " +
                    QImageReader::supportedImageFormats().join(", ").toStdString() + ")");
  return found;
}

// One image, scaled and converted, appended to out as H x W x C floats in [0, 1].
void decode(const QString& file, const ImageShape& shape, std::vector<float>& out) {
  QImageReader reader(file);
  reader.setAutoTransform(true);  // a photo's EXIF orientation, as viewers show it
  QImage image = reader.read();
  if (image.isNull()) throw DataError(file.toStdString() + ": cannot read the image: " + reader.errorString().toStdString());
  image = image.scaled(static_cast<int>(shape.width), static_cast<int>(shape.height), Qt::IgnoreAspectRatio,
                       Qt::SmoothTransformation)
              .convertToFormat(shape.channels == 3 ? QImage::Format_RGB888 : QImage::Format_Grayscale8);
  const int64_t row = shape.width * shape.channels;
  for (int y = 0; y < image.height(); ++y) {
    const uchar* line = image.constScanLine(y);
    for (int64_t i = 0; i < row; ++i) out.push_back(static_cast<float>(line[i]) / 255.0f);
  }
}

}  // namespace

Dataset load_image_folder(const QString& folder, const ImageShape& shape, const DataLimits& limits,
                          const std::function<bool(int64_t, int64_t)>& progress) {
  if (!shape.valid())
    throw DataError(folder.toStdString() + ": images are read as 1 to " + std::to_string(kMaxImageSide) +
                    " pixels a side with 1 (grey) or 3 (RGB) channels, asked for " + std::to_string(shape.height) +
                    "x" + std::to_string(shape.width) + "x" + std::to_string(shape.channels));
  Found found = find_images(folder);
  const auto count = static_cast<int64_t>(found.files.size());
  if (count > limits.max_samples)
    throw DataError(folder.toStdString() + ": " + std::to_string(count) + " images, more than the limit of " +
                    std::to_string(limits.max_samples));
  const int64_t values = shape.height * shape.width * shape.channels;
  require_memory_for(folder.toStdString() + ":", count, values, limits);
  Dataset data;
  data.name = folder.toStdString();
  data.sample_shape = {shape.height, shape.width, shape.channels};
  data.image_height = shape.height;
  data.image_width = shape.width;
  data.classes = static_cast<int64_t>(found.class_names.size());
  data.class_names = std::move(found.class_names);
  data.labels = std::move(found.labels);
  data.features.reserve(static_cast<size_t>(count * values));
  for (int64_t i = 0; i < count; ++i) {
    decode(found.files[static_cast<int>(i)], shape, data.features);
    if (progress && !progress(i + 1, count)) throw DataError(folder.toStdString() + ": cancelled");
  }
  return data;
}

}  // namespace gapscope::ui

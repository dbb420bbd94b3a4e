// A folder of images (PNG, JPEG, anything Qt's image readers read) as labelled
// data, for models whose input is an image of any size (the zoo's 224x224x3).
// Classes: one per subfolder, in name order, as Keras's
// image_dataset_from_directory labels them; images lying in the folder itself
// (no subfolders with images) are one class. Each image is scaled to the
// asked height x width without keeping its aspect ratio, smoothly (bilinear),
// as Keras resizes by default, and converted to RGB (3 channels) or grey (1);
// values in [0, 1], stored H x W x C as every image dataset here.
#pragma once
#include <cstdint>
#include <functional>

#include <QString>

#include "core/data/dataset.h"

namespace gapscope::ui {

inline constexpr int64_t kMaxImageSide = 4096;

struct ImageShape {
  int64_t height = 224, width = 224, channels = 3;
  bool operator==(const ImageShape&) const = default;
  // Sides 1 to kMaxImageSide, 1 (grey) or 3 (RGB) channels.
  bool valid() const {
    return height >= 1 && width >= 1 && height <= kMaxImageSide && width <= kMaxImageSide &&
           (channels == 1 || channels == 3);
  }
};

// Throws DataError naming the folder (no images, a shape out of range, more
// than limits.max_samples images, more than the memory there is) or the file
// that cannot be read with the reader's reason. `progress(done, total)` is
// called after each image; returning false cancels (DataError "cancelled").
Dataset load_image_folder(const QString& folder, const ImageShape& shape, const DataLimits& limits = {},
                          const std::function<bool(int64_t, int64_t)>& progress = {});

}  // namespace gapscope::ui

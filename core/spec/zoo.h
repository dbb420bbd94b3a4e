// The model zoo: Keras's applications (include_top) as its code builds them,
// with Keras's layer names and weight shapes, so a converted Keras model's
// weights fit them. Their weights are drawn, as for every preset: inference
// and training time do not depend on the values.
#pragma once
#include <cstdint>

#include "core/spec/model_spec.h"

namespace gapscope {

// Keras's default and smallest input sides.
constexpr int64_t kZooDefaultInput = 224, kZooSmallestInput = 32;
constexpr int64_t kInceptionDefaultInput = 299, kInceptionSmallestInput = 75;
constexpr int64_t kXceptionDefaultInput = 299, kXceptionSmallestInput = 71;

// Input [input_size, input_size, 3] (Keras's default and smallest: 224 and 32,
// InceptionV3 299 and 75, Xception 299 and 71) and `classes` softmax outputs; SpecError for an input
// below the smallest or classes below 1.

// keras.applications.MobileNet (V1, alpha 1, depth multiplier 1): 4,253,864
// parameters at 224 / 1000.
ModelSpec mobilenet_v1(int64_t input_size = kZooDefaultInput, int64_t classes = 1000);
// keras.applications.MobileNetV2 (alpha 1): 3,538,984 parameters at 224 / 1000.
ModelSpec mobilenet_v2(int64_t input_size = kZooDefaultInput, int64_t classes = 1000);
// keras.applications.ResNet50: 25,636,712 parameters at 224 / 1000.
ModelSpec resnet50(int64_t input_size = kZooDefaultInput, int64_t classes = 1000);
// keras.applications.DenseNet121: 8,062,504 parameters at 224 / 1000.
ModelSpec densenet121(int64_t input_size = kZooDefaultInput, int64_t classes = 1000);
// keras.applications.InceptionV3 (299 by default, 75 at least): 23,851,784
// parameters at 299 / 1000.
ModelSpec inception_v3(int64_t input_size = kInceptionDefaultInput, int64_t classes = 1000);
// keras.applications.Xception (Keras's default input 299): 22,910,480
// parameters at 299 / 1000.
ModelSpec xception(int64_t input_size = kXceptionDefaultInput, int64_t classes = 1000);

}  // namespace gapscope

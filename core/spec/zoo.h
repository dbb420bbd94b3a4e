// The model zoo: Keras's applications (include_top) as its code builds them,
// with Keras's layer names and weight shapes, so a converted Keras model's
// weights fit them. Their weights are drawn, as for every preset: inference
// and training time do not depend on the values.
#pragma once
#include <cstdint>

#include "core/spec/model_spec.h"

namespace gapscope {

// Input [input_size, input_size, 3] (Keras: at least 32; 224 by default) and
// `classes` softmax outputs; SpecError for an input below 32 or classes below 1.

// keras.applications.MobileNet (V1, alpha 1, depth multiplier 1): 4,253,864
// parameters at 224 / 1000.
ModelSpec mobilenet_v1(int64_t input_size = 224, int64_t classes = 1000);
// keras.applications.ResNet50: 25,636,712 parameters at 224 / 1000.
ModelSpec resnet50(int64_t input_size = 224, int64_t classes = 1000);
// keras.applications.DenseNet121: 8,062,504 parameters at 224 / 1000.
ModelSpec densenet121(int64_t input_size = 224, int64_t classes = 1000);

}  // namespace gapscope

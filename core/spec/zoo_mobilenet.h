// MobileNet (V1, alpha 1, depth multiplier 1) as Keras's applications build it
// (keras.applications.MobileNet, include_top): Keras's layer names and weight
// shapes, so a converted Keras model's weights fit it. The first model of the
// zoo (issue "The model zoo"); its weights are drawn, as for every preset.
#pragma once
#include <cstdint>

#include "core/spec/model_spec.h"

namespace gapscope {

// Input [input_size, input_size, 3] (Keras: at least 32; 224 by default),
// `classes` softmax outputs. 224 and 1000 give Keras's 4,253,864 parameters.
// SpecError for an input below 32 or classes below 1.
ModelSpec mobilenet_v1(int64_t input_size = 224, int64_t classes = 1000);

}  // namespace gapscope

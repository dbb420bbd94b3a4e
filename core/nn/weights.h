// Named weight arrays: how weights travel between the engine, model files and
// the browser. Names follow TF.js ("dense_1/kernel", "dense_1/bias").
#pragma once
#include <string>
#include <vector>

#include "core/tensor/tensor.h"

namespace gapscope {

struct NamedArray {
  std::string name;
  Shape shape;
  std::vector<float> values;  // row-major, element_count(shape) values
};

using WeightSet = std::vector<NamedArray>;

}  // namespace gapscope

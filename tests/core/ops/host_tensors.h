// Moving test data between std::vector and backend tensors.
#pragma once
#include <vector>

#include "core/ops/ops_backend.h"

namespace gapscope::test {

inline Tensor to_tensor(OpsBackend& ops, const Shape& shape, const std::vector<float>& values) {
  Tensor t = ops.allocate(shape);
  ops.upload(t, values);
  return t;
}

inline std::vector<float> to_vector(OpsBackend& ops, const Tensor& t) {
  std::vector<float> v(static_cast<size_t>(t.size()));
  ops.download(t, v);
  return v;
}

inline float scalar_of(OpsBackend& ops, const Tensor& t) { return to_vector(ops, t).at(0); }

}  // namespace gapscope::test

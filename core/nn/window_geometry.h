// The per-sample geometry of conv2d and pooling layers over channels-last
// images [H, W, C], with TF's output sizes and padding:
//   valid: out = floor((in - k) / stride) + 1, no padding
//   same:  out = ceil(in / stride), pad_total = max((out - 1) * stride + k - in, 0),
//          pad_top = pad_total / 2 (the odd pixel goes bottom/right)
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/ops/ops_backend.h"
#include "core/spec/model_spec.h"

namespace gapscope {

// batch is left 0 (set per call). Throws std::invalid_argument naming the layer
// when the input is not [H, W, C], window or strides are not two positive
// sizes, or a valid window is larger than the image. Empty strides mean
// `default_strides`. A dilation (conv2d's dilation_rate; empty: [1, 1]) sizes
// the output and padding as TF does, by the window's dilated extent
// (k - 1) * d + 1.
WindowGeometry window_geometry(const std::string& layer, const Shape& input,
                               const std::vector<int64_t>& window,
                               const std::vector<int64_t>& strides,
                               const std::vector<int64_t>& default_strides, Padding padding,
                               const std::vector<int64_t>& dilation = {});

// The same geometry for `batch` samples.
inline WindowGeometry with_batch(WindowGeometry g, int64_t batch) {
  g.batch = batch;
  return g;
}

}  // namespace gapscope

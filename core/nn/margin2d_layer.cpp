#include "core/nn/margin2d_layer.h"

namespace gapscope {

ImageMargins image_margins(const std::vector<int64_t>& m) {
  return {m.size() > 0 ? m[0] : 0, m.size() > 1 ? m[1] : 0, m.size() > 2 ? m[2] : 0, m.size() > 3 ? m[3] : 0};
}

namespace {

Shape with_margins(const Shape& image, const ImageMargins& m, int64_t sign) {
  return {image.at(0) + sign * (m.top + m.bottom), image.at(1) + sign * (m.left + m.right), image.at(2)};
}

}  // namespace

Margin2dLayer::Margin2dLayer(const LayerSpec& spec, const Shape& input_shape, Kind kind)
    : Layer(spec.name, input_shape, with_margins(input_shape, image_margins(spec.margins), kind == Kind::pad ? 1 : -1)),
      kind_(kind),
      margins_(image_margins(spec.margins)) {}

void Margin2dLayer::reserve(OpsBackend& ops, int64_t max_batch) {
  if (!y_.empty() && y_.dim(0) >= max_batch) return;
  y_ = ops.allocate(batched(max_batch, output_shape()));
  dx_ = ops.allocate(batched(max_batch, input_shape()));
  rows_ = ops.allocate({max_batch, big_shape()[0], small_shape()[1], big_shape()[2]});
}

void Margin2dLayer::pad(OpsBackend& ops, const Tensor& small, Tensor& big) {
  const int64_t batch = small.dim(0), h = small_shape()[0], w = small_shape()[1], c = small_shape()[2];
  const int64_t big_h = big_shape()[0], big_w = big_shape()[1];
  Tensor rows = rows_.rows(0, batch);
  ops.fill(rows, 0.0f);
  Tensor rows_matrix = rows.reshaped({batch, big_h * w * c});
  ops.copy_columns(small.reshaped({batch, h * w * c}), 0, rows_matrix, margins_.top * w * c, h * w * c);
  Tensor big_matrix = big.reshaped({batch * big_h, big_w * c});
  ops.fill(big_matrix, 0.0f);
  ops.copy_columns(rows.reshaped({batch * big_h, w * c}), 0, big_matrix, margins_.left * c, w * c);
}

void Margin2dLayer::crop(OpsBackend& ops, const Tensor& big, Tensor& small) {
  const int64_t batch = big.dim(0), h = small_shape()[0], w = small_shape()[1], c = small_shape()[2];
  const int64_t big_h = big_shape()[0], big_w = big_shape()[1];
  Tensor rows = rows_.rows(0, batch);
  Tensor row_matrix = rows.reshaped({batch * big_h, w * c});
  ops.copy_columns(big.reshaped({batch * big_h, big_w * c}), margins_.left * c, row_matrix, 0, w * c);
  Tensor small_matrix = small.reshaped({batch, h * w * c});
  ops.copy_columns(rows.reshaped({batch, big_h * w * c}), margins_.top * w * c, small_matrix, 0, h * w * c);
}

Tensor Margin2dLayer::forward(OpsBackend& ops, const Tensor& x_in, const ForwardContext&) {
  const int64_t batch = x_in.dim(0);
  const Tensor x = x_in.reshaped(batched(batch, input_shape()));
  Tensor y = first_rows(y_, batch);
  if (kind_ == Kind::pad)
    pad(ops, x, y);
  else
    crop(ops, x, y);
  return y;
}

Tensor Margin2dLayer::backward(OpsBackend& ops, const Tensor& x, const Tensor& dy_in, bool need_dx) {
  if (!need_dx) return {};
  const int64_t batch = x.dim(0);
  const Tensor dy = dy_in.reshaped(batched(batch, output_shape()));
  Tensor dx = first_rows(dx_, batch);
  if (kind_ == Kind::pad)
    crop(ops, dy, dx);
  else
    pad(ops, dy, dx);
  return dx;
}

}  // namespace gapscope

#include "core/nn/up_sampling2d_layer.h"

#include <stdexcept>

namespace gapscope {
namespace {

Shape upsampled(const LayerSpec& spec, const Shape& input) {
  if (input.size() != 3 || spec.upsampling_size.size() != 2 || spec.upsampling_size[0] < 1 ||
      spec.upsampling_size[1] < 1)
    throw std::invalid_argument("layer '" + spec.name + "': up_sampling2d needs an [H, W, C] input and size [sh, sw] >= 1");
  return {input[0] * spec.upsampling_size[0], input[1] * spec.upsampling_size[1], input[2]};
}

}  // namespace

UpSampling2dLayer::UpSampling2dLayer(const LayerSpec& spec, const Shape& input_shape)
    : Layer(spec.name, input_shape, upsampled(spec, input_shape)),
      sh_(spec.upsampling_size.at(0)),
      sw_(spec.upsampling_size.at(1)) {}

void UpSampling2dLayer::reserve(OpsBackend& ops, int64_t max_batch) {
  if (!y_.empty() && y_.dim(0) >= max_batch) return;
  y_ = ops.allocate(batched(max_batch, output_shape()));
  dx_ = ops.allocate(batched(max_batch, input_shape()));
}

Tensor UpSampling2dLayer::forward(OpsBackend& ops, const Tensor& x, const ForwardContext&) {
  Tensor y = first_rows(y_, x.dim(0));
  ops.upsample_nearest_forward(sh_, sw_, x.reshaped(batched(x.dim(0), input_shape())), y);
  return y;
}

Tensor UpSampling2dLayer::backward(OpsBackend& ops, const Tensor& x, const Tensor& dy, bool need_dx) {
  if (!need_dx) return {};
  Tensor dx = first_rows(dx_, x.dim(0));
  ops.upsample_nearest_backward(sh_, sw_, dy.reshaped(batched(x.dim(0), output_shape())), dx);
  return dx;
}

}  // namespace gapscope

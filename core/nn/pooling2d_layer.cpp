#include "core/nn/pooling2d_layer.h"

#include "core/nn/window_geometry.h"

namespace gapscope {
namespace {

// Keras/TF.js pooling: empty strides mean the pool size.
WindowGeometry pool_geometry(const LayerSpec& spec, const Shape& input_shape) {
  return window_geometry(spec.name, input_shape, spec.pool_size, spec.strides, spec.pool_size,
                         spec.padding);
}

}  // namespace

Pooling2dLayer::Pooling2dLayer(const LayerSpec& spec, const Shape& input_shape, PoolKind kind)
    : Pooling2dLayer(spec.name, input_shape,
                     [&] {
                       WindowGeometry g = pool_geometry(spec, input_shape);
                       return Shape{g.out_h, g.out_w, g.channels};
                     }(),
                     kind, pool_geometry(spec, input_shape)) {}

Pooling2dLayer::Pooling2dLayer(const std::string& name, const Shape& input_shape, Shape output_shape, PoolKind kind,
                               const WindowGeometry& geometry)
    : Layer(name, input_shape, std::move(output_shape)), kind_(kind), geometry_(geometry) {}

// The whole image is one window: [H, W, C] -> [C].
std::unique_ptr<Pooling2dLayer> Pooling2dLayer::global(const LayerSpec& spec, const Shape& input_shape,
                                                       PoolKind kind) {
  const std::vector<int64_t> whole = {input_shape.at(0), input_shape.at(1)};
  const WindowGeometry g = window_geometry(spec.name, input_shape, whole, {1, 1}, {1, 1}, Padding::valid);
  return std::unique_ptr<Pooling2dLayer>(new Pooling2dLayer(spec.name, input_shape, {g.channels}, kind, g));
}

void Pooling2dLayer::reserve(OpsBackend& ops, int64_t max_batch) {
  if (!y_.empty() && y_.dim(0) >= max_batch) return;
  y_ = ops.allocate(batched(max_batch, output_shape()));
  dx_ = ops.allocate(batched(max_batch, input_shape()));
}

// x [B, H, W, C] -> y [B, OH, OW, C]
Tensor Pooling2dLayer::forward(OpsBackend& ops, const Tensor& x_in, const ForwardContext&) {
  const int64_t batch = x_in.dim(0);
  Tensor y = first_rows(y_, batch);
  Tensor windows = y.reshaped(window_output(batch));
  ops.pool_forward(kind_, with_batch(geometry_, batch), x_in.reshaped(batched(batch, input_shape())), windows);
  return y;
}

// dy [B, OH, OW, C] -> dx [B, H, W, C]: max routes dy to the window's (first) maximum,
// average spreads dy / count over the in-image taps.
Tensor Pooling2dLayer::backward(OpsBackend& ops, const Tensor& x_in, const Tensor& dy_in,
                                bool need_dx) {
  if (!need_dx) return {};
  const int64_t batch = x_in.dim(0);
  Tensor dx = first_rows(dx_, batch);
  ops.pool_backward(kind_, with_batch(geometry_, batch), x_in.reshaped(batched(batch, input_shape())),
                    first_rows(y_, batch).reshaped(window_output(batch)), dy_in.reshaped(window_output(batch)), dx);
  return dx;
}

}  // namespace gapscope

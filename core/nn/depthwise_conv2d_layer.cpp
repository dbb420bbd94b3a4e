#include "core/nn/depthwise_conv2d_layer.h"

#include "core/base/initializer.h"
#include "core/base/random.h"
#include "core/nn/window_geometry.h"

namespace gapscope {
namespace {

WindowGeometry depthwise_geometry(const LayerSpec& spec, const Shape& input_shape) {
  return window_geometry(spec.name, input_shape, spec.kernel_size, spec.strides, {1, 1}, spec.padding);
}

}  // namespace

DepthwiseConv2dLayer::DepthwiseConv2dLayer(const LayerSpec& spec, const Shape& input_shape, OpsBackend& ops)
    : Layer(spec.name, input_shape,
            [&] {
              const WindowGeometry g = depthwise_geometry(spec, input_shape);
              return Shape{g.out_h, g.out_w, g.channels * spec.depth_multiplier};
            }()),
      activation_(spec.activation),
      use_bias_(spec.use_bias),
      kernel_initializer_(spec.kernel_initializer),
      bias_initializer_(spec.bias_initializer),
      geometry_(depthwise_geometry(spec, input_shape)) {
  const WindowGeometry& g = geometry_;
  kernel_.name = spec.name + "/depthwise_kernel";
  kernel_.value = ops.allocate({g.kernel_h, g.kernel_w, g.channels, spec.depth_multiplier});
  kernel_.grad = ops.allocate(kernel_.value.shape());
  if (use_bias_) {
    bias_.name = spec.name + "/bias";
    bias_.value = ops.allocate({output_columns()});
    bias_.grad = ops.allocate({output_columns()});
  }
}

std::vector<Parameter*> DepthwiseConv2dLayer::parameters() {
  if (use_bias_) return {&kernel_, &bias_};
  return {&kernel_};
}

// Keras's fans of a [kh, kw, C, M] kernel: kh*kw*C in, kh*kw*M out.
void DepthwiseConv2dLayer::initialize(OpsBackend& ops, Rng& rng) {
  for (Parameter* p : parameters()) {
    std::vector<float> values(static_cast<size_t>(p->value.size()));
    gapscope::initialize(p == &kernel_ ? kernel_initializer_ : bias_initializer_, p->value.shape(), rng, values);
    ops.upload(p->value, values);
  }
}

void DepthwiseConv2dLayer::reserve(OpsBackend& ops, int64_t max_batch) {
  if (!z_.empty() && z_.dim(0) >= max_batch) return;
  z_ = ops.allocate(batched(max_batch, output_shape()));
  y_ = activation_ == Activation::linear ? z_ : ops.allocate(z_.shape());
  dz_ = activation_ == Activation::linear ? Tensor() : ops.allocate(z_.shape());
  dx_ = ops.allocate(batched(max_batch, input_shape()));
}

// x [B, H, W, C] -> z [B, OH, OW, C*M] (+ b) -> y = act(z)
Tensor DepthwiseConv2dLayer::forward(OpsBackend& ops, const Tensor& x_in, const ForwardContext&) {
  const int64_t batch = x_in.dim(0);
  Tensor z = first_rows(z_, batch);
  ops.depthwise_conv_forward(with_batch(geometry_, batch), x_in.reshaped(batched(batch, input_shape())),
                             kernel_.value, z);
  Tensor z_rows = z.reshaped({output_rows(batch), output_columns()});
  if (use_bias_) ops.add_row_bias(z_rows, bias_.value);
  if (activation_ == Activation::linear) return z;
  Tensor y = first_rows(y_, batch);
  ops.activation_forward(activation_, z, y);
  return y;
}

// dy -> dz = dy * act'(z) -> db = sum of dz's rows, dK and dx by the adjoints.
Tensor DepthwiseConv2dLayer::backward(OpsBackend& ops, const Tensor& x_in, const Tensor& dy_in, bool need_dx) {
  const int64_t batch = x_in.dim(0);
  const Tensor x = x_in.reshaped(batched(batch, input_shape()));
  Tensor dz = dy_in.reshaped(batched(batch, output_shape()));
  if (activation_ != Activation::linear) {
    Tensor grad = first_rows(dz_, batch);
    ops.activation_backward(activation_, first_rows(z_, batch), first_rows(y_, batch), dz, grad);
    dz = grad;
  }
  const WindowGeometry g = with_batch(geometry_, batch);
  if (use_bias_) ops.sum_rows(dz.reshaped({output_rows(batch), output_columns()}), 0.0f, bias_.grad);
  ops.depthwise_conv_backward_kernel(g, x, dz, kernel_.grad);
  if (!need_dx) return {};
  Tensor dx = first_rows(dx_, batch);
  ops.depthwise_conv_backward_input(g, kernel_.value, dz, dx);
  return dx;
}

}  // namespace gapscope

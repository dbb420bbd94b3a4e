#include "core/nn/dense_layer.h"

namespace gapscope {

DenseLayer::DenseLayer(const LayerSpec& spec, const Shape& input_shape, OpsBackend& ops)
    : Layer(spec.name, input_shape, {spec.units}),
      activation_(spec.activation),
      use_bias_(spec.use_bias) {
  int64_t in = input_shape.at(0);
  kernel_.name = spec.name + "/kernel";
  kernel_.value = ops.allocate({in, spec.units});
  kernel_.grad = ops.allocate({in, spec.units});
  if (use_bias_) {
    bias_.name = spec.name + "/bias";
    bias_.value = ops.allocate({spec.units});
    bias_.grad = ops.allocate({spec.units});
  }
}

std::vector<Parameter*> DenseLayer::parameters() {
  if (use_bias_) return {&kernel_, &bias_};
  return {&kernel_};
}

void DenseLayer::reserve(OpsBackend& ops, int64_t max_batch) {
  if (!z_.empty() && z_.dim(0) >= max_batch) return;
  int64_t in = input_shape()[0], units = output_shape()[0];
  z_ = ops.allocate({max_batch, units});
  y_ = activation_ == Activation::linear ? z_ : ops.allocate({max_batch, units});
  dz_ = ops.allocate({max_batch, units});
  dx_ = ops.allocate({max_batch, in});
}

// x [B, in] -> z = x W + b [B, units] -> y = act(z)
Tensor DenseLayer::forward(OpsBackend& ops, const Tensor& x, const ForwardContext&) {
  int64_t batch = x.dim(0);
  Tensor z = first_rows(z_, batch);
  ops.gemm(false, false, 1.0f, x, kernel_.value, 0.0f, z);
  if (use_bias_) ops.add_row_bias(z, bias_.value);
  if (activation_ == Activation::linear) return z;
  Tensor y = first_rows(y_, batch);
  ops.activation_forward(activation_, z, y);
  return y;
}

// dy [B, units] -> dz = dy * act'(z) -> dW = x^T dz, db = sum(dz), dx = dz W^T
Tensor DenseLayer::backward(OpsBackend& ops, const Tensor& x, const Tensor& dy, bool need_dx) {
  int64_t batch = x.dim(0);
  if (activation_ == Activation::linear) return backward_from_preactivation(ops, x, dy, need_dx);
  Tensor dz = first_rows(dz_, batch);
  ops.activation_backward(activation_, first_rows(z_, batch), first_rows(y_, batch), dy, dz);
  return backward_from_preactivation(ops, x, dz, need_dx);
}

Tensor DenseLayer::backward_from_preactivation(OpsBackend& ops, const Tensor& x, const Tensor& dz,
                                               bool need_dx) {
  ops.gemm(true, false, 1.0f, x, dz, 0.0f, kernel_.grad);
  if (use_bias_) ops.sum_rows(dz, 0.0f, bias_.grad);
  if (!need_dx) return {};
  Tensor dx = first_rows(dx_, x.dim(0));
  ops.gemm(false, true, 1.0f, dz, kernel_.value, 0.0f, dx);
  return dx;
}

}  // namespace gapscope

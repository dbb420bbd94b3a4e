#include "core/nn/dense_layer.h"

#include "core/base/initializer.h"
#include "core/base/random.h"

namespace gapscope {

DenseLayer::DenseLayer(const LayerSpec& spec, const Shape& input_shape, OpsBackend& ops)
    : Layer(spec.name, input_shape,
            [&] {
              Shape out = input_shape;
              out.back() = spec.units;
              return out;
            }()),
      activation_(spec.activation),
      use_bias_(spec.use_bias),
      kernel_initializer_(spec.kernel_initializer),
      bias_initializer_(spec.bias_initializer),
      rows_per_sample_(element_count(input_shape) / input_shape.back()) {
  int64_t in = input_shape.back();
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

void DenseLayer::initialize(OpsBackend& ops, Rng& rng) {
  for (Parameter* p : parameters()) {
    std::vector<float> values(static_cast<size_t>(p->value.size()));
    gapscope::initialize(p == &kernel_ ? kernel_initializer_ : bias_initializer_, p->value.shape(), rng, values);
    ops.upload(p->value, values);
  }
}

void DenseLayer::reserve(OpsBackend& ops, int64_t max_batch) {
  int64_t rows = max_batch * rows_per_sample_;
  if (!z_.empty() && z_.dim(0) >= rows) return;
  int64_t in = input_shape().back(), units = output_shape().back();
  z_ = ops.allocate({rows, units});
  y_ = activation_ == Activation::linear ? z_ : ops.allocate({rows, units});
  dz_ = ops.allocate({rows, units});
  dx_ = ops.allocate({rows, in});
}

// x [B, in] -> z = x W + b [B, units] -> y = act(z)   (B = batch x rows per sample)
Tensor DenseLayer::forward(OpsBackend& ops, const Tensor& x_in, const ForwardContext&) {
  int64_t batch = x_in.dim(0), rows = batch * rows_per_sample_;
  Tensor x = x_in.reshaped({rows, input_shape().back()});
  Tensor z = first_rows(z_, rows);
  ops.gemm(false, false, 1.0f, x, kernel_.value, 0.0f, z);
  if (use_bias_) ops.add_row_bias(z, bias_.value);
  Tensor y = z;
  if (activation_ != Activation::linear) {
    y = first_rows(y_, rows);
    ops.activation_forward(activation_, z, y);
  }
  return y.reshaped(batched(batch, output_shape()));
}

// dy [B, units] -> dz = dy * act'(z) -> dW = x^T dz, db = sum(dz), dx = dz W^T
Tensor DenseLayer::backward(OpsBackend& ops, const Tensor& x, const Tensor& dy_in, bool need_dx) {
  if (activation_ == Activation::linear) return backward_from_preactivation(ops, x, dy_in, need_dx);
  int64_t rows = x.dim(0) * rows_per_sample_, units = output_shape().back();
  Tensor dy = dy_in.reshaped({rows, units});
  Tensor dz = first_rows(dz_, rows);
  ops.activation_backward(activation_, first_rows(z_, rows), first_rows(y_, rows), dy, dz);
  return backward_from_preactivation(ops, x, dz, need_dx);
}

Tensor DenseLayer::backward_from_preactivation(OpsBackend& ops, const Tensor& x_in,
                                               const Tensor& dz_in, bool need_dx) {
  int64_t batch = x_in.dim(0), rows = batch * rows_per_sample_;
  Tensor x = x_in.reshaped({rows, input_shape().back()});
  Tensor dz = dz_in.reshaped({rows, output_shape().back()});
  ops.gemm(true, false, 1.0f, x, dz, 0.0f, kernel_.grad);
  if (use_bias_) ops.sum_rows(dz, 0.0f, bias_.grad);
  if (!need_dx) return {};
  Tensor dx = first_rows(dx_, rows);
  ops.gemm(false, true, 1.0f, dz, kernel_.value, 0.0f, dx);
  return dx.reshaped(batched(batch, input_shape()));
}

}  // namespace gapscope

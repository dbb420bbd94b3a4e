#include "core/nn/layer_normalization_layer.h"

#include <stdexcept>
#include <string>

#include "core/base/random.h"

namespace gapscope {

LayerNormalizationLayer::LayerNormalizationLayer(const LayerSpec& spec, const Shape& input_shape, OpsBackend& ops)
    : Layer(spec.name, input_shape, input_shape),
      epsilon_(spec.epsilon),
      scale_(spec.scale),
      center_(spec.center),
      gamma_initializer_(spec.gamma_initializer),
      beta_initializer_(spec.beta_initializer),
      rows_per_sample_(1) {
  if (input_shape.empty() || element_count(input_shape) < 1)
    throw std::invalid_argument("layer '" + spec.name + "': input " + shape_to_string(input_shape) +
                                " has no feature axis to normalize");
  const int64_t c = input_shape.back();
  rows_per_sample_ = element_count(input_shape) / c;
  auto make = [&](Parameter& p, const char* suffix, float value) {
    p.name = spec.name + "/" + suffix;
    p.value = ops.allocate({c});
    p.grad = ops.allocate({c});
    ops.fill(p.value, value);  // the fixed value, and usable as built without initialize()
  };
  make(gamma_, "gamma", 1.0f);
  make(beta_, "beta", 0.0f);
}

std::vector<Parameter*> LayerNormalizationLayer::parameters() {
  std::vector<Parameter*> own;
  if (scale_) own.push_back(&gamma_);
  if (center_) own.push_back(&beta_);
  return own;
}

void LayerNormalizationLayer::initialize(OpsBackend& ops, Rng& rng) {
  for (Parameter* p : parameters()) {
    std::vector<float> values(static_cast<size_t>(p->value.size()));
    gapscope::initialize(p == &gamma_ ? gamma_initializer_ : beta_initializer_, p->value.shape(), rng, values);
    ops.upload(p->value, values);
  }
}

void LayerNormalizationLayer::reserve(OpsBackend& ops, int64_t max_batch) {
  const int64_t rows = max_batch * rows_per_sample_;
  if (!y_.empty() && y_.dim(0) >= rows) return;
  y_ = ops.allocate({rows, input_shape().back()});
  dx_ = ops.allocate({rows, input_shape().back()});
  mean_ = ops.allocate({rows});
  inv_std_ = ops.allocate({rows});
}

// x [B, ..., C] viewed as [R, C] -> y [R, C]; keeps each row's mean and inv_std.
Tensor LayerNormalizationLayer::forward(OpsBackend& ops, const Tensor& x_in, const ForwardContext&) {
  const int64_t batch = x_in.dim(0), rows = batch * rows_per_sample_, c = input_shape().back();
  Tensor x = x_in.reshaped({rows, c});
  Tensor y = first_rows(y_, rows), mean = first_rows(mean_, rows), inv_std = first_rows(inv_std_, rows);
  ops.layer_norm_forward(x, gamma_.value, beta_.value, epsilon_, y, mean, inv_std);
  return y.reshaped(batched(batch, output_shape()));
}

// dy [R, C] -> dgamma, dbeta [C], dx [R, C] (through each row's statistics)
Tensor LayerNormalizationLayer::backward(OpsBackend& ops, const Tensor& x_in, const Tensor& dy_in, bool need_dx) {
  const int64_t batch = x_in.dim(0), rows = batch * rows_per_sample_, c = input_shape().back();
  Tensor x = x_in.reshaped({rows, c});
  Tensor dy = dy_in.reshaped({rows, c});
  Tensor dx = first_rows(dx_, rows);  // the op writes dx along with the parameter gradients
  ops.layer_norm_backward(x, first_rows(mean_, rows), first_rows(inv_std_, rows), gamma_.value, dy, dx, gamma_.grad,
                          beta_.grad);
  if (!need_dx) return {};
  return dx.reshaped(batched(batch, input_shape()));
}

}  // namespace gapscope

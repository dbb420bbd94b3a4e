#include "core/nn/batch_norm_layer.h"

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/base/initializer.h"
#include "core/base/random.h"

namespace gapscope {

BatchNormLayer::BatchNormLayer(const LayerSpec& spec, const Shape& input_shape, OpsBackend& ops)
    : Layer(spec.name, input_shape, input_shape),
      momentum_(spec.momentum),
      epsilon_(spec.epsilon),
      center_(spec.center),
      scale_(spec.scale),
      gamma_initializer_(spec.gamma_initializer),
      beta_initializer_(spec.beta_initializer),
      moving_mean_initializer_(spec.moving_mean_initializer),
      moving_variance_initializer_(spec.moving_variance_initializer),
      rows_per_sample_(1) {
  if (input_shape.empty() || element_count(input_shape) < 1)
    throw std::invalid_argument("layer '" + spec.name + "': input " + shape_to_string(input_shape) +
                                " has no feature axis to normalize");
  const int64_t c = input_shape.back();
  rows_per_sample_ = element_count(input_shape) / c;
  auto make = [&](Parameter& p, const char* suffix, bool trainable) {
    p.name = spec.name + "/" + suffix;
    p.value = ops.allocate({c});
    if (trainable) p.grad = ops.allocate({c});
    p.trainable = trainable;
  };
  make(gamma_, "gamma", true);
  make(beta_, "beta", true);
  make(moving_mean_, "moving_mean", false);
  make(moving_variance_, "moving_variance", false);
  batch_mean_ = ops.allocate({c});
  batch_variance_ = ops.allocate({c});
  set_initial_values(ops);  // also without initialize(): a layer is usable as built
}

// Without scale (center), gamma (beta) stays 1 (0) and is no weight of the model.
std::vector<Parameter*> BatchNormLayer::parameters() {
  std::vector<Parameter*> all;
  if (scale_) all.push_back(&gamma_);
  if (center_) all.push_back(&beta_);
  all.insert(all.end(), {&moving_mean_, &moving_variance_});
  return all;
}

void BatchNormLayer::initialize(OpsBackend& ops, Rng& rng) {
  set_initial_values(ops);  // gamma and beta stay 1 and 0 where they are no weight
  const std::pair<Parameter*, const Initializer*> weights[] = {{&gamma_, &gamma_initializer_},
                                                               {&beta_, &beta_initializer_},
                                                               {&moving_mean_, &moving_mean_initializer_},
                                                               {&moving_variance_, &moving_variance_initializer_}};
  for (Parameter* p : parameters())
    for (const auto& [weight, init] : weights)
      if (weight == p) {
        std::vector<float> values(static_cast<size_t>(p->value.size()));
        gapscope::initialize(*init, p->value.shape(), rng, values);
        ops.upload(p->value, values);
      }
}

void BatchNormLayer::set_initial_values(OpsBackend& ops) {
  ops.fill(gamma_.value, 1.0f);
  ops.fill(beta_.value, 0.0f);
  ops.fill(moving_mean_.value, 0.0f);
  ops.fill(moving_variance_.value, 1.0f);
}

void BatchNormLayer::reserve(OpsBackend& ops, int64_t max_batch) {
  const int64_t rows = max_batch * rows_per_sample_;
  if (!y_.empty() && y_.dim(0) >= rows) return;
  y_ = ops.allocate({rows, input_shape().back()});
  dx_ = ops.allocate({rows, input_shape().back()});
}

// x [B, ..., C] viewed as [R, C] -> y [R, C].
// Training (TF.js 4.22 BatchNormalization.call + doMovingAverage):
//   mean, var = moments(x) over the R rows (biased: divides by R)
//   moving -= (moving - batch_stat) * (1 - momentum),
//   i.e. moving = momentum * moving + (1 - momentum) * batch_stat, for the mean
//   and for the variance, which is the biased batch variance (no R/(R-1)).
Tensor BatchNormLayer::forward(OpsBackend& ops, const Tensor& x_in, const ForwardContext& ctx) {
  const int64_t batch = x_in.dim(0), rows = batch * rows_per_sample_, c = input_shape().back();
  Tensor x = x_in.reshaped({rows, c});
  Tensor y = first_rows(y_, rows);
  if (ctx.training) {
    ops.moments(x, batch_mean_, batch_variance_);
    ops.batch_norm_forward(x, batch_mean_, batch_variance_, gamma_.value, beta_.value, epsilon_, y);
    ops.axpby(1.0f - momentum_, batch_mean_, momentum_, moving_mean_.value);
    ops.axpby(1.0f - momentum_, batch_variance_, momentum_, moving_variance_.value);
  } else {
    ops.batch_norm_forward(x, moving_mean_.value, moving_variance_.value, gamma_.value,
                           beta_.value, epsilon_, y);
  }
  return y.reshaped(batched(batch, output_shape()));
}

// dy [R, C] -> dgamma, dbeta [C], dx [R, C] (gradients through the batch moments)
Tensor BatchNormLayer::backward(OpsBackend& ops, const Tensor& x_in, const Tensor& dy_in,
                                bool need_dx) {
  const int64_t batch = x_in.dim(0), rows = batch * rows_per_sample_, c = input_shape().back();
  Tensor x = x_in.reshaped({rows, c});
  Tensor dy = dy_in.reshaped({rows, c});
  Tensor dx = first_rows(dx_, rows);  // the op writes dx along with the parameter gradients
  ops.batch_norm_backward(x, batch_mean_, batch_variance_, gamma_.value, epsilon_, dy, dx,
                          gamma_.grad, beta_.grad);
  if (!need_dx) return {};
  return dx.reshaped(batched(batch, input_shape()));
}

}  // namespace gapscope

#include "core/nn/recurrent_layer.h"

#include <stdexcept>
#include <string>

#include "core/base/initializer.h"

namespace gapscope {
namespace {

Shape output_shape_of(const LayerSpec& spec, const Shape& input_shape) {
  if (input_shape.size() != 2 || input_shape[0] < 1 || input_shape[1] < 1)
    throw std::invalid_argument("layer '" + spec.name + "' (" + spec.type +
                                ") needs a per-sample input [steps, features], got " +
                                shape_to_string(input_shape));
  if (spec.units < 1)
    throw std::invalid_argument("layer '" + spec.name + "': units must be >= 1, got " +
                                std::to_string(spec.units));
  if (spec.return_sequences) return {input_shape[0], spec.units};
  return {spec.units};
}

}  // namespace

RecurrentLayer::RecurrentLayer(const LayerSpec& spec, const Shape& input_shape, OpsBackend& ops,
                               int gates)
    : Layer(spec.name, input_shape, output_shape_of(spec, input_shape)),
      steps_(input_shape[0]),
      features_(input_shape[1]),
      units_(spec.units),
      gates_(gates),
      activation_(spec.activation),
      recurrent_activation_(spec.recurrent_activation),
      use_bias_(spec.use_bias),
      return_sequences_(spec.return_sequences),
      kernel_initializer_(spec.kernel_initializer),
      recurrent_initializer_(spec.recurrent_initializer),
      bias_initializer_(spec.bias_initializer) {
  const int64_t width = gates_ * units_;
  kernel_.name = spec.name + "/kernel";
  kernel_.value = ops.allocate({features_, width});
  kernel_.grad = ops.allocate({features_, width});
  recurrent_kernel_.name = spec.name + "/recurrent_kernel";
  recurrent_kernel_.value = ops.allocate({units_, width});
  recurrent_kernel_.grad = ops.allocate({units_, width});
  recurrent_kernel_t_ = ops.allocate({width, units_});
  if (use_bias_) {
    bias_.name = spec.name + "/bias";
    bias_.value = ops.allocate({width});
    bias_.grad = ops.allocate({width});
  }
}

std::vector<Parameter*> RecurrentLayer::parameters() {
  if (use_bias_) return {&kernel_, &recurrent_kernel_, &bias_};
  return {&kernel_, &recurrent_kernel_};
}

// Keras fans come from each weight's shape: W [F, G*u], U [u, G*u].
void RecurrentLayer::initialize(OpsBackend& ops, Rng& rng) {
  const int64_t width = gates_ * units_;
  std::vector<float> values(static_cast<size_t>(kernel_.value.size()));
  gapscope::initialize(kernel_initializer_, kernel_.value.shape(), rng, values);
  ops.upload(kernel_.value, values);
  values.assign(static_cast<size_t>(recurrent_kernel_.value.size()), 0.0f);
  gapscope::initialize(recurrent_initializer_, recurrent_kernel_.value.shape(), rng, values);
  ops.upload(recurrent_kernel_.value, values);
  if (use_bias_) {
    values.assign(static_cast<size_t>(width), 0.0f);
    gapscope::initialize(bias_initializer_, bias_.value.shape(), rng, values);
    adjust_initial_bias(values);
    ops.upload(bias_.value, values);
  }
}

void RecurrentLayer::reserve(OpsBackend& ops, int64_t max_batch) {
  if (max_batch <= reserved_) return;
  const int64_t rows = steps_ * max_batch, width = gates_ * units_;
  x_tm_ = ops.allocate({rows, features_});
  pre_ = ops.allocate({rows, width});
  h_ = ops.allocate({rows + max_batch, units_});
  dh_ = ops.allocate({rows + max_batch, units_});
  dpre_ = ops.allocate({rows, width});
  dx_tm_ = ops.allocate({rows, features_});
  dx_ = ops.allocate({max_batch, steps_, features_});
  if (return_sequences_) y_ = ops.allocate({max_batch, steps_, units_});
  reserve_cell(ops, max_batch);
  reserved_ = max_batch;
}

// x [B, T, F] -> x_tm [T, B, F] -> pre = x_tm W + b [T*B, G*u] -> steps -> h [T+1, B, u]
//   -> y = h_T [B, u], or y [B, T, u] = h_1..T swapped back
Tensor RecurrentLayer::forward(OpsBackend& ops, const Tensor& x_in, const ForwardContext&) {
  const int64_t batch = x_in.dim(0), rows = steps_ * batch;
  reserve(ops, batch);
  Tensor x_tm = x_tm_.rows(0, rows);
  Tensor x_tm3 = x_tm.reshaped({steps_, batch, features_});
  ops.swap_leading_axes(x_in.reshaped({batch, steps_, features_}), x_tm3);
  Tensor pre = pre_.rows(0, rows);
  ops.gemm(false, false, 1.0f, x_tm, kernel_.value, 0.0f, pre);
  if (use_bias_) ops.add_row_bias(pre, bias_.value);
  Tensor h0 = block(h_, 0, batch);
  ops.fill(h0, 0.0f);
  run_steps(ops, batch);
  if (!return_sequences_) return block(h_, steps_, batch);
  Tensor y = first_rows(y_, batch);
  ops.swap_leading_axes(h_.rows(batch, rows).reshaped({steps_, batch, units_}), y);
  return y;
}

// dy [B, u] or [B, T, u] -> dh [T+1, B, u] -> steps (reverse, with U^T) -> dpre [T*B, G*u]
//   dW = x_tm^T dpre, db = sum(dpre), dx_tm = dpre W^T -> dx [B, T, F]
Tensor RecurrentLayer::backward(OpsBackend& ops, const Tensor& x, const Tensor& dy, bool need_dx) {
  const int64_t batch = x.dim(0), rows = steps_ * batch;
  if (return_sequences_) {
    Tensor dh0 = block(dh_, 0, batch);
    ops.fill(dh0, 0.0f);
    Tensor dh_steps = dh_.rows(batch, rows).reshaped({steps_, batch, units_});
    ops.swap_leading_axes(dy.reshaped({batch, steps_, units_}), dh_steps);
  } else {
    Tensor earlier = dh_.rows(0, rows);
    ops.fill(earlier, 0.0f);
    Tensor last = block(dh_, steps_, batch);
    ops.copy(dy, last);
  }
  ops.swap_leading_axes(recurrent_kernel_.value, recurrent_kernel_t_);
  backprop_steps(ops, batch);
  Tensor dpre = dpre_.rows(0, rows);
  ops.gemm(true, false, 1.0f, x_tm_.rows(0, rows), dpre, 0.0f, kernel_.grad);
  if (use_bias_) ops.sum_rows(dpre, 0.0f, bias_.grad);
  if (!need_dx) return {};
  Tensor dx_tm = dx_tm_.rows(0, rows);
  ops.gemm(false, true, 1.0f, dpre, kernel_.value, 0.0f, dx_tm);
  Tensor dx = first_rows(dx_, batch);
  ops.swap_leading_axes(dx_tm.reshaped({steps_, batch, features_}), dx);
  return dx;
}

}  // namespace gapscope

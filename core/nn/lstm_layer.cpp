#include "core/nn/lstm_layer.h"

#include <algorithm>
#include <stdexcept>

namespace gapscope {

LstmLayer::LstmLayer(const LayerSpec& spec, const Shape& input_shape, OpsBackend& ops)
    : RecurrentLayer(spec, input_shape, ops, 4), unit_forget_bias_(spec.unit_forget_bias) {
  if (activation_ == Activation::softmax || recurrent_activation_ == Activation::softmax)
    throw std::invalid_argument("layer '" + spec.name +
                                "': softmax is not supported as an lstm activation");
}

void LstmLayer::adjust_initial_bias(std::vector<float>& bias) {
  if (unit_forget_bias_) std::fill_n(bias.begin() + units_, units_, 1.0f);
}

void LstmLayer::reserve_cell(OpsBackend& ops, int64_t max_batch) {
  gates_ = ops.allocate({steps_ * max_batch, 4 * units_});
  c_ = ops.allocate({(steps_ + 1) * max_batch, units_});
  dc_ = ops.allocate({max_batch, units_});
}

// per step t: pre_t [B, 4u] += h_{t-1} U; (gates_t, c_t, h_t) = cell(pre_t, c_{t-1})
void LstmLayer::run_steps(OpsBackend& ops, int64_t batch) {
  Tensor c0 = block(c_, 0, batch);
  ops.fill(c0, 0.0f);
  for (int64_t t = 0; t < steps_; ++t) {
    Tensor pre = block(pre_, t, batch), gates = block(gates_, t, batch);
    Tensor c = block(c_, t + 1, batch), h = block(h_, t + 1, batch);
    if (t > 0)
      ops.gemm(false, false, 1.0f, block(h_, t, batch), recurrent_kernel_.value, 1.0f, pre);
    ops.lstm_cell_forward(recurrent_activation_, activation_, pre, block(c_, t, batch), gates, c,
                          h);
  }
}

// per step t, reverse: (dpre_t, dc_{t-1}) = cell'(dh_t, dc_t); dh_{t-1} += dpre_t U^T
// then dU = H_prev^T dPre ([T*B, u]^T [T*B, 4u]) in one GEMM.
void LstmLayer::backprop_steps(OpsBackend& ops, int64_t batch) {
  Tensor dc = first_rows(dc_, batch);
  ops.fill(dc, 0.0f);
  for (int64_t t = steps_; t-- > 0;) {
    Tensor dpre = block(dpre_, t, batch);
    ops.lstm_cell_backward(recurrent_activation_, activation_, block(pre_, t, batch),
                           block(gates_, t, batch), block(c_, t, batch), block(c_, t + 1, batch),
                           block(dh_, t + 1, batch), dc, dpre, dc);
    if (t > 0) {
      Tensor dh_prev = block(dh_, t, batch);
      ops.gemm(false, false, 1.0f, dpre, recurrent_kernel_t_, 1.0f, dh_prev);
    }
  }
  const int64_t rows = steps_ * batch;
  ops.gemm(true, false, 1.0f, h_.rows(0, rows), dpre_.rows(0, rows), 0.0f, recurrent_kernel_.grad);
}

}  // namespace gapscope

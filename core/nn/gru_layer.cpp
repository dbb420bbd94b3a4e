#include "core/nn/gru_layer.h"

#include <stdexcept>

namespace gapscope {

GruLayer::GruLayer(const LayerSpec& spec, const Shape& input_shape, OpsBackend& ops)
    : RecurrentLayer(spec, input_shape, ops, 3) {
  if (activation_ == Activation::softmax || recurrent_activation_ == Activation::softmax)
    throw std::invalid_argument("layer '" + spec.name +
                                "': softmax is not supported as a gru activation");
}

void GruLayer::reserve_cell(OpsBackend& ops, int64_t max_batch) {
  const int64_t rows = steps_ * max_batch;
  gates_ = ops.allocate({rows, 3 * units_});
  rh_ = ops.allocate({rows, units_});
  rec_ = ops.allocate({max_batch, 3 * units_});
  dpre_h_ = ops.allocate({rows, 3 * units_});
  drh_ = ops.allocate({max_batch, units_});
}

// per step t, pre_t [B, 3u] = x_t W + b:
//   rec = h_{t-1} U; pre_zr += rec_zr; z, r = rec(pre_zr); rh_t = r*h_{t-1}
//   rec = rh_t U;    pre_h += rec_h;   h~ = act(pre_h);   h_t = z*h_{t-1} + (1-z)*h~
void GruLayer::run_steps(OpsBackend& ops, int64_t batch) {
  Tensor rec = first_rows(rec_, batch);
  for (int64_t t = 0; t < steps_; ++t) {
    Tensor pre = block(pre_, t, batch), gates = block(gates_, t, batch);
    Tensor rh = block(rh_, t, batch), h = block(h_, t + 1, batch);
    Tensor h_prev = block(h_, t, batch);
    if (t > 0)
      ops.gemm(false, false, 1.0f, h_prev, recurrent_kernel_.value, 0.0f, rec);
    else
      ops.fill(rec, 0.0f);  // h_{-1} = 0, so both products are 0
    ops.gru_gates_forward(recurrent_activation_, rec, h_prev, pre, gates, rh);
    if (t > 0) ops.gemm(false, false, 1.0f, rh, recurrent_kernel_.value, 0.0f, rec);
    ops.gru_output_forward(activation_, rec, h_prev, pre, gates, h);
  }
}

// per step t, reverse, from dh_t (dh_ block t+1):
//   dpre_z, dpre_h~ and dh_{t-1} += dh*z;  drh = dpre_h U^T
//   dpre_r, dh_{t-1} += drh*r;  dh_{t-1} += dpre_zr U^T
// then dU = H_prev^T dPre_zr + RH^T dPre_h, and dpre_ becomes the full d pre.
void GruLayer::backprop_steps(OpsBackend& ops, int64_t batch) {
  Tensor drh = first_rows(drh_, batch);
  for (int64_t t = steps_; t-- > 0;) {
    Tensor pre = block(pre_, t, batch), gates = block(gates_, t, batch);
    Tensor h_prev = block(h_, t, batch), dh_prev = block(dh_, t, batch);
    Tensor dpre_zr = block(dpre_, t, batch), dpre_h = block(dpre_h_, t, batch);
    ops.gru_output_backward(recurrent_activation_, activation_, pre, gates, h_prev,
                            block(dh_, t + 1, batch), dpre_zr, dpre_h, dh_prev);
    if (t > 0)
      ops.gemm(false, false, 1.0f, dpre_h, recurrent_kernel_t_, 0.0f, drh);
    else
      ops.fill(drh, 0.0f);  // h_{-1} = 0: r gets no gradient and dh_{-1} is not needed
    ops.gru_gates_backward(recurrent_activation_, pre, gates, h_prev, drh, dpre_zr, dh_prev);
    if (t > 0) ops.gemm(false, false, 1.0f, dpre_zr, recurrent_kernel_t_, 1.0f, dh_prev);
  }
  const int64_t rows = steps_ * batch;
  Tensor dpre = dpre_.rows(0, rows), dpre_h = dpre_h_.rows(0, rows);
  ops.gemm(true, false, 1.0f, h_.rows(0, rows), dpre, 0.0f, recurrent_kernel_.grad);
  ops.gemm(true, false, 1.0f, rh_.rows(0, rows), dpre_h, 1.0f, recurrent_kernel_.grad);
  ops.axpy(1.0f, dpre_h, dpre);
}

}  // namespace gapscope

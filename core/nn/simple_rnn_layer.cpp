#include "core/nn/simple_rnn_layer.h"

namespace gapscope {

// per step t: pre_t [B, u] += h_{t-1} U; h_t = act(pre_t)
void SimpleRnnLayer::run_steps(OpsBackend& ops, int64_t batch) {
  for (int64_t t = 0; t < steps_; ++t) {
    Tensor pre = block(pre_, t, batch), h = block(h_, t + 1, batch);
    if (t > 0)
      ops.gemm(false, false, 1.0f, block(h_, t, batch), recurrent_kernel_.value, 1.0f, pre);
    ops.activation_forward(activation_, pre, h);
  }
}

// per step t, reverse: dpre_t = dh_t * act'(pre_t); dh_{t-1} += dpre_t U^T
// then dU = H_prev^T dPre over all steps ([T*B, u]^T [T*B, u]; h_{-1} = 0 adds nothing).
void SimpleRnnLayer::backprop_steps(OpsBackend& ops, int64_t batch) {
  for (int64_t t = steps_; t-- > 0;) {
    Tensor dpre = block(dpre_, t, batch);
    ops.activation_backward(activation_, block(pre_, t, batch), block(h_, t + 1, batch),
                            block(dh_, t + 1, batch), dpre);
    if (t > 0) {
      Tensor dh_prev = block(dh_, t, batch);
      ops.gemm(false, false, 1.0f, dpre, recurrent_kernel_t_, 1.0f, dh_prev);
    }
  }
  const int64_t rows = steps_ * batch;
  ops.gemm(true, false, 1.0f, h_.rows(0, rows), dpre_.rows(0, rows), 0.0f, recurrent_kernel_.grad);
}

}  // namespace gapscope

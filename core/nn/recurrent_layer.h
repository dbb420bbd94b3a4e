// The time-major plumbing shared by simple_rnn, lstm and gru (TF.js semantics,
// zero initial state). Per sample x is [T, F]; y is h_T [u], or [T, u] with
// return_sequences. Weights: "<name>/kernel" W [F, G*u], "<name>/recurrent_kernel"
// U [u, G*u], "<name>/bias" b [G*u], G gates side by side.
//
// Forward: one GEMM projects every step at once (pre = x W + b, time-major
// [T, B, G*u]); the cell then walks the steps, adding h_{t-1} U to step t's
// rows. Backward (BPTT) walks the steps in reverse and leaves d pre for every
// step; dW = X^T dPre, dU = H_prev^T dPre, db and dX are then one GEMM each
// over all steps, instead of T small ones.
#pragma once
#include "core/nn/layer.h"

namespace gapscope {

class RecurrentLayer : public Layer {
 public:
  void initialize(OpsBackend& ops, Rng& rng) override;
  void reserve(OpsBackend& ops, int64_t max_batch) override;
  Tensor forward(OpsBackend& ops, const Tensor& x, const ForwardContext& ctx) final;
  Tensor backward(OpsBackend& ops, const Tensor& x, const Tensor& dy, bool need_dx) final;
  std::vector<Parameter*> parameters() override;

  int64_t steps() const { return steps_; }
  int64_t units() const { return units_; }

 protected:
  RecurrentLayer(const LayerSpec& spec, const Shape& input_shape, OpsBackend& ops, int gates);

  // The cell's own buffers for up to max_batch rows per step.
  virtual void reserve_cell(OpsBackend& ops, int64_t max_batch) = 0;
  // pre_ holds x W + b for every step; fills h_ blocks 1..T (block 0 is zero).
  virtual void run_steps(OpsBackend& ops, int64_t batch) = 0;
  // dh_ block t+1 holds dL/dh_t from the layer's output (block 0: zero); fills
  // dpre_ for every step and the recurrent kernel's gradient.
  virtual void backprop_steps(OpsBackend& ops, int64_t batch) = 0;
  // After the bias initializer (LSTM: unit_forget_bias).
  virtual void adjust_initial_bias(std::vector<float>&) {}

  // Block t ([batch, cols] rows t*batch..) of a time-major buffer.
  static Tensor block(const Tensor& time_major, int64_t t, int64_t batch) {
    return time_major.rows(t * batch, batch);
  }

  int64_t steps_, features_, units_, gates_;
  Activation activation_, recurrent_activation_;
  bool use_bias_, return_sequences_;
  Initializer kernel_initializer_, recurrent_initializer_, bias_initializer_;
  Parameter kernel_, recurrent_kernel_, bias_;
  // U^T [G*u, u], refreshed by each backward: the per-step dh_{t-1} += dpre_t U^T
  // runs ~15% faster on a row-major B than on a transposed one.
  Tensor recurrent_kernel_t_;
  // Time-major, reserved for max_batch rows per step, used for `batch` rows.
  Tensor x_tm_;    // [T*B, F]
  Tensor pre_;     // [T*B, G*u] pre-activations
  Tensor h_;       // [(T+1)*B, u]: block 0 = h_{-1} = 0, block t+1 = h_t
  Tensor dh_;      // [(T+1)*B, u]: dL/dh, same blocks
  Tensor dpre_;    // [T*B, G*u]
  Tensor dx_tm_;   // [T*B, F]
  Tensor y_, dx_;  // batch-major [B, T, u] (return_sequences) and [B, T, F]
  int64_t reserved_ = 0;
};

}  // namespace gapscope

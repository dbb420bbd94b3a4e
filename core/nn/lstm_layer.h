// lstm (TF.js LSTM), gate order i, f, c, o:
//   [i f c~ o] = [rec rec act rec](x_t W + b + h_{t-1} U)
//   c_t = f*c_{t-1} + i*c~;  h_t = o*act(c_t)
// unit_forget_bias sets the forget quarter of the initial bias to 1.
#pragma once
#include "core/nn/recurrent_layer.h"

namespace gapscope {

class LstmLayer final : public RecurrentLayer {
 public:
  LstmLayer(const LayerSpec& spec, const Shape& input_shape, OpsBackend& ops);

 private:
  void reserve_cell(OpsBackend& ops, int64_t max_batch) override;
  void run_steps(OpsBackend& ops, int64_t batch) override;
  void backprop_steps(OpsBackend& ops, int64_t batch) override;
  void adjust_initial_bias(std::vector<float>& bias) override;

  bool unit_forget_bias_;
  Tensor gates_;  // [T*B, 4u] activated gates, time-major
  Tensor c_;      // [(T+1)*B, u]: block 0 = c_{-1} = 0, block t+1 = c_t
  Tensor dc_;     // [B, u] dL/dc carried from step t+1 to t
};

}  // namespace gapscope

// simple_rnn (TF.js SimpleRNN): h_t = act(x_t W + b + h_{t-1} U), one gate.
#pragma once
#include "core/nn/recurrent_layer.h"

namespace gapscope {

class SimpleRnnLayer final : public RecurrentLayer {
 public:
  SimpleRnnLayer(const LayerSpec& spec, const Shape& input_shape, OpsBackend& ops)
      : RecurrentLayer(spec, input_shape, ops, 1) {}

 private:
  void reserve_cell(OpsBackend&, int64_t) override {}
  void run_steps(OpsBackend& ops, int64_t batch) override;
  void backprop_steps(OpsBackend& ops, int64_t batch) override;
};

}  // namespace gapscope

// gru (TF.js GRU, reset_after = false), gate order z, r, h:
//   z, r = rec(x_t W_zr + b_zr + h_{t-1} U_zr)
//   h~ = act(x_t W_h + b_h + (r*h_{t-1}) U_h)   (r applied before the matmul)
//   h_t = z*h_{t-1} + (1-z)*h~
// U's thirds meet different inputs (h_{t-1}, r*h_{t-1}); column slices are not
// Tensor views, so each product uses all of U and keeps the thirds it needs.
#pragma once
#include "core/nn/recurrent_layer.h"

namespace gapscope {

class GruLayer final : public RecurrentLayer {
 public:
  GruLayer(const LayerSpec& spec, const Shape& input_shape, OpsBackend& ops);

 private:
  void reserve_cell(OpsBackend& ops, int64_t max_batch) override;
  void run_steps(OpsBackend& ops, int64_t batch) override;
  void backprop_steps(OpsBackend& ops, int64_t batch) override;

  Tensor gates_;   // [T*B, 3u] z, r, h~, time-major
  Tensor rh_;      // [T*B, u] r*h_{t-1}
  Tensor rec_;     // [B, 3u] h_{t-1} U or rh U (scratch)
  Tensor dpre_h_;  // [T*B, 3u] d pre of h~ only (z, r thirds zero); dpre_ holds z, r
  Tensor drh_;     // [B, u] dL/d(r*h_{t-1})
};

}  // namespace gapscope

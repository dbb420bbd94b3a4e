// Argument checks of the layer ops (windows, batch and layer norm, embedding, recurrent
// cells) shared by every ops backend, so that a bad call fails with the same
// std::invalid_argument message on native-cpu and native-vulkan, before any
// work is done.
#pragma once
#include <cstdint>

#include "core/ops/ops_backend.h"
#include "core/tensor/tensor.h"

namespace gapscope {

// ---- windows (channels-last images) ---------------------------------------------

// Throws unless every size is positive (batch may be 0) and paddings are >= 0.
void check_geometry(const WindowGeometry& g, const char* op);
// x [B, in_h, in_w, C].
Shape window_input_shape(const WindowGeometry& g);

void check_im2col(const WindowGeometry& g, const Tensor& x, const Tensor& cols);
// depthwise_conv_*: x [B, H, W, C], kernel [kh, kw, C, M], y [B, OH, OW, C*M];
// returns M (the kernel's last axis).
int64_t check_depthwise(const char* op, const WindowGeometry& g, const Tensor& x, const Tensor& kernel,
                        const Tensor& y);
void check_col2im(const WindowGeometry& g, const Tensor& cols, const Tensor& dx);
// Nearest up-sampling: small [B, H, W, C], large [B, H*sh, W*sw, C], sh, sw >= 1.
void check_upsample(int64_t sh, int64_t sw, const Tensor& small, const Tensor& large, const char* op);
void check_pool_forward(const WindowGeometry& g, const Tensor& x, const Tensor& y);
void check_pool_backward(const WindowGeometry& g, const Tensor& x, const Tensor& y, const Tensor& dy,
                         const Tensor& dx);

// ---- batch normalization over rows ------------------------------------------------

struct MatrixDims {
  int64_t rows, cols;
};
// x must be a non-empty [R, C] matrix.
MatrixDims check_rows(const Tensor& x, const char* op);
MatrixDims check_moments(const Tensor& x, const Tensor& mean, const Tensor& variance);
MatrixDims check_batch_norm_forward(const Tensor& x, const Tensor& mean, const Tensor& variance,
                                 const Tensor& gamma, const Tensor& beta, const Tensor& y);
MatrixDims check_batch_norm_backward(const Tensor& x, const Tensor& mean, const Tensor& variance,
                                  const Tensor& gamma, const Tensor& dy, const Tensor& dx,
                                  const Tensor& dgamma, const Tensor& dbeta);

// ---- layer normalization over each row ----------------------------------------------

MatrixDims check_layer_norm_forward(const Tensor& x, const Tensor& gamma, const Tensor& beta, const Tensor& y,
                                    const Tensor& mean, const Tensor& inv_std);
MatrixDims check_layer_norm_backward(const Tensor& x, const Tensor& mean, const Tensor& inv_std,
                                     const Tensor& gamma, const Tensor& dy, const Tensor& dx, const Tensor& dgamma,
                                     const Tensor& dbeta);

// ---- embedding --------------------------------------------------------------------

// table [V, D]; rows [ids.size(), D] (the gathered rows or their gradient).
void check_embedding_operands(const char* op, const Tensor& table, const Tensor& ids,
                              const Tensor& rows);

// ---- recurrent layers ---------------------------------------------------------------

// y must be x's shape with the first two axes swapped (x of rank >= 2).
void check_swap_leading_axes(const Tensor& x, const Tensor& y);
// The cell's unit count from a [B, G*u] tensor; checks the rank and divisibility.
int64_t units_of(const Tensor& t, int64_t gates, const char* op);
// Each returns the unit count u (the batch is pre.dim(0)).
int64_t check_lstm_cell_forward(const Tensor& pre, const Tensor& c_prev, const Tensor& gates,
                                const Tensor& c, const Tensor& h);
int64_t check_lstm_cell_backward(const Tensor& pre, const Tensor& gates, const Tensor& c_prev,
                                 const Tensor& c, const Tensor& dh, const Tensor& dc,
                                 const Tensor& dpre, const Tensor& dc_prev);
int64_t check_gru_gates_forward(const Tensor& h_rec, const Tensor& h_prev, const Tensor& pre,
                                const Tensor& gates, const Tensor& rh);
int64_t check_gru_output_forward(const Tensor& rh_rec, const Tensor& h_prev, const Tensor& pre,
                                 const Tensor& gates, const Tensor& h);
int64_t check_gru_output_backward(const Tensor& pre, const Tensor& gates, const Tensor& h_prev,
                                  const Tensor& dh, const Tensor& dpre_zr, const Tensor& dpre_h,
                                  const Tensor& dh_prev);
int64_t check_gru_gates_backward(const Tensor& pre, const Tensor& gates, const Tensor& h_prev,
                                 const Tensor& drh, const Tensor& dpre_zr, const Tensor& dh_prev);

}  // namespace gapscope

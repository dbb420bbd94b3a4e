#include "core/ops/op_checks_layers.h"

#include <stdexcept>
#include <string>
#include <utility>

namespace gapscope {

// ---- windows --------------------------------------------------------------------------

void check_geometry(const WindowGeometry& g, const char* op) {
  bool ok = g.batch >= 0 && g.in_h > 0 && g.in_w > 0 && g.channels > 0 && g.kernel_h > 0 &&
            g.kernel_w > 0 && g.stride_h > 0 && g.stride_w > 0 && g.pad_top >= 0 &&
            g.pad_left >= 0 && g.out_h > 0 && g.out_w > 0 && g.dilation_h > 0 && g.dilation_w > 0;
  if (!ok)
    throw std::invalid_argument(std::string(op) + ": invalid window geometry (image " +
                                std::to_string(g.in_h) + "x" + std::to_string(g.in_w) + "x" +
                                std::to_string(g.channels) + ", kernel " +
                                std::to_string(g.kernel_h) + "x" + std::to_string(g.kernel_w) +
                                ", stride " + std::to_string(g.stride_h) + "x" +
                                std::to_string(g.stride_w) + ", output " +
                                std::to_string(g.out_h) + "x" + std::to_string(g.out_w) + ")");
}

namespace {
// Only im2col and col2im take dilated windows.
void require_undilated(const WindowGeometry& g, const char* op) {
  if (g.dilation_h != 1 || g.dilation_w != 1)
    throw std::invalid_argument(std::string(op) + ": dilated windows are not supported (dilation " +
                                std::to_string(g.dilation_h) + "x" + std::to_string(g.dilation_w) + ")");
}
}  // namespace

Shape window_input_shape(const WindowGeometry& g) { return {g.batch, g.in_h, g.in_w, g.channels}; }

namespace {
Shape cols_shape(const WindowGeometry& g) {
  return {g.batch * g.out_h * g.out_w, g.kernel_h * g.kernel_w * g.channels};
}
Shape pooled_shape(const WindowGeometry& g) { return {g.batch, g.out_h, g.out_w, g.channels}; }
}  // namespace

void check_im2col(const WindowGeometry& g, const Tensor& x, const Tensor& cols) {
  check_geometry(g, "im2col");
  require_shape(x, window_input_shape(g), "im2col: x");
  require_shape(cols, cols_shape(g), "im2col: cols");
}

int64_t check_depthwise(const char* op, const WindowGeometry& g, const Tensor& x, const Tensor& kernel,
                        const Tensor& y) {
  check_geometry(g, op);
  require_undilated(g, op);
  require_shape(x, window_input_shape(g), (std::string(op) + ": x").c_str());
  if (kernel.rank() != 4 || kernel.dim(0) != g.kernel_h || kernel.dim(1) != g.kernel_w || kernel.dim(2) != g.channels ||
      kernel.dim(3) < 1)
    throw std::invalid_argument(std::string(op) + ": kernel must be [" + std::to_string(g.kernel_h) + ", " +
                                std::to_string(g.kernel_w) + ", " + std::to_string(g.channels) + ", M], got " +
                                shape_to_string(kernel.shape()));
  const int64_t m = kernel.dim(3);
  require_shape(y, {g.batch, g.out_h, g.out_w, g.channels * m}, (std::string(op) + ": y").c_str());
  return m;
}

void check_col2im(const WindowGeometry& g, const Tensor& cols, const Tensor& dx) {
  check_geometry(g, "col2im");
  require_shape(dx, window_input_shape(g), "col2im: dx");
  require_shape(cols, cols_shape(g), "col2im: cols");
}

void check_upsample(int64_t sh, int64_t sw, const Tensor& small, const Tensor& large, const char* op) {
  if (sh < 1 || sw < 1)
    throw std::invalid_argument(std::string(op) + ": size must be two sizes >= 1, got " + std::to_string(sh) + "x" +
                                std::to_string(sw));
  if (small.rank() != 4)
    throw std::invalid_argument(std::string(op) + ": expected an image batch [B, H, W, C], got " +
                                shape_to_string(small.shape()));
  require_shape(large, {small.dim(0), small.dim(1) * sh, small.dim(2) * sw, small.dim(3)}, op);
}

void check_pool_forward(const WindowGeometry& g, const Tensor& x, const Tensor& y) {
  check_geometry(g, "pool_forward");
  require_undilated(g, "pool_forward");
  require_shape(x, window_input_shape(g), "pool_forward: x");
  require_shape(y, pooled_shape(g), "pool_forward: y");
}

void check_pool_backward(const WindowGeometry& g, const Tensor& x, const Tensor& y, const Tensor& dy,
                         const Tensor& dx) {
  check_geometry(g, "pool_backward");
  require_undilated(g, "pool_backward");
  const Shape out = pooled_shape(g);
  require_shape(x, window_input_shape(g), "pool_backward: x");
  require_shape(y, out, "pool_backward: y");
  require_shape(dy, out, "pool_backward: dy");
  require_shape(dx, window_input_shape(g), "pool_backward: dx");
}

// ---- batch normalization -------------------------------------------------------------

MatrixDims check_rows(const Tensor& x, const char* op) {
  if (x.rank() != 2 || x.dim(0) == 0 || x.dim(1) == 0)
    throw std::invalid_argument(std::string(op) + ": x must be a non-empty [R, C] matrix, got " +
                                shape_to_string(x.shape()));
  return {x.dim(0), x.dim(1)};
}

MatrixDims check_moments(const Tensor& x, const Tensor& mean, const Tensor& variance) {
  const MatrixDims rc = check_rows(x, "moments");
  require_shape(mean, {rc.cols}, "moments: mean");
  require_shape(variance, {rc.cols}, "moments: variance");
  return rc;
}

MatrixDims check_batch_norm_forward(const Tensor& x, const Tensor& mean, const Tensor& variance,
                                 const Tensor& gamma, const Tensor& beta, const Tensor& y) {
  const MatrixDims rc = check_rows(x, "batch_norm_forward");
  require_shape(mean, {rc.cols}, "batch_norm_forward: mean");
  require_shape(variance, {rc.cols}, "batch_norm_forward: variance");
  require_shape(gamma, {rc.cols}, "batch_norm_forward: gamma");
  require_shape(beta, {rc.cols}, "batch_norm_forward: beta");
  require_shape(y, x.shape(), "batch_norm_forward: y");
  return rc;
}

MatrixDims check_batch_norm_backward(const Tensor& x, const Tensor& mean, const Tensor& variance,
                                  const Tensor& gamma, const Tensor& dy, const Tensor& dx,
                                  const Tensor& dgamma, const Tensor& dbeta) {
  const MatrixDims rc = check_rows(x, "batch_norm_backward");
  require_shape(mean, {rc.cols}, "batch_norm_backward: mean");
  require_shape(variance, {rc.cols}, "batch_norm_backward: variance");
  require_shape(gamma, {rc.cols}, "batch_norm_backward: gamma");
  require_shape(dgamma, {rc.cols}, "batch_norm_backward: dgamma");
  require_shape(dbeta, {rc.cols}, "batch_norm_backward: dbeta");
  require_shape(dy, x.shape(), "batch_norm_backward: dy");
  require_shape(dx, x.shape(), "batch_norm_backward: dx");
  return rc;
}

// ---- layer normalization over each row -------------------------------------------------

MatrixDims check_layer_norm_forward(const Tensor& x, const Tensor& gamma, const Tensor& beta, const Tensor& y,
                                    const Tensor& mean, const Tensor& inv_std) {
  const MatrixDims rc = check_rows(x, "layer_norm_forward");
  require_shape(gamma, {rc.cols}, "layer_norm_forward: gamma");
  require_shape(beta, {rc.cols}, "layer_norm_forward: beta");
  require_shape(y, x.shape(), "layer_norm_forward: y");
  require_shape(mean, {rc.rows}, "layer_norm_forward: mean");
  require_shape(inv_std, {rc.rows}, "layer_norm_forward: inv_std");
  return rc;
}

MatrixDims check_layer_norm_backward(const Tensor& x, const Tensor& mean, const Tensor& inv_std,
                                     const Tensor& gamma, const Tensor& dy, const Tensor& dx, const Tensor& dgamma,
                                     const Tensor& dbeta) {
  const MatrixDims rc = check_rows(x, "layer_norm_backward");
  require_shape(mean, {rc.rows}, "layer_norm_backward: mean");
  require_shape(inv_std, {rc.rows}, "layer_norm_backward: inv_std");
  require_shape(gamma, {rc.cols}, "layer_norm_backward: gamma");
  require_shape(dgamma, {rc.cols}, "layer_norm_backward: dgamma");
  require_shape(dbeta, {rc.cols}, "layer_norm_backward: dbeta");
  require_shape(dy, x.shape(), "layer_norm_backward: dy");
  require_shape(dx, x.shape(), "layer_norm_backward: dx");
  return rc;
}

// ---- embedding ------------------------------------------------------------------------

void check_embedding_operands(const char* op, const Tensor& table, const Tensor& ids,
                              const Tensor& rows) {
  if (table.rank() != 2)
    throw std::invalid_argument(std::string(op) + ": table must be [V, D], got " +
                                shape_to_string(table.shape()));
  require_shape(rows, {ids.size(), table.dim(1)}, op);
}

// ---- recurrent layers -----------------------------------------------------------------

void check_swap_leading_axes(const Tensor& x, const Tensor& y) {
  if (x.rank() < 2)
    throw std::invalid_argument("swap_leading_axes: x needs two axes, got " +
                                shape_to_string(x.shape()));
  Shape swapped = x.shape();
  std::swap(swapped[0], swapped[1]);
  require_shape(y, swapped, "swap_leading_axes: y");
}

int64_t units_of(const Tensor& t, int64_t gates, const char* op) {
  if (t.rank() != 2 || t.dim(1) % gates != 0 || t.dim(1) == 0)
    throw std::invalid_argument(std::string(op) + ": expected [B, " + std::to_string(gates) +
                                "u], got " + shape_to_string(t.shape()));
  return t.dim(1) / gates;
}

int64_t check_lstm_cell_forward(const Tensor& pre, const Tensor& c_prev, const Tensor& gates,
                                const Tensor& c, const Tensor& h) {
  const int64_t u = units_of(pre, 4, "lstm_cell_forward"), batch = pre.dim(0);
  require_shape(gates, pre.shape(), "lstm_cell_forward: gates");
  require_shape(c_prev, {batch, u}, "lstm_cell_forward: c_prev");
  require_shape(c, {batch, u}, "lstm_cell_forward: c");
  require_shape(h, {batch, u}, "lstm_cell_forward: h");
  return u;
}

int64_t check_lstm_cell_backward(const Tensor& pre, const Tensor& gates, const Tensor& c_prev,
                                 const Tensor& c, const Tensor& dh, const Tensor& dc,
                                 const Tensor& dpre, const Tensor& dc_prev) {
  const int64_t u = units_of(pre, 4, "lstm_cell_backward"), batch = pre.dim(0);
  require_shape(gates, pre.shape(), "lstm_cell_backward: gates");
  require_shape(dpre, pre.shape(), "lstm_cell_backward: dpre");
  for (const Tensor* t : {&c_prev, &c, &dh, &dc, &dc_prev})
    require_shape(*t, {batch, u}, "lstm_cell_backward: state");
  return u;
}

int64_t check_gru_gates_forward(const Tensor& h_rec, const Tensor& h_prev, const Tensor& pre,
                                const Tensor& gates, const Tensor& rh) {
  const int64_t u = units_of(pre, 3, "gru_gates_forward"), batch = pre.dim(0);
  require_shape(h_rec, pre.shape(), "gru_gates_forward: h_rec");
  require_shape(gates, pre.shape(), "gru_gates_forward: gates");
  require_shape(h_prev, {batch, u}, "gru_gates_forward: h_prev");
  require_shape(rh, {batch, u}, "gru_gates_forward: rh");
  return u;
}

int64_t check_gru_output_forward(const Tensor& rh_rec, const Tensor& h_prev, const Tensor& pre,
                                 const Tensor& gates, const Tensor& h) {
  const int64_t u = units_of(pre, 3, "gru_output_forward"), batch = pre.dim(0);
  require_shape(rh_rec, pre.shape(), "gru_output_forward: rh_rec");
  require_shape(gates, pre.shape(), "gru_output_forward: gates");
  require_shape(h_prev, {batch, u}, "gru_output_forward: h_prev");
  require_shape(h, {batch, u}, "gru_output_forward: h");
  return u;
}

int64_t check_gru_output_backward(const Tensor& pre, const Tensor& gates, const Tensor& h_prev,
                                  const Tensor& dh, const Tensor& dpre_zr, const Tensor& dpre_h,
                                  const Tensor& dh_prev) {
  const int64_t u = units_of(pre, 3, "gru_output_backward"), batch = pre.dim(0);
  require_shape(gates, pre.shape(), "gru_output_backward: gates");
  require_shape(dpre_zr, pre.shape(), "gru_output_backward: dpre_zr");
  require_shape(dpre_h, pre.shape(), "gru_output_backward: dpre_h");
  for (const Tensor* t : {&h_prev, &dh, &dh_prev})
    require_shape(*t, {batch, u}, "gru_output_backward: state");
  return u;
}

int64_t check_gru_gates_backward(const Tensor& pre, const Tensor& gates, const Tensor& h_prev,
                                 const Tensor& drh, const Tensor& dpre_zr, const Tensor& dh_prev) {
  const int64_t u = units_of(pre, 3, "gru_gates_backward"), batch = pre.dim(0);
  require_shape(gates, pre.shape(), "gru_gates_backward: gates");
  require_shape(dpre_zr, pre.shape(), "gru_gates_backward: dpre_zr");
  for (const Tensor* t : {&h_prev, &drh, &dh_prev})
    require_shape(*t, {batch, u}, "gru_gates_backward: state");
  return u;
}

}  // namespace gapscope

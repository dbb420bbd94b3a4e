// The closed set of tensor primitives the engine needs. Layers, losses and
// optimizers call these and never a device API; core ships the CPU (Eigen)
// implementation, gpu/ ships Vulkan. All tensors must come from allocate() of
// the same backend. Matrices are rank-2 views, row-major.
#pragma once
#include <cstdint>
#include <limits>
#include <map>
#include <span>
#include <stdexcept>
#include <string>

#include "core/base/activation.h"
#include "core/base/loss.h"
#include "core/base/optimizer_config.h"
#include "core/tensor/tensor.h"

namespace gapscope {

// What is really active (SIMD level, threads, device name), recorded with every
// measurement so that no fallback goes unnoticed.
using Capabilities = std::map<std::string, std::string>;

// The geometry of a 2-D convolution or pooling window over channels-last
// images: x [batch, in_h, in_w, channels] -> y [batch, out_h, out_w, ...].
// Window (kh, kw) at output (oy, ox) covers input rows oy*stride_h - pad_top +
// i*dilation_h, columns ox*stride_w - pad_left + j*dilation_w; taps outside the
// image are padding.
struct WindowGeometry {
  int64_t batch = 0, in_h = 0, in_w = 0, channels = 0;
  int64_t kernel_h = 0, kernel_w = 0, stride_h = 1, stride_w = 1;
  int64_t pad_top = 0, pad_left = 0;
  int64_t out_h = 0, out_w = 0;
  // conv2d's dilation_rate; only im2col and col2im take one above 1.
  int64_t dilation_h = 1, dilation_w = 1;
};

enum class PoolKind { max, average };

// Keras's relu with its options, element-wise: max_value if x >= max_value;
// x if x > threshold; negative_slope * (x - threshold) otherwise (Keras's
// backend gives 0 at x == threshold).
struct PiecewiseLinear {
  float negative_slope = 0.0f, threshold = 0.0f;
  float max_value = std::numeric_limits<float>::infinity();  // infinity: no cap
};


// The backend cannot run on this machine at all (no Vulkan driver or device):
// callers report it as "unavailable" and go on with the other backends.
class BackendUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A device backend could not place a tensor (the paper's "GL OUT OF MEMORY"):
// the message names the bytes asked for, the device and what was in use.
class OutOfDeviceMemory : public std::runtime_error {
 public:
  OutOfDeviceMemory(const std::string& what, uint64_t bytes_requested)
      : std::runtime_error(what), bytes_requested_(bytes_requested) {}
  uint64_t bytes_requested() const { return bytes_requested_; }

 private:
  uint64_t bytes_requested_;
};

class OpsBackend {
 public:
  virtual ~OpsBackend() = default;

  virtual std::string id() const = 0;  // "native-cpu", "native-vulkan"
  virtual Capabilities capabilities() const = 0;

  // Memory ------------------------------------------------------------------
  virtual Tensor allocate(const Shape& shape) = 0;  // zero-filled
  virtual void upload(Tensor& dst, std::span<const float> src) = 0;
  virtual void download(const Tensor& src, std::span<float> dst) = 0;
  virtual void fill(Tensor& t, float value) = 0;
  virtual void copy(const Tensor& src, Tensor& dst) = 0;
  // Waits until all queued work is done (no-op on the CPU).
  virtual void synchronize() {}
  // Threads the ops split their work over (e.g. for layers sizing their
  // cache-resident chunks: each thread's share should fit its own caches).
  virtual int parallelism() const { return 1; }
  // Peak bytes of device memory its tensors held (0 for host backends).
  virtual uint64_t device_memory_peak_bytes() const { return 0; }

  // Linear algebra ----------------------------------------------------------
  // C[M,N] = alpha * op(A) * op(B) + beta * C, op = transpose when the flag is set.
  virtual void gemm(bool transpose_a, bool transpose_b, float alpha, const Tensor& a,
                    const Tensor& b, float beta, Tensor& c) = 0;
  // y[r, :] += bias for every row r; y is [R, N], bias [N].
  virtual void add_row_bias(Tensor& y, const Tensor& bias) = 0;
  // out[N] = beta * out + sum over rows of x[R, N].
  virtual void sum_rows(const Tensor& x, float beta, Tensor& out) = 0;

  // Element-wise -------------------------------------------------------------
  // Rows are the last axis (softmax normalises over it).
  virtual void activation_forward(Activation act, const Tensor& x, Tensor& y) = 0;
  // dx = dy * f'(x); softmax uses y: dx = y * (dy - sum(dy * y)).
  virtual void activation_backward(Activation act, const Tensor& x, const Tensor& y,
                                   const Tensor& dy, Tensor& dx) = 0;
  // y = x * mask, mask = (u >= rate) / (1 - rate) with u uniform from (seed, index).
  virtual void dropout_forward(const Tensor& x, float rate, uint64_t seed, Tensor& mask,
                               Tensor& y) = 0;
  // y = f(x) for Keras's relu with its options (leaky_relu: threshold 0, no cap).
  virtual void piecewise_linear_forward(const PiecewiseLinear& f, const Tensor& x, Tensor& y) = 0;
  // dx = dy * f'(x) (dx may be dy), with TF.js's kinks: 1 for threshold < x <= max_value,
  // 0 above max_value, negative_slope at or below the threshold.
  virtual void piecewise_linear_backward(const PiecewiseLinear& f, const Tensor& x, const Tensor& dy,
                                         Tensor& dx) = 0;
  // y = a * b element-wise.
  virtual void multiply(const Tensor& a, const Tensor& b, Tensor& y) = 0;
  // y = max(y, x) element-wise (the maximum merge, one input at a time).
  virtual void maximum(const Tensor& x, Tensor& y) = 0;
  // The maximum merge's gradient for one input, inputs taken in order: where
  // x == y, dx = remaining and remaining = 0; elsewhere dx = 0. Ties so go to
  // the first input, as TF.js's chain of maximum ops sends them.
  virtual void maximum_backward(const Tensor& x, const Tensor& y, Tensor& remaining, Tensor& dx) = 0;
  // y = y + alpha * x.
  virtual void axpy(float alpha, const Tensor& x, Tensor& y) = 0;

  // y = alpha * x + beta * y.
  virtual void axpby(float alpha, const Tensor& x, float beta, Tensor& y) = 0;
  // A block of columns between matrices src [R, Sc] and dst [R, Dc]:
  // dst[r, dst_column + j] = src[r, src_column + j] for j < columns; dst's
  // other columns keep their values (concatenate and its gradient).
  virtual void copy_columns(const Tensor& src, int64_t src_column, Tensor& dst, int64_t dst_column,
                            int64_t columns) = 0;

  // Convolution and pooling (channels-last) -----------------------------------
  // cols [B*out_h*out_w, kernel_h*kernel_w*C]: row (b, oy, ox) holds the window's
  // taps in (i, j, c) order, c fastest (= the TF.js kernel [kh, kw, in, out]
  // flattened to [kh*kw*in, out]); padding taps are 0.
  virtual void im2col(const WindowGeometry& g, const Tensor& x, Tensor& cols) = 0;
  // The adjoint of im2col: dx [B, in_h, in_w, C] = sum of every tap's value in
  // cols at its pixel (overwrites dx; padding taps are dropped).
  virtual void col2im(const WindowGeometry& g, const Tensor& cols, Tensor& dx) = 0;
  // y [B, out_h, out_w, C]: max or mean over the window's in-image taps
  // (average ignores padding taps, as TF does).
  virtual void pool_forward(PoolKind kind, const WindowGeometry& g, const Tensor& x, Tensor& y) = 0;
  // dx [B, in_h, in_w, C] (overwritten). max: each dy goes to the first tap (in
  // window order) whose x equals y; average: dy / count to every in-image tap.
  virtual void pool_backward(PoolKind kind, const WindowGeometry& g, const Tensor& x,
                             const Tensor& y, const Tensor& dy, Tensor& dx) = 0;

  // Nearest up-sampling: x [B, H, W, C] -> y [B, H*sh, W*sw, C] (overwritten),
  // each pixel repeated over an sh x sw block.
  virtual void upsample_nearest_forward(int64_t sh, int64_t sw, const Tensor& x, Tensor& y) = 0;
  // dx [B, H, W, C] (overwritten) = the sum of dy over each pixel's block.
  virtual void upsample_nearest_backward(int64_t sh, int64_t sw, const Tensor& dy, Tensor& dx) = 0;

  // Depthwise convolution: each input channel c has its own M filters
  // (Keras's depth_multiplier). x [B, in_h, in_w, C], kernel [kh, kw, C, M]:
  // y [B, out_h, out_w, C*M] (overwritten), y[.., c*M + m] = sum over the
  // window's in-image taps (i, j) of x[.., iy, ix, c] * kernel[i, j, c, m].
  virtual void depthwise_conv_forward(const WindowGeometry& g, const Tensor& x, const Tensor& kernel, Tensor& y) = 0;
  // Its adjoints: dx [B, in_h, in_w, C] and dkernel [kh, kw, C, M], both
  // overwritten, from dy [B, out_h, out_w, C*M].
  virtual void depthwise_conv_backward_input(const WindowGeometry& g, const Tensor& kernel, const Tensor& dy,
                                             Tensor& dx) = 0;
  virtual void depthwise_conv_backward_kernel(const WindowGeometry& g, const Tensor& x, const Tensor& dy,
                                              Tensor& dkernel) = 0;

  // Batch normalization over rows (x [R, C], statistics per column) ------------
  // mean[C], variance[C] of x over its R rows (biased: divides by R).
  virtual void moments(const Tensor& x, Tensor& mean, Tensor& variance) = 0;
  // y = gamma * (x - mean) / sqrt(variance + epsilon) + beta.
  virtual void batch_norm_forward(const Tensor& x, const Tensor& mean, const Tensor& variance,
                                  const Tensor& gamma, const Tensor& beta, float epsilon,
                                  Tensor& y) = 0;
  // Gradients of the training-mode forward (mean/variance are x's own moments):
  // dgamma, dbeta [C] (overwritten) and dx [R, C] (overwritten).
  virtual void batch_norm_backward(const Tensor& x, const Tensor& mean, const Tensor& variance,
                                   const Tensor& gamma, float epsilon, const Tensor& dy,
                                   Tensor& dx, Tensor& dgamma, Tensor& dbeta) = 0;

  // Layer normalization over each row (x [R, C], statistics per row) -----------
  // mean[R] and inv_std[R] = 1 / sqrt(variance + epsilon) of each row (biased
  // variance), y = (x - mean) * inv_std * gamma + beta; all overwritten.
  virtual void layer_norm_forward(const Tensor& x, const Tensor& gamma, const Tensor& beta, float epsilon,
                                  Tensor& y, Tensor& mean, Tensor& inv_std) = 0;
  // From the forward's mean and inv_std: dx [R, C], dgamma, dbeta [C] (all
  // overwritten), through each row's own statistics.
  virtual void layer_norm_backward(const Tensor& x, const Tensor& mean, const Tensor& inv_std,
                                   const Tensor& gamma, const Tensor& dy, Tensor& dx, Tensor& dgamma,
                                   Tensor& dbeta) = 0;

  // Embedding -------------------------------------------------------------------
  // out[i, :] = table[ids[i], :]; table [V, D], ids [N] hold integers as floats.
  // An id outside [0, V) throws std::out_of_range naming it (CPU) or is an error
  // the device backend reports on synchronize.
  virtual void gather_rows(const Tensor& table, const Tensor& ids, Tensor& out) = 0;
  // dtable = 0, then dtable[ids[i], :] += dout[i, :].
  virtual void scatter_add_rows(const Tensor& dout, const Tensor& ids, Tensor& dtable) = 0;

  // Recurrent layers (time-major inside the layer) ------------------------------
  // y [B, A, F...] from x [A, B, F...]: y[j, i, :] = x[i, j, :].
  virtual void swap_leading_axes(const Tensor& x, Tensor& y) = 0;
  // LSTM step, TF.js gate order i, f, c, o. pre [B, 4u] pre-activations, c_prev [B, u].
  // gates [B, 4u] = [rec(i), rec(f), act(c~), rec(o)]; c = f*c_prev + i*c~; h = o*act(c).
  virtual void lstm_cell_forward(Activation recurrent, Activation act, const Tensor& pre,
                                 const Tensor& c_prev, Tensor& gates, Tensor& c, Tensor& h) = 0;
  // dh [B, u] (into h), dc [B, u] (into c from step t+1) -> dpre [B, 4u] and
  // dc_prev [B, u] (both overwritten; dc_prev may alias dc). Derivatives of the
  // activations are taken at pre (and at c for act(c)), so kinks follow TF.js.
  virtual void lstm_cell_backward(Activation recurrent, Activation act, const Tensor& pre,
                                  const Tensor& gates, const Tensor& c_prev, const Tensor& c,
                                  const Tensor& dh, const Tensor& dc, Tensor& dpre,
                                  Tensor& dc_prev) = 0;
  // GRU step (TF.js: reset_after false, gate order z, r, h):
  //   z, r = rec(x W_zr + b_zr + h_prev U_zr);  h~ = act(x W_h + b_h + (r*h_prev) U_h)
  //   h = z*h_prev + (1-z)*h~
  // pre [B, 3u] holds x W + b on entry and is completed in place, third by third,
  // so that it ends as the pre-activations of z, r, h~ (backward needs them).
  // 1) h_rec [B, 3u] = h_prev U (its z and r thirds are used):
  //    pre[:, zr] += h_rec[:, zr]; gates[:, zr] = rec(pre[:, zr]); rh [B, u] = r * h_prev.
  virtual void gru_gates_forward(Activation recurrent, const Tensor& h_rec, const Tensor& h_prev,
                                 Tensor& pre, Tensor& gates, Tensor& rh) = 0;
  // 2) rh_rec [B, 3u] = rh U (its h third is used): pre[:, h] += rh_rec[:, h];
  //    gates[:, h] = act(pre[:, h]); h = z*h_prev + (1-z)*gates[:, h].
  virtual void gru_output_forward(Activation act, const Tensor& rh_rec, const Tensor& h_prev,
                                  Tensor& pre, Tensor& gates, Tensor& h) = 0;
  // Backward of step 2 from dh [B, u]. Writes (overwrites) two [B, 3u] parts of
  // d pre, each zero outside its thirds, because U's thirds meet different
  // inputs (h_prev for z, r; rh for h~):
  //   dpre_zr[:, z] = dh*(h_prev - h~)*rec'(pre_z)   (r third: 0 until gru_gates_backward)
  //   dpre_h[:, h]  = dh*(1 - z)*act'(pre_h)
  // and adds dh*z to dh_prev [B, u].
  virtual void gru_output_backward(Activation recurrent, Activation act, const Tensor& pre,
                                   const Tensor& gates, const Tensor& h_prev, const Tensor& dh,
                                   Tensor& dpre_zr, Tensor& dpre_h, Tensor& dh_prev) = 0;
  // Backward of step 1, once drh [B, u] = dpre_h U^T is known:
  // dpre_zr[:, r] = drh*h_prev*rec'(pre_r); dh_prev += drh*r. (The caller then
  // adds dpre_zr U^T to dh_prev.)
  virtual void gru_gates_backward(Activation recurrent, const Tensor& pre, const Tensor& gates,
                                  const Tensor& h_prev, const Tensor& drh, Tensor& dpre_zr,
                                  Tensor& dh_prev) = 0;

  // Loss ----------------------------------------------------------------------
  // loss_out[1] = mean over the batch; grad (if non-null) = d loss / d output.
  virtual void loss_forward_backward(Loss loss, const Tensor& output, const Tensor& target,
                                     Tensor& loss_out, Tensor* grad) = 0;
  // Fused softmax + categorical cross-entropy gradient w.r.t. the logits:
  // grad = (probabilities * sum(target) - target) / B, i.e. (p - onehot) / B for
  // one-hot or sparse targets; loss as loss_forward_backward.
  virtual void softmax_crossentropy_backward(Loss loss, const Tensor& probabilities,
                                             const Tensor& target, Tensor& loss_out,
                                             Tensor& grad_logits) = 0;
  // correct_out[1] = number of rows whose argmax matches the target (one-hot or
  // sparse index). With one output column or binary cross-entropy it follows
  // TF.js's binaryAccuracy: (output > 0.5) == target, each row adding the
  // fraction of its columns that match.
  virtual void count_correct(const Tensor& output, const Tensor& target, Loss loss,
                             Tensor& correct_out) = 0;

  // Optimizer ---------------------------------------------------------------
  // One update of param from grad; slots hold optimizer_slot_count() tensors
  // shaped like param, created zero by the caller and initialised on step 1.
  // step counts from 1.
  virtual void optimizer_update(const OptimizerConfig& config, int64_t step, Tensor& param,
                                const Tensor& grad, std::span<Tensor> slots) = 0;
};

}  // namespace gapscope

// The closed set of tensor primitives the engine needs. Layers, losses and
// optimizers call these and never a device API; core ships the CPU (Eigen)
// implementation, gpu/ ships Vulkan. All tensors must come from allocate() of
// the same backend. Matrices are rank-2 views, row-major.
#pragma once
#include <cstdint>
#include <map>
#include <span>
#include <string>

#include "core/nn/activation.h"
#include "core/nn/loss.h"
#include "core/nn/optimizer_config.h"
#include "core/tensor/tensor.h"

namespace gapscope {

// What is really active (SIMD level, threads, device name), recorded with every
// measurement so that no fallback goes unnoticed.
using Capabilities = std::map<std::string, std::string>;

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
  // y = a * b element-wise.
  virtual void multiply(const Tensor& a, const Tensor& b, Tensor& y) = 0;
  // y = y + alpha * x.
  virtual void axpy(float alpha, const Tensor& x, Tensor& y) = 0;

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

// native-cpu: the OpsBackend on host memory, Eigen for element-wise math and
// our own packed SGEMM on a thread pool.
#pragma once
#include <memory>

#include "core/ops/ops_backend.h"

namespace gapscope {

class ThreadPool;

class CpuBackend final : public OpsBackend {
 public:
  explicit CpuBackend(int threads = 0);  // 0 = all hardware threads
  ~CpuBackend() override;

  std::string id() const override { return "native-cpu"; }
  Capabilities capabilities() const override;
  int threads() const;
  int parallelism() const override { return threads(); }

  Tensor allocate(const Shape& shape) override;
  void upload(Tensor& dst, std::span<const float> src) override;
  void download(const Tensor& src, std::span<float> dst) override;
  void fill(Tensor& t, float value) override;
  void copy(const Tensor& src, Tensor& dst) override;

  void gemm(bool transpose_a, bool transpose_b, float alpha, const Tensor& a, const Tensor& b,
            float beta, Tensor& c) override;
  void add_row_bias(Tensor& y, const Tensor& bias) override;
  void sum_rows(const Tensor& x, float beta, Tensor& out) override;

  void activation_forward(Activation act, const Tensor& x, Tensor& y) override;
  void activation_backward(Activation act, const Tensor& x, const Tensor& y, const Tensor& dy,
                           Tensor& dx) override;
  void dropout_forward(const Tensor& x, float rate, uint64_t seed, Tensor& mask,
                       Tensor& y) override;
  void piecewise_linear_forward(const PiecewiseLinear& f, const Tensor& x, Tensor& y) override;
  void piecewise_linear_backward(const PiecewiseLinear& f, const Tensor& x, const Tensor& dy, Tensor& dx) override;
  void multiply(const Tensor& a, const Tensor& b, Tensor& y) override;
  void maximum(const Tensor& x, Tensor& y) override;
  void maximum_backward(const Tensor& x, const Tensor& y, Tensor& remaining, Tensor& dx) override;
  void axpy(float alpha, const Tensor& x, Tensor& y) override;
  void axpby(float alpha, const Tensor& x, float beta, Tensor& y) override;
  void copy_columns(const Tensor& src, int64_t src_column, Tensor& dst, int64_t dst_column,
                    int64_t columns) override;

  // cpu_backend_window.cpp
  void im2col(const WindowGeometry& g, const Tensor& x, Tensor& cols) override;
  void col2im(const WindowGeometry& g, const Tensor& cols, Tensor& dx) override;
  void pool_forward(PoolKind kind, const WindowGeometry& g, const Tensor& x, Tensor& y) override;
  void pool_backward(PoolKind kind, const WindowGeometry& g, const Tensor& x, const Tensor& y,
                     const Tensor& dy, Tensor& dx) override;
  void upsample_nearest_forward(int64_t sh, int64_t sw, const Tensor& x, Tensor& y) override;
  void upsample_nearest_backward(int64_t sh, int64_t sw, const Tensor& dy, Tensor& dx) override;
  // cpu_backend_depthwise.cpp
  void depthwise_conv_forward(const WindowGeometry& g, const Tensor& x, const Tensor& kernel, Tensor& y) override;
  void depthwise_conv_backward_input(const WindowGeometry& g, const Tensor& kernel, const Tensor& dy,
                                     Tensor& dx) override;
  void depthwise_conv_backward_kernel(const WindowGeometry& g, const Tensor& x, const Tensor& dy,
                                      Tensor& dkernel) override;
  // cpu_backend_batch_norm.cpp
  void moments(const Tensor& x, Tensor& mean, Tensor& variance) override;
  void batch_norm_forward(const Tensor& x, const Tensor& mean, const Tensor& variance,
                          const Tensor& gamma, const Tensor& beta, float epsilon,
                          Tensor& y) override;
  void batch_norm_backward(const Tensor& x, const Tensor& mean, const Tensor& variance,
                           const Tensor& gamma, float epsilon, const Tensor& dy, Tensor& dx,
                           Tensor& dgamma, Tensor& dbeta) override;
  // cpu_backend_layer_norm.cpp
  void layer_norm_forward(const Tensor& x, const Tensor& gamma, const Tensor& beta, float epsilon, Tensor& y,
                          Tensor& mean, Tensor& inv_std) override;
  void layer_norm_backward(const Tensor& x, const Tensor& mean, const Tensor& inv_std, const Tensor& gamma,
                           const Tensor& dy, Tensor& dx, Tensor& dgamma, Tensor& dbeta) override;
  // cpu_backend_recurrent.cpp (embedding and recurrent cells)
  void gather_rows(const Tensor& table, const Tensor& ids, Tensor& out) override;
  void scatter_add_rows(const Tensor& dout, const Tensor& ids, Tensor& dtable) override;
  void swap_leading_axes(const Tensor& x, Tensor& y) override;
  void lstm_cell_forward(Activation recurrent, Activation act, const Tensor& pre,
                         const Tensor& c_prev, Tensor& gates, Tensor& c, Tensor& h) override;
  void lstm_cell_backward(Activation recurrent, Activation act, const Tensor& pre,
                          const Tensor& gates, const Tensor& c_prev, const Tensor& c,
                          const Tensor& dh, const Tensor& dc, Tensor& dpre,
                          Tensor& dc_prev) override;
  void gru_gates_forward(Activation recurrent, const Tensor& h_rec, const Tensor& h_prev,
                         Tensor& pre, Tensor& gates, Tensor& rh) override;
  void gru_output_forward(Activation act, const Tensor& rh_rec, const Tensor& h_prev, Tensor& pre,
                          Tensor& gates, Tensor& h) override;
  void gru_output_backward(Activation recurrent, Activation act, const Tensor& pre,
                           const Tensor& gates, const Tensor& h_prev, const Tensor& dh,
                           Tensor& dpre_zr, Tensor& dpre_h, Tensor& dh_prev) override;
  void gru_gates_backward(Activation recurrent, const Tensor& pre, const Tensor& gates,
                          const Tensor& h_prev, const Tensor& drh, Tensor& dpre_zr,
                          Tensor& dh_prev) override;

  void loss_forward_backward(Loss loss, const Tensor& output, const Tensor& target,
                             Tensor& loss_out, Tensor* grad) override;
  void softmax_crossentropy_backward(Loss loss, const Tensor& probabilities, const Tensor& target,
                                     Tensor& loss_out, Tensor& grad_logits) override;
  void count_correct(const Tensor& output, const Tensor& target, Loss loss,
                     Tensor& correct_out) override;

  void optimizer_update(const OptimizerConfig& config, int64_t step, Tensor& param,
                        const Tensor& grad, std::span<Tensor> slots) override;

 private:
  std::unique_ptr<ThreadPool> pool_;
};

}  // namespace gapscope

// native-vulkan: the OpsBackend on a Vulkan device. Tensors stay in device
// memory; each op records a compute dispatch into the device's command stream,
// which is submitted only when the host needs a result (download, synchronize):
// one training step = one submit. Op implementations are split by family over
// vulkan_backend_*.cpp, each dispatching the GLSL kernels of gpu/shaders.
#pragma once
#include <cstring>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "core/ops/ops_backend.h"
#include "gpu/vulkan/vulkan_device.h"

namespace gapscope::gpu {

class VulkanBackend final : public OpsBackend {
 public:
  explicit VulkanBackend(const VulkanOptions& options = {});
  ~VulkanBackend() override;

  std::string id() const override { return "native-vulkan"; }
  Capabilities capabilities() const override;
  // Work is spread over the whole GPU: layers need not cut batches into
  // cache-sized chunks.
  int parallelism() const override { return 1 << 12; }
  uint64_t device_memory_peak_bytes() const override { return device_->memory.peak_bytes_in_use(); }

  Tensor allocate(const Shape& shape) override;
  void upload(Tensor& dst, std::span<const float> src) override;
  void download(const Tensor& src, std::span<float> dst) override;
  void fill(Tensor& t, float value) override;
  void copy(const Tensor& src, Tensor& dst) override;
  void synchronize() override;

  // vulkan_backend_gemm.cpp
  void gemm(bool transpose_a, bool transpose_b, float alpha, const Tensor& a, const Tensor& b,
            float beta, Tensor& c) override;
  // vulkan_backend_reduce.cpp
  void add_row_bias(Tensor& y, const Tensor& bias) override;
  void sum_rows(const Tensor& x, float beta, Tensor& out) override;

  // vulkan_backend_elementwise.cpp
  void activation_forward(Activation act, const Tensor& x, Tensor& y) override;
  void activation_backward(Activation act, const Tensor& x, const Tensor& y, const Tensor& dy,
                           Tensor& dx) override;
  void dropout_forward(const Tensor& x, float rate, uint64_t seed, Tensor& mask, Tensor& y) override;
  void piecewise_linear_forward(const PiecewiseLinear& f, const Tensor& x, Tensor& y) override;
  void piecewise_linear_backward(const PiecewiseLinear& f, const Tensor& x, const Tensor& dy, Tensor& dx) override;
  void multiply(const Tensor& a, const Tensor& b, Tensor& y) override;
  void maximum(const Tensor& x, Tensor& y) override;
  void maximum_backward(const Tensor& x, const Tensor& y, Tensor& remaining, Tensor& dx) override;
  void axpy(float alpha, const Tensor& x, Tensor& y) override;
  void axpby(float alpha, const Tensor& x, float beta, Tensor& y) override;
  void copy_columns(const Tensor& src, int64_t src_column, Tensor& dst, int64_t dst_column,
                    int64_t columns) override;

  // vulkan_backend_window.cpp
  void im2col(const WindowGeometry& g, const Tensor& x, Tensor& cols) override;
  void col2im(const WindowGeometry& g, const Tensor& cols, Tensor& dx) override;
  void pool_forward(PoolKind kind, const WindowGeometry& g, const Tensor& x, Tensor& y) override;
  void pool_backward(PoolKind kind, const WindowGeometry& g, const Tensor& x, const Tensor& y,
                     const Tensor& dy, Tensor& dx) override;
  void upsample_nearest_forward(int64_t sh, int64_t sw, const Tensor& x, Tensor& y) override;
  void upsample_nearest_backward(int64_t sh, int64_t sw, const Tensor& dy, Tensor& dx) override;
  void depthwise_conv_forward(const WindowGeometry& g, const Tensor& x, const Tensor& kernel, Tensor& y) override;
  void depthwise_conv_backward_input(const WindowGeometry& g, const Tensor& kernel, const Tensor& dy,
                                     Tensor& dx) override;
  void depthwise_conv_backward_kernel(const WindowGeometry& g, const Tensor& x, const Tensor& dy,
                                      Tensor& dkernel) override;

  // vulkan_backend_batch_norm.cpp
  void moments(const Tensor& x, Tensor& mean, Tensor& variance) override;
  void batch_norm_forward(const Tensor& x, const Tensor& mean, const Tensor& variance,
                          const Tensor& gamma, const Tensor& beta, float epsilon, Tensor& y) override;
  void batch_norm_backward(const Tensor& x, const Tensor& mean, const Tensor& variance,
                           const Tensor& gamma, float epsilon, const Tensor& dy, Tensor& dx,
                           Tensor& dgamma, Tensor& dbeta) override;

  // vulkan_backend_layer_norm.cpp
  void layer_norm_forward(const Tensor& x, const Tensor& gamma, const Tensor& beta, float epsilon, Tensor& y,
                          Tensor& mean, Tensor& inv_std) override;
  void layer_norm_backward(const Tensor& x, const Tensor& mean, const Tensor& inv_std, const Tensor& gamma,
                           const Tensor& dy, Tensor& dx, Tensor& dgamma, Tensor& dbeta) override;

  // vulkan_backend_recurrent.cpp
  void gather_rows(const Tensor& table, const Tensor& ids, Tensor& out) override;
  void scatter_add_rows(const Tensor& dout, const Tensor& ids, Tensor& dtable) override;
  void swap_leading_axes(const Tensor& x, Tensor& y) override;
  void lstm_cell_forward(Activation recurrent, Activation act, const Tensor& pre,
                         const Tensor& c_prev, Tensor& gates, Tensor& c, Tensor& h) override;
  void lstm_cell_backward(Activation recurrent, Activation act, const Tensor& pre,
                          const Tensor& gates, const Tensor& c_prev, const Tensor& c,
                          const Tensor& dh, const Tensor& dc, Tensor& dpre, Tensor& dc_prev) override;
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

  // vulkan_backend_loss.cpp
  void loss_forward_backward(Loss loss, const Tensor& output, const Tensor& target,
                             Tensor& loss_out, Tensor* grad) override;
  void softmax_crossentropy_backward(Loss loss, const Tensor& probabilities, const Tensor& target,
                                     Tensor& loss_out, Tensor& grad_logits) override;
  void count_correct(const Tensor& output, const Tensor& target, Loss loss,
                     Tensor& correct_out) override;

  // vulkan_backend_optimizer.cpp
  void optimizer_update(const OptimizerConfig& config, int64_t step, Tensor& param,
                        const Tensor& grad, std::span<Tensor> slots) override;

  // Beyond the interface: what the device did and what it holds.
  const DeviceInfo& device_info() const { return device_->context.info(); }
  StreamCounters counters() const { return device_->stream.counters(); }
  void set_timestamps(bool on) { device_->stream.set_timestamps(on); }
  std::vector<KernelTime> kernel_table() const { return device_->stream.kernel_table(); }
  void clear_kernel_table() { device_->stream.clear_kernel_table(); }
  uint64_t peak_device_bytes() const { return device_->memory.peak_bytes_in_use(); }
  uint64_t device_bytes_in_use() const { return device_->memory.bytes_in_use(); }
  size_t pipelines_created() const { return device_->kernels.pipelines_created(); }

 private:
  // A tensor bound to a kernel, read-only or written.
  struct Arg {
    const Tensor* tensor;
    bool write;
  };
  static Arg in(const Tensor& t) { return {&t, false}; }
  static Arg out(Tensor& t) { return {&t, true}; }
  struct Groups {
    uint32_t x = 1, y = 1, z = 1;
  };
  // Enough workgroups of `size` invocations for n items (kernels loop over
  // what one grid cannot cover: at most 65535 groups per dimension).
  static Groups linear_groups(int64_t n, uint32_t size = 256);

  BufferUse use(const Tensor& t, bool write) const;
  // Records one dispatch. Params (4-byte scalars only, std430-compatible)
  // follow the bound views' element offsets in the push constants.
  // With `status`, the status buffer (uint [code, value, limit, 0]) is bound
  // after the tensors, for kernels that report bad input (see VulkanDevice).
  template <class Params>
  void run(const std::string& kernel, std::initializer_list<Arg> args, const Params& params, Groups groups,
           const std::string& shape = {}, bool status = false) {
    static_assert(sizeof(Params) + kMaxBindings * 4 <= kPushBytes, "push constants too large");
    struct {
      uint32_t offsets[kMaxBindings];
      Params params;
    } push{};
    push.params = params;
    dispatch(kernel, args, push.offsets, &push, sizeof push, groups, shape, status);
  }
  void dispatch(const std::string& kernel, std::initializer_list<Arg> args, uint32_t* offsets, const void* push,
                uint32_t push_bytes, Groups groups, const std::string& shape, bool status);

  // A backend-owned temporary of at least `floats` (e.g. split-K partial
  // sums), one per slot; reusing it across ops is safe because the stream
  // orders every access to its bytes.
  Tensor scratch(int slot, int64_t floats);

  std::shared_ptr<VulkanDevice> device_;
  std::vector<Tensor> scratch_;
};

}  // namespace gapscope::gpu

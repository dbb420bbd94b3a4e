// PLACEHOLDER: replaced op by op with kernels (see gpu/shaders).
#include <stdexcept>

#include "gpu/vulkan/vulkan_backend.h"

namespace gapscope::gpu {

void VulkanBackend::gather_rows(const Tensor& table, const Tensor& ids, Tensor& out) {
  throw std::logic_error("native-vulkan: gather_rows is not implemented yet");
}

void VulkanBackend::scatter_add_rows(const Tensor& dout, const Tensor& ids, Tensor& dtable) {
  throw std::logic_error("native-vulkan: scatter_add_rows is not implemented yet");
}

void VulkanBackend::swap_leading_axes(const Tensor& x, Tensor& y) {
  throw std::logic_error("native-vulkan: swap_leading_axes is not implemented yet");
}

void VulkanBackend::lstm_cell_forward(Activation recurrent, Activation act, const Tensor& pre, const Tensor& c_prev, Tensor& gates, Tensor& c, Tensor& h) {
  throw std::logic_error("native-vulkan: lstm_cell_forward is not implemented yet");
}

void VulkanBackend::lstm_cell_backward(Activation recurrent, Activation act, const Tensor& pre, const Tensor& gates, const Tensor& c_prev, const Tensor& c, const Tensor& dh, const Tensor& dc, Tensor& dpre, Tensor& dc_prev) {
  throw std::logic_error("native-vulkan: lstm_cell_backward is not implemented yet");
}

void VulkanBackend::gru_gates_forward(Activation recurrent, const Tensor& h_rec, const Tensor& h_prev, Tensor& pre, Tensor& gates, Tensor& rh) {
  throw std::logic_error("native-vulkan: gru_gates_forward is not implemented yet");
}

void VulkanBackend::gru_output_forward(Activation act, const Tensor& rh_rec, const Tensor& h_prev, Tensor& pre, Tensor& gates, Tensor& h) {
  throw std::logic_error("native-vulkan: gru_output_forward is not implemented yet");
}

void VulkanBackend::gru_output_backward(Activation recurrent, Activation act, const Tensor& pre, const Tensor& gates, const Tensor& h_prev, const Tensor& dh, Tensor& dpre_zr, Tensor& dpre_h, Tensor& dh_prev) {
  throw std::logic_error("native-vulkan: gru_output_backward is not implemented yet");
}

void VulkanBackend::gru_gates_backward(Activation recurrent, const Tensor& pre, const Tensor& gates, const Tensor& h_prev, const Tensor& drh, Tensor& dpre_zr, Tensor& dh_prev) {
  throw std::logic_error("native-vulkan: gru_gates_backward is not implemented yet");
}

}  // namespace gapscope::gpu

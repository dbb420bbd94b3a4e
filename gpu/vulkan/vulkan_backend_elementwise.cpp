// PLACEHOLDER: replaced op by op with kernels (see gpu/shaders).
#include <stdexcept>

#include "core/ops/op_checks.h"
#include "gpu/vulkan/vulkan_backend.h"

namespace gapscope::gpu {

void VulkanBackend::activation_forward(Activation act, const Tensor& x, Tensor& y) {
  throw std::logic_error("native-vulkan: activation_forward is not implemented yet");
}

void VulkanBackend::activation_backward(Activation act, const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) {
  throw std::logic_error("native-vulkan: activation_backward is not implemented yet");
}

void VulkanBackend::dropout_forward(const Tensor& x, float rate, uint64_t seed, Tensor& mask, Tensor& y) {
  throw std::logic_error("native-vulkan: dropout_forward is not implemented yet");
}

void VulkanBackend::multiply(const Tensor& a, const Tensor& b, Tensor& y) {
  throw std::logic_error("native-vulkan: multiply is not implemented yet");
}

namespace {
struct AxpbyParams {
  uint32_t n;
  float alpha, beta;
};
}  // namespace

void VulkanBackend::axpy(float alpha, const Tensor& x, Tensor& y) { axpby(alpha, x, 1.0f, y); }

void VulkanBackend::axpby(float alpha, const Tensor& x, float beta, Tensor& y) {
  require_same_size(x, y, "axpby");
  run("axpby", {in(x), out(y)}, AxpbyParams{static_cast<uint32_t>(x.size()), alpha, beta}, linear_groups(x.size()));
}

}  // namespace gapscope::gpu

// Losses and accuracy on Vulkan: one kernel over the rows (row_ops.comp: the
// per-row loss or count into scratch, and the gradient), then one workgroup
// reduces the rows (row_total.comp). Shapes are checked as on the CPU; a
// sparse target that is no class index cannot be seen before the kernel runs,
// so it is reported through the status buffer and thrown at the next
// synchronize or download.
#include <string>

#include "core/ops/op_checks.h"
#include "gpu/vulkan/row_kernels.h"
#include "gpu/vulkan/vulkan_backend.h"

namespace gapscope::gpu {
namespace {

struct TotalParams {
  uint32_t n, divisor;
};

RowParams row_params(Loss loss, const LossRows& rows) {
  return {static_cast<uint32_t>(rows.count), static_cast<uint32_t>(rows.length), static_cast<int32_t>(loss),
          1.0f / static_cast<float>(rows.count)};
}

std::string variant(const char* kernel, const LossRows& rows) {
  return std::string(kernel) + "_t" + std::to_string(row_threads(rows.length));
}

}  // namespace

void VulkanBackend::loss_forward_backward(Loss loss, const Tensor& output, const Tensor& target, Tensor& loss_out,
                                          Tensor* grad) {
  const LossRows rows = check_loss_operands("loss_forward_backward", loss, output, target, loss_out);
  if (grad) require_shape(*grad, output.shape(), "loss_forward_backward: grad");
  const Groups groups = linear_groups(rows.count, static_cast<uint32_t>(256 / row_threads(rows.length)));
  const std::string shape = std::string(loss_name(loss)) + " " + shape_to_string(output.shape());
  Tensor per_row = scratch(1, rows.count);
  if (grad)
    run(variant("loss_grad", rows), {in(output), in(target), out(per_row), out(*grad)}, row_params(loss, rows),
        groups, shape, true);
  else
    run(variant("loss", rows), {in(output), in(target), out(per_row)}, row_params(loss, rows), groups, shape, true);
  run("row_total_mean", {in(per_row), out(loss_out)}, TotalParams{static_cast<uint32_t>(rows.count), 1},
      Groups{1, 1, 1}, shape);
}

void VulkanBackend::softmax_crossentropy_backward(Loss loss, const Tensor& probabilities, const Tensor& target,
                                                  Tensor& loss_out, Tensor& grad_logits) {
  const char* op = "softmax_crossentropy_backward";
  require_crossentropy(op, loss);
  const LossRows rows = check_loss_operands(op, loss, probabilities, target, loss_out);
  require_shape(grad_logits, probabilities.shape(), "softmax_crossentropy_backward: grad_logits");
  const std::string shape = std::string(loss_name(loss)) + " " + shape_to_string(probabilities.shape());
  Tensor per_row = scratch(1, rows.count);
  run(variant("softmax_xent", rows), {in(probabilities), in(target), out(per_row), out(grad_logits)},
      row_params(loss, rows), linear_groups(rows.count, static_cast<uint32_t>(256 / row_threads(rows.length))), shape,
      true);
  run("row_total_mean", {in(per_row), out(loss_out)}, TotalParams{static_cast<uint32_t>(rows.count), 1},
      Groups{1, 1, 1}, shape);
}

void VulkanBackend::count_correct(const Tensor& output, const Tensor& target, Loss loss, Tensor& correct_out) {
  const LossRows rows = check_loss_operands("count_correct", loss, output, target, correct_out);
  // binaryAccuracy: each row adds its matching fraction; the total is divided once.
  const bool binary = rows.length == 1 || loss == Loss::binary_crossentropy;
  const std::string shape = std::string(loss_name(loss)) + " " + shape_to_string(output.shape());
  Tensor per_row = scratch(1, rows.count);
  run(variant("count_correct", rows), {in(output), in(target), out(per_row)}, row_params(loss, rows),
      linear_groups(rows.count, static_cast<uint32_t>(256 / row_threads(rows.length))), shape, true);
  run("row_total_count", {in(per_row), out(correct_out)},
      TotalParams{static_cast<uint32_t>(rows.count), static_cast<uint32_t>(binary ? rows.length : 1)}, Groups{1, 1, 1},
      shape);
}

}  // namespace gapscope::gpu

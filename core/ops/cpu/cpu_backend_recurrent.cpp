// TEMPORARY stubs (being implemented): embedding and recurrent cells.
#include <stdexcept>

#include "core/ops/cpu/cpu_backend.h"

namespace gapscope {

void CpuBackend::gather_rows(const Tensor&, const Tensor&, Tensor&) { throw std::logic_error("not yet"); }
void CpuBackend::scatter_add_rows(const Tensor&, const Tensor&, Tensor&) { throw std::logic_error("not yet"); }
void CpuBackend::swap_leading_axes(const Tensor&, Tensor&) { throw std::logic_error("not yet"); }
void CpuBackend::lstm_cell_forward(Activation, Activation, const Tensor&, const Tensor&, Tensor&, Tensor&, Tensor&) {
  throw std::logic_error("not yet");
}
void CpuBackend::lstm_cell_backward(Activation, Activation, const Tensor&, const Tensor&, const Tensor&, const Tensor&,
                                    const Tensor&, const Tensor&, Tensor&, Tensor&) {
  throw std::logic_error("not yet");
}
void CpuBackend::gru_gates_forward(Activation, const Tensor&, const Tensor&, const Tensor&, Tensor&, Tensor&) {
  throw std::logic_error("not yet");
}
void CpuBackend::gru_output_forward(Activation, const Tensor&, const Tensor&, const Tensor&, Tensor&, Tensor&) {
  throw std::logic_error("not yet");
}
void CpuBackend::gru_output_backward(Activation, const Tensor&, const Tensor&, const Tensor&, Tensor&, Tensor&) {
  throw std::logic_error("not yet");
}
void CpuBackend::gru_gates_backward(Activation, const Tensor&, const Tensor&, const Tensor&, const Tensor&,
                                    const Tensor&, Tensor&, Tensor&) {
  throw std::logic_error("not yet");
}

}  // namespace gapscope

// TEMPORARY stubs (being implemented): batch normalization.
#include <stdexcept>

#include "core/ops/cpu/cpu_backend.h"

namespace gapscope {

void CpuBackend::moments(const Tensor&, Tensor&, Tensor&) { throw std::logic_error("moments: not yet"); }
void CpuBackend::batch_norm_forward(const Tensor&, const Tensor&, const Tensor&, const Tensor&, const Tensor&, float,
                                    Tensor&) {
  throw std::logic_error("batch_norm: not yet");
}
void CpuBackend::batch_norm_backward(const Tensor&, const Tensor&, const Tensor&, const Tensor&, float, const Tensor&,
                                     Tensor&, Tensor&, Tensor&) {
  throw std::logic_error("batch_norm: not yet");
}

}  // namespace gapscope

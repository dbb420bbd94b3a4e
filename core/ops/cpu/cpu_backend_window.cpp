// TEMPORARY stubs (being implemented): im2col/col2im and pooling.
#include <stdexcept>

#include "core/ops/cpu/cpu_backend.h"

namespace gapscope {

void CpuBackend::im2col(const WindowGeometry&, const Tensor&, Tensor&) { throw std::logic_error("im2col: not yet"); }
void CpuBackend::col2im(const WindowGeometry&, const Tensor&, Tensor&) { throw std::logic_error("col2im: not yet"); }
void CpuBackend::pool_forward(PoolKind, const WindowGeometry&, const Tensor&, Tensor&) { throw std::logic_error("pool: not yet"); }
void CpuBackend::pool_backward(PoolKind, const WindowGeometry&, const Tensor&, const Tensor&, const Tensor&, Tensor&) {
  throw std::logic_error("pool: not yet");
}

}  // namespace gapscope

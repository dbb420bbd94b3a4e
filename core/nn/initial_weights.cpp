#include "core/nn/initial_weights.h"

#include "core/nn/model.h"
#include "core/ops/cpu/cpu_backend.h"

namespace gapscope {

WeightSet initial_weights(const ModelSpec& spec, uint64_t seed) {
  CpuBackend cpu(1);
  Model model(spec, cpu, seed);
  return model.weights();
}

}  // namespace gapscope

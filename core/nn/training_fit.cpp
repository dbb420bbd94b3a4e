#include "core/nn/training_fit.h"

#include "core/base/number_text.h"
#include "core/base/system_memory.h"
#include "core/spec/training_memory.h"

namespace gapscope {

void check_training_fits_machine(Model& model, int64_t batch_size) {
  if (model.ops().device_memory_peak_bytes() != 0) return;  // a device backend
  const int64_t available = available_memory_bytes();
  if (available > 0)
    check_training_memory(model.spec(), batch_size, available,
                          "the " + format_bytes(available) + " this machine has available (" + memory_budget_source() + ")");
}

}  // namespace gapscope

// Before a model trains at a batch: on a host backend (one with no device
// memory of its own) training takes this machine's memory, so a batch that
// does not fit is refused with both sizes named rather than met by the OOM
// killer. A device backend's own allocations say OutOfDeviceMemory instead.
#pragma once
#include <cstdint>

#include "core/nn/model.h"

namespace gapscope {

// Throws SpecError when training `model` at `batch_size` needs more than this
// machine has available (MemAvailable or $GAPSCOPE_MEMORY_BUDGET); nothing on
// a device backend or when the available memory is unknown.
void check_training_fits_machine(Model& model, int64_t batch_size);

}  // namespace gapscope

// Whether training a model at a batch size fits a memory limit: the spec's
// own limit (validate_model_spec) or the machine's (core/nn/training_fit.h).
#pragma once
#include <cstdint>
#include <string>

#include "core/spec/model_spec.h"

namespace gapscope {

// Throws SpecError "model needs X to train at batch B (parameters ... +
// activations ...), over <limit>" when the estimate (estimate_training_memory)
// exceeds limit_bytes; `limit` says what the limit is ("the limit of 8 GiB").
void check_training_memory(const ModelSpec& spec, int64_t batch_size, int64_t limit_bytes, const std::string& limit);

}  // namespace gapscope

// The weights a seeded model starts from, without keeping the model: what a
// caller hands every backend so they all run the same numbers.
#pragma once
#include <cstdint>

#include "core/nn/weights.h"
#include "core/spec/model_spec.h"

namespace gapscope {

// Built on the CPU backend (one thread); the same values Model(spec, ops, seed) gets.
WeightSet initial_weights(const ModelSpec& spec, uint64_t seed);

}  // namespace gapscope

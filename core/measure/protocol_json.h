// A Protocol as JSON ({"batch_size", "load_warmup", ..., "phases"}): how it
// travels to the web harness and to a gapscope-native child process.
#pragma once
#include <nlohmann/json.hpp>

#include "core/measure/runner.h"

namespace gapscope {

nlohmann::json protocol_to_json(const Protocol& protocol);
// Fields left out keep their defaults; unknown fields, wrong types, negative
// counts and no timed run for a measured phase (train_runs 0 with "train" in
// phases) throw std::invalid_argument naming the field.
Protocol protocol_from_json(const nlohmann::json& j);

}  // namespace gapscope

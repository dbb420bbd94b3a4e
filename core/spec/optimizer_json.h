// The spec's "optimizer" object: {"type": "adam", "learning_rate": 0.001, ...}
// with snake_case fields; only the fields that apply to the type are accepted
// and written, and missing ones take default_optimizer_config(type).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/base/optimizer_config.h"

namespace gapscope {

// The fields (besides "type") that apply to an optimizer, in writing order.
std::vector<std::string_view> optimizer_field_names(OptimizerKind kind);

// Accepts the object form or a bare name ("adam": all defaults).
OptimizerConfig parse_optimizer_json(const nlohmann::json& j, const std::string& path);
nlohmann::json optimizer_to_json(const OptimizerConfig& config);
// Range checks of the fields that apply; errors name "<path>.<field>".
void check_optimizer_values(const OptimizerConfig& config, const std::string& path);

}  // namespace gapscope

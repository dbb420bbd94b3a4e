// One LayerSpec <-> its JSON object in a spec ({"type": "conv2d", ...}).
// Internal to core/spec: model_spec.cpp reads and writes whole specs with it.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "core/spec/model_spec.h"

namespace gapscope {

// Checks JSON types, names and unknown keys (SpecError with `path`, e.g.
// "layers[2]"); values are checked by validate_model_spec.
LayerSpec parse_layer_json(const nlohmann::json& j, const std::string& path);
// Every field of the layer's type; strides only when set.
nlohmann::json layer_spec_to_json(const LayerSpec& layer);
// Empty list fields that have a default get it (conv2d strides [1, 1],
// pooling strides = pool_size): parsing and validation both complete specs so.
void complete_layer_defaults(LayerSpec& layer);
// Image margins as Keras and the spec write them (n, [rows, columns],
// [[top, bottom], [left, right]], [top, bottom, left, right]) as
// [top, bottom, left, right], each >= 0.
std::vector<int64_t> read_margins(const nlohmann::json& v, const std::string& path);

}  // namespace gapscope

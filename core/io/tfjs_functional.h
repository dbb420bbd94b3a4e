// Functional models ("Model" in TF.js, "Functional" in Keras) that are a chain
// of layers: one input, one output, each layer taking the one before. Internal
// to core/io (tfjs_topology.cpp).
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace gapscope {

// Indices into config.layers from the input layer to the output layer.
// SpecError naming the layer and field for anything that is not such a chain
// (several inputs or outputs, a merge, a shared layer, a branch, a cycle, a
// missing or duplicate name).
std::vector<size_t> functional_chain_order(const nlohmann::json& config, const std::string& config_path,
                                           const std::string& layers_path);

}  // namespace gapscope

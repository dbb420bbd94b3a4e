// Functional models ("Model" in TF.js, "Functional" in Keras): a graph of
// layers with one input and one output. Internal to core/io (tfjs_topology.cpp).
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/spec/model_spec.h"

namespace gapscope {

struct FunctionalGraph {
  std::string input;          // the InputLayer's name
  std::vector<size_t> order;  // indices into config.layers: the input first, the output last
  // Per index into config.layers: the names of the layers it takes.
  std::vector<std::vector<std::string>> inbound;
};

// SpecError naming the layer and field for what cannot be a gapscope model:
// several inputs or outputs, a layer called more than once (shared), a layer
// that takes nothing but is not the input, one off every path to the output,
// a missing or duplicate name. (Cycles are found when the spec is validated.)
FunctionalGraph read_functional_graph(const nlohmann::json& config, const std::string& config_path,
                                      const std::string& layers_path);

// The topology TF.js 4.22 writes for a functional model (class_name "Model"):
// an InputLayer, then every layer with its inbound_nodes.
nlohmann::ordered_json tfjs_functional_topology(const ModelSpec& spec);

}  // namespace gapscope

// Functional models ("Model" in TF.js, "Functional" in Keras): their graph,
// read and written. Inbound nodes in the Keras 2 / TF.js
// form ([[["input_1", 0, 0, {}]]]) and the Keras 3 form ([{"args":
// [{"class_name": "__keras_tensor__", "config": {"keras_history": ["input_1",
// 0, 0]}}], "kwargs": {}}]) are both read.
#include "core/io/tfjs_functional.h"

#include <map>
#include <set>

#include "core/base/json_fields.h"
#include "core/base/spec_error.h"
#include "core/io/tfjs_layer_config.h"
#include "core/spec/model_graph.h"

namespace gapscope {

using nlohmann::json;
using nlohmann::ordered_json;

namespace {

// The layer names of the tensors a node takes.
void collect_keras3_tensors(const json& value, std::vector<std::string>& names) {
  if (value.is_array()) {
    for (const json& v : value) collect_keras3_tensors(v, names);
  } else if (value.is_object() && value.value("class_name", "") == "__keras_tensor__") {
    const json* config = optional_field(value, "config");
    const json* history = config && config->is_object() ? optional_field(*config, "keras_history") : nullptr;
    if (history && history->is_array() && !history->empty() && (*history)[0].is_string())
      names.push_back((*history)[0].get<std::string>());
  }
}

std::vector<std::string> node_inputs(const json& node, const std::string& path) {
  std::vector<std::string> names;
  if (node.is_object()) {  // Keras 3
    if (const json* args = optional_field(node, "args")) collect_keras3_tensors(*args, names);
    return names;
  }
  expect_array(node, path);
  for (size_t i = 0; i < node.size(); ++i) {
    const json& tensor = expect_array(node[i], element_path(path, i));
    if (tensor.empty()) throw SpecError(element_path(path, i) + " must name a layer, got []");
    names.push_back(read_string(tensor[0], element_path(element_path(path, i), 0)));
  }
  return names;
}

// input_layers / output_layers: [["name", 0, 0], ...] (or one ["name", 0, 0]).
std::vector<std::string> endpoint_names(const json& config, const std::string& config_path, const char* key) {
  const std::string path = field_path(config_path, key);
  const json& list = expect_array(required_field(config, config_path, key), path);
  if (!list.empty() && list[0].is_string()) return {list[0].get<std::string>()};
  std::vector<std::string> names;
  for (size_t i = 0; i < list.size(); ++i) {
    const json& tensor = expect_array(list[i], element_path(path, i));
    if (tensor.empty()) throw SpecError(element_path(path, i) + " must name a layer, got []");
    names.push_back(read_string(tensor[0], element_path(element_path(path, i), 0)));
  }
  return names;
}

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& n : names) text += (text.empty() ? "" : ", ") + n;
  return text;
}

}  // namespace

FunctionalGraph read_functional_graph(const json& config, const std::string& config_path,
                                      const std::string& layers_path) {
  const json& layers = required_field(config, config_path, "layers");
  std::map<std::string, size_t> index_of;
  std::vector<std::string> name_of(layers.size());
  for (size_t i = 0; i < layers.size(); ++i) {
    const std::string path = element_path(layers_path, i);
    const json& entry = expect_object(layers[i], path);
    const json* name = optional_field(entry, "name");
    const json* layer_config = optional_field(entry, "config");
    if ((!name || name->is_null()) && layer_config && layer_config->is_object()) name = optional_field(*layer_config, "name");
    if (!name || name->is_null()) throw SpecError(path + ".name is missing; a functional model's layers are named");
    name_of[i] = read_string(*name, field_path(path, "name"));
    if (!index_of.emplace(name_of[i], i).second)
      throw SpecError(path + ".name: two layers are named '" + name_of[i] + "'");
  }

  const std::vector<std::string> inputs = endpoint_names(config, config_path, "input_layers");
  const std::vector<std::string> outputs = endpoint_names(config, config_path, "output_layers");
  if (inputs.size() != 1)
    throw SpecError(field_path(config_path, "input_layers") + ": " + std::to_string(inputs.size()) + " inputs (" +
                    joined(inputs) + "); models with one input and one output can be imported");
  if (outputs.size() != 1)
    throw SpecError(field_path(config_path, "output_layers") + ": " + std::to_string(outputs.size()) + " outputs (" +
                    joined(outputs) + "); models with one input and one output can be imported");
  for (const std::string* end : {&inputs[0], &outputs[0]})
    if (!index_of.count(*end)) throw SpecError(config_path + ": no layer is named '" + *end + "'");

  FunctionalGraph graph;
  graph.input = inputs[0];
  graph.inbound.resize(layers.size());
  for (size_t i = 0; i < layers.size(); ++i) {
    if (name_of[i] == graph.input) continue;
    const std::string path = field_path(element_path(layers_path, i), "inbound_nodes");
    const json* nodes_field = optional_field(layers[i], "inbound_nodes");
    const json& nodes = nodes_field ? expect_array(*nodes_field, path) : json::array();
    if (nodes.empty())
      throw SpecError(path + ": '" + name_of[i] + "' takes no input but is not the model's input '" + graph.input + "'");
    if (nodes.size() > 1)
      throw SpecError(path + ": '" + name_of[i] + "' is called " + std::to_string(nodes.size()) +
                      " times (a shared layer); each layer of a gapscope model runs once");
    graph.inbound[i] = node_inputs(nodes[0], element_path(path, 0));
    for (const std::string& from : graph.inbound[i])
      if (!index_of.count(from)) throw SpecError(element_path(path, 0) + ": no layer is named '" + from + "'");
  }

  // Every layer must lead to the output.
  std::vector<bool> used(layers.size(), false);
  std::vector<size_t> stack{index_of.at(outputs[0])};
  while (!stack.empty()) {
    const size_t at = stack.back();
    stack.pop_back();
    if (used[at]) continue;
    used[at] = true;
    for (const std::string& from : graph.inbound[at]) stack.push_back(index_of.at(from));
  }
  for (size_t i = 0; i < layers.size(); ++i)
    if (!used[i])
      throw SpecError(element_path(layers_path, i) + ": '" + name_of[i] + "' is on no path to the output '" +
                      outputs[0] + "' (an unused branch); a gapscope model has one output");

  const size_t input = index_of.at(graph.input), output = index_of.at(outputs[0]);
  graph.order.push_back(input);
  for (size_t i = 0; i < layers.size(); ++i)
    if (i != input && i != output) graph.order.push_back(i);
  if (output != input) graph.order.push_back(output);
  return graph;
}

ordered_json tfjs_functional_topology(const ModelSpec& spec) {
  ordered_json batch_shape = ordered_json::array({nullptr});
  for (int64_t d : spec.input_shape) batch_shape.push_back(d);
  ordered_json layers = ordered_json::array();
  layers.push_back(ordered_json{{"class_name", "InputLayer"},
                                {"config", ordered_json{{"batch_input_shape", batch_shape},
                                                        {"dtype", "float32"},
                                                        {"sparse", false},
                                                        {"name", spec.input_name}}},
                                {"name", spec.input_name},
                                {"inbound_nodes", ordered_json::array()}});
  const ModelGraph graph = model_graph(spec);
  for (size_t i = 0; i < spec.layers.size(); ++i) {
    const LayerSpec& layer = spec.layers[i];
    ordered_json node = ordered_json::array();
    for (int source : graph.sources[i])
      node.push_back(ordered_json::array({source_name(spec, source), 0, 0, ordered_json::object()}));
    ordered_json entry = tfjs_layer_json(layer, spec, false);
    entry["name"] = layer.name;
    entry["inbound_nodes"] = ordered_json::array({node});
    layers.push_back(std::move(entry));
  }
  return ordered_json{{"name", spec.name},
                      {"layers", layers},
                      {"input_layers", ordered_json::array({ordered_json::array({spec.input_name, 0, 0})})},
                      {"output_layers", ordered_json::array({ordered_json::array({spec.layers.back().name, 0, 0})})}};
}

}  // namespace gapscope

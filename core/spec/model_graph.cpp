// Building a spec's graph: names to indices, a stable topological order, and
// the rules of one input, one output and no loose ends.
#include "core/spec/model_graph.h"

#include <algorithm>
#include <map>
#include <queue>

#include "core/spec/layer_type.h"

namespace gapscope {
namespace {

std::string where(const ModelSpec& spec, size_t i) {
  return "layers[" + std::to_string(i) + "] (" + spec.layers[i].name + ")";
}

// Sources by name; `strict` throws for an unknown one, otherwise it reads as the input.
std::vector<std::vector<int>> resolve_sources(const ModelSpec& spec, bool strict) {
  std::map<std::string, int> index_of;
  for (size_t i = 0; i < spec.layers.size(); ++i) index_of.emplace(spec.layers[i].name, static_cast<int>(i));
  std::vector<std::vector<int>> sources(spec.layers.size());
  for (size_t i = 0; i < spec.layers.size(); ++i) {
    const LayerSpec& layer = spec.layers[i];
    if (layer.inputs.empty()) {
      sources[i] = {i == 0 ? kModelInputSource : static_cast<int>(i) - 1};
      continue;
    }
    for (size_t k = 0; k < layer.inputs.size(); ++k) {
      const std::string& name = layer.inputs[k];
      auto it = index_of.find(name);
      if (name == spec.input_name) {
        sources[i].push_back(kModelInputSource);
      } else if (it != index_of.end() && it->second != static_cast<int>(i)) {
        sources[i].push_back(it->second);
      } else if (!strict) {
        sources[i].push_back(kModelInputSource);
      } else {
        throw SpecError(where(spec, i) + ".inputs[" + std::to_string(k) + "]: " +
                        (it != index_of.end() ? "a layer cannot take its own output"
                                              : "no layer or model input is named '" + name + "'"));
      }
    }
  }
  return sources;
}

void check_arity(const ModelSpec& spec, const std::vector<std::vector<int>>& sources) {
  for (size_t i = 0; i < spec.layers.size(); ++i) {
    const LayerType* type = find_layer_type(spec.layers[i].type);
    if (!type) continue;
    const size_t n = sources[i].size();
    if (type->is_merge() && n < 2)
      throw SpecError(where(spec, i) + ": " + spec.layers[i].type + " merges 2 or more inputs, got " +
                      std::to_string(n) + "; name them in \"inputs\"");
    if (!type->is_merge() && n != 1) {
      std::string names;
      for (int s : sources[i]) names += (names.empty() ? "" : ", ") + source_name(spec, s);
      throw SpecError(where(spec, i) + ": " + std::string(type->description()) + " takes one input, got " +
                      std::to_string(n) + " (" + names + "); merge them first (add, concatenate, ...)");
    }
  }
}

// Kahn's algorithm, always taking the ready layer listed first. Layers left
// over are in or behind a cycle.
std::vector<int> stable_order(const std::vector<std::vector<int>>& sources, std::vector<int>& left_over) {
  const int n = static_cast<int>(sources.size());
  std::vector<int> waiting(static_cast<size_t>(n), 0);
  std::vector<std::vector<int>> readers_of(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i)
    for (int s : sources[static_cast<size_t>(i)])
      if (s != kModelInputSource) {
        ++waiting[static_cast<size_t>(i)];
        readers_of[static_cast<size_t>(s)].push_back(i);
      }
  std::priority_queue<int, std::vector<int>, std::greater<>> ready;
  for (int i = 0; i < n; ++i)
    if (waiting[static_cast<size_t>(i)] == 0) ready.push(i);
  std::vector<int> order;
  while (!ready.empty()) {
    const int i = ready.top();
    ready.pop();
    order.push_back(i);
    for (int r : readers_of[static_cast<size_t>(i)])
      if (--waiting[static_cast<size_t>(r)] == 0) ready.push(r);
  }
  for (int i = 0; i < n; ++i)
    if (waiting[static_cast<size_t>(i)] > 0) left_over.push_back(i);
  return order;
}

// A cycle among the left-over layers, as "a -> b -> a" (each takes the one before).
std::string describe_cycle(const ModelSpec& spec, const std::vector<std::vector<int>>& sources,
                           const std::vector<int>& left_over) {
  std::vector<bool> blocked(spec.layers.size(), false);
  for (int i : left_over) blocked[static_cast<size_t>(i)] = true;
  // Walking to a blocked source always finds one: a blocked layer waits on one.
  std::vector<int> path;
  std::map<int, size_t> position;
  int at = left_over.front();
  while (!position.count(at)) {
    position[at] = path.size();
    path.push_back(at);
    for (int s : sources[static_cast<size_t>(at)])
      if (s != kModelInputSource && blocked[static_cast<size_t>(s)]) {
        at = s;
        break;
      }
  }
  std::string text = spec.layers[static_cast<size_t>(at)].name;
  for (size_t k = path.size(); k-- > position[at];) text += " -> " + spec.layers[static_cast<size_t>(path[k])].name;
  return text;
}

ModelGraph build(const ModelSpec& spec, bool strict) {
  ModelGraph graph;
  graph.sources = resolve_sources(spec, strict);
  if (strict) check_arity(spec, graph.sources);
  std::vector<int> left_over;
  graph.order = stable_order(graph.sources, left_over);
  if (!left_over.empty()) {
    if (strict) throw SpecError("layers form a cycle: " + describe_cycle(spec, graph.sources, left_over));
    graph.order.insert(graph.order.end(), left_over.begin(), left_over.end());
  }
  graph.readers.assign(spec.layers.size(), 0);
  for (const auto& from : graph.sources)
    for (int s : from)
      if (s != kModelInputSource) ++graph.readers[static_cast<size_t>(s)];
  graph.output = static_cast<int>(spec.layers.size()) - 1;
  if (strict) {
    std::string unused;
    for (size_t i = 0; i + 1 < spec.layers.size(); ++i)
      if (graph.readers[i] == 0) unused += (unused.empty() ? "" : ", ") + where(spec, i);
    if (!unused.empty())
      throw SpecError(unused + ": no layer takes its output (an unused branch); a model has one output, the last "
                               "layer in the list ('" + spec.layers.back().name + "')");
  }
  return graph;
}

}  // namespace

std::string source_name(const ModelSpec& spec, int source) {
  return source == kModelInputSource ? spec.input_name : spec.layers[static_cast<size_t>(source)].name;
}

bool ModelGraph::is_chain() const {
  for (size_t i = 0; i < sources.size(); ++i)
    if (sources[i].size() != 1 || sources[i][0] != static_cast<int>(i) - 1) return false;
  return true;
}

ModelGraph model_graph(const ModelSpec& spec) { return build(spec, true); }

ModelGraph lenient_model_graph(const ModelSpec& spec) { return build(spec, false); }

GraphShapes graph_shapes(const ModelSpec& spec, const ModelGraph& graph) {
  GraphShapes shapes;
  shapes.inputs.resize(spec.layers.size());
  shapes.outputs.resize(spec.layers.size());
  for (int i : graph.order) {
    const size_t at = static_cast<size_t>(i);
    for (int s : graph.sources[at])
      shapes.inputs[at].push_back(s == kModelInputSource ? spec.input_shape : shapes.outputs[static_cast<size_t>(s)]);
    const LayerType* type = find_layer_type(spec.layers[at].type);
    shapes.outputs[at] = type ? type->output_shape_of(spec.layers[at], shapes.inputs[at])
                              : (shapes.inputs[at].empty() ? Shape{} : shapes.inputs[at].front());
  }
  return shapes;
}

}  // namespace gapscope

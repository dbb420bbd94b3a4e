// The graph of a spec: which layer's output each layer takes, the order they
// run in, and how many readers each output has. One home for these rules, used
// by validation, the size estimates and the engine.
#pragma once
#include <string>
#include <vector>

#include "core/spec/model_spec.h"

namespace gapscope {

// A source that is the model's input rather than a layer.
inline constexpr int kModelInputSource = -1;

struct ModelGraph {
  // Per layer (spec order): the layers it takes, in its input order;
  // kModelInputSource for the model's input. One entry per named input, so
  // add(x, x) lists x twice.
  std::vector<std::vector<int>> sources;
  // Layer indices in an order where every layer comes after its sources:
  // spec order wherever the spec allows it.
  std::vector<int> order;
  // Per layer: how many inputs read its output (the output layer: 0).
  std::vector<int> readers;
  // The output layer: the last in the list.
  int output = 0;

  // Each layer takes only the one listed before it (the /1 form).
  bool is_chain() const;
};

// The name a layer uses for `source` in its inputs: the layer's, or the model input's.
std::string source_name(const ModelSpec& spec, int source);

// The graph of a validated-names spec. SpecError naming the layers for: an
// input name no layer or model input has, a merge with fewer than 2 inputs or
// another layer with more than 1, a cycle, and a layer whose output nothing
// reads (an unused branch) other than the last.
ModelGraph model_graph(const ModelSpec& spec);

// The same for any spec, valid or not (size estimates of invalid specs): an
// unknown name reads as the model input, and a cycle is broken in spec order.
ModelGraph lenient_model_graph(const ModelSpec& spec);

// Per layer (spec order), without the batch axis: the shapes of its inputs
// and of its output. Any spec gets an answer (an unknown type passes its first
// input on).
struct GraphShapes {
  std::vector<std::vector<Shape>> inputs;
  std::vector<Shape> outputs;
};
GraphShapes graph_shapes(const ModelSpec& spec, const ModelGraph& graph);

}  // namespace gapscope

// Graph specs (gapscope.model/2): layers naming their inputs, merges, the
// rules on the graph with the messages they give, and sizes through it.
#include <catch2/catch.hpp>

#include "core/spec/model_graph.h"
#include "tests/core/spec/spec_test_support.h"

namespace gapscope::test {
namespace {

using Catch::Matchers::Contains;
using Catch::Matchers::Equals;
using nlohmann::json;

json graph_spec(json layers, json input = {{"shape", {8}}}) {
  return {{"format", "gapscope.model/2"}, {"name", "g"}, {"input", input}, {"layers", layers}};
}

// x -> a -> b; add(a, b) (a read twice); concatenate(add, x) -> out
json residual_layers() {
  return json::parse(R"([
    {"type": "dense", "name": "a", "units": 8, "activation": "relu"},
    {"type": "dense", "name": "b", "units": 8},
    {"type": "add", "name": "sum", "inputs": ["a", "b"]},
    {"type": "concatenate", "name": "cat", "inputs": ["sum", "x"]},
    {"type": "dense", "name": "out", "units": 3, "activation": "softmax"}])");
}

}  // namespace

TEST_CASE("a graph spec: inputs by name, the model input by its name, merges", "[spec][graph]") {
  const ModelSpec spec = parse_model_spec(graph_spec(residual_layers(), {{"shape", {8}}, {"name", "x"}}));
  CHECK(spec.input_name == "x");
  const ModelGraph graph = model_graph(spec);
  CHECK(graph.sources == std::vector<std::vector<int>>{{kModelInputSource}, {0}, {0, 1}, {2, kModelInputSource}, {3}});
  CHECK(graph.readers == std::vector<int>{2, 1, 1, 1, 0});
  CHECK(graph.order == std::vector<int>{0, 1, 2, 3, 4});
  CHECK_FALSE(graph.is_chain());
  CHECK(infer_output_shapes(spec) == std::vector<Shape>{{8}, {8}, {8}, {16}, {3}});
  // dense 8x8+8, 8x8+8, concatenated 16 -> 3: 16*3+3
  CHECK(count_parameters(spec) == 72 + 72 + 51);
  CHECK(forward_flops(spec) == 2 * (64 + 64 + 48));
  // Written back as /2 with its inputs; read again, the same graph.
  const json written = model_spec_to_json(spec);
  CHECK(written["format"] == "gapscope.model/2");
  CHECK(written["input"]["name"] == "x");
  CHECK(written["layers"][3]["inputs"] == json::array({"sum", "x"}));
  CHECK(model_graph(parse_model_spec(written)).sources == graph.sources);
}

TEST_CASE("layers may be listed in any order their inputs allow", "[spec][graph]") {
  json layers = json::parse(R"([
    {"type": "dense", "name": "late", "units": 4, "inputs": ["early"]},
    {"type": "dense", "name": "early", "units": 4, "inputs": ["input"]},
    {"type": "dense", "name": "out", "units": 2, "inputs": ["late"]}])");
  const ModelSpec spec = parse_model_spec(graph_spec(layers));
  CHECK(model_graph(spec).order == std::vector<int>{1, 0, 2});
  CHECK(model_output_shape(spec) == Shape{2});
  // Weights keep the listed order.
  CHECK(parameter_shapes(spec)[0].name == "late/kernel");
}

TEST_CASE("a chain stays /1; a chain written as /2 reads the same", "[spec][graph]") {
  json chain = base_spec_json();
  const ModelSpec spec = parse_model_spec(chain);
  CHECK(model_graph(spec).is_chain());
  CHECK(model_spec_to_json(spec)["format"] == "gapscope.model/1");
  CHECK_FALSE(model_spec_to_json(spec)["input"].contains("name"));
  chain["format"] = "gapscope.model/2";
  chain["layers"][1]["inputs"] = json::array({"dense_1"});
  CHECK(parameter_shapes(parse_model_spec(chain)).size() == parameter_shapes(spec).size());
  CHECK(model_graph(parse_model_spec(chain)).is_chain());
}

TEST_CASE("graph errors name the layers", "[spec][graph][errors]") {
  auto error_of = [](const char* layers) { return spec_error(graph_spec(json::parse(layers))); };
  CHECK_THAT(error_of(R"([{"type": "dense", "name": "a", "units": 4}, {"type": "dense", "name": "b", "units": 4, "inputs": ["nope"]}])"),
             Equals("layers[1] (b).inputs[0]: no layer or model input is named 'nope'"));
  CHECK_THAT(error_of(R"([{"type": "dense", "name": "a", "units": 4, "inputs": ["a"]}])"),
             Equals("layers[0] (a).inputs[0]: a layer cannot take its own output"));
  CHECK_THAT(error_of(R"([{"type": "dense", "name": "a", "units": 4, "inputs": ["c"]},
                          {"type": "dense", "name": "b", "units": 4, "inputs": ["a"]},
                          {"type": "dense", "name": "c", "units": 4, "inputs": ["b"]},
                          {"type": "dense", "name": "out", "units": 4, "inputs": ["input"]}])"),
             Equals("layers form a cycle: a -> b -> c -> a"));
  CHECK_THAT(error_of(R"([{"type": "dense", "name": "a", "units": 4},
                          {"type": "dense", "name": "dead", "units": 4, "inputs": ["a"]},
                          {"type": "dense", "name": "out", "units": 2, "inputs": ["a"]}])"),
             Equals("layers[1] (dead): no layer takes its output (an unused branch); a model has one output, the "
                    "last layer in the list ('out')"));
  CHECK_THAT(error_of(R"([{"type": "dense", "name": "a", "units": 4}, {"type": "dense", "name": "a", "units": 4}])"),
             Equals("layers[1].name 'a' is already used by layers[0]; layer names must be unique"));
  CHECK_THAT(error_of(R"([{"type": "dense", "name": "input", "units": 4}])"),
             Contains("layers[0].name 'input' is the model input's name (input.name)"));
  CHECK_THAT(error_of(R"([{"type": "dense", "name": "a", "units": 4}, {"type": "add", "name": "s"}])"),
             Equals("layers[1] (s): add merges 2 or more inputs, got 1; name them in \"inputs\""));
  CHECK_THAT(error_of(R"([{"type": "dense", "name": "a", "units": 4},
                          {"type": "dense", "name": "b", "units": 4, "inputs": ["a", "input"]}])"),
             Equals("layers[1] (b): a dense layer takes one input, got 2 (a, input); merge them first (add, "
                    "concatenate, ...)"));
  CHECK_THAT(error_of(R"([{"type": "dense", "name": "a", "units": 4},
                          {"type": "add", "name": "s", "inputs": ["a", "input"]}])"),
             Equals("layers[1] (s): add needs inputs of one shape, got [4] (a) and [8] (input)"));
  CHECK_THAT(error_of(R"([{"type": "reshape", "name": "r", "target_shape": [2, 4]},
                          {"type": "reshape", "name": "q", "target_shape": [4, 2], "inputs": ["input"]},
                          {"type": "concatenate", "name": "c", "axis": 1, "inputs": ["r", "q"]}])"),
             Equals("layers[2] (c): concatenate needs inputs equal on every axis but axis 1, got [2, 4] (r) and [4, 2] (q)"));
  CHECK_THAT(error_of(R"([{"type": "dense", "name": "a", "units": 4},
                          {"type": "concatenate", "name": "c", "axis": 2, "inputs": ["a", "input"]}])"),
             Equals("layers[1] (c): axis 2 is not an axis of its inputs [4] (use -1..-1, or 1..1 counting the batch "
                    "axis as 0)"));
  CHECK_THAT(spec_error(graph_spec(json::parse(R"([{"type": "dense", "units": 4}])"), {{"shape", {8}}, {"name", "a b"}})),
             Contains("input.name 'a b' is invalid"));
  CHECK_THAT(error_of(R"([{"type": "dense", "units": 4, "inputs": []}])"),
             Contains("layers[0].inputs must name at least one layer"));
}

TEST_CASE("concatenate: Keras's positive axes count the batch axis", "[spec][graph]") {
  for (auto [axis, expected] : std::vector<std::pair<int, Shape>>{{1, {8, 4, 3}}, {2, {4, 8, 3}}, {3, {4, 4, 6}},
                                                                  {-1, {4, 4, 6}}, {-3, {8, 4, 3}}}) {
    json layers = json::array({{{"type", "conv2d"}, {"name", "c"}, {"filters", 3}, {"kernel_size", 1}},
                               {{"type", "concatenate"}, {"name", "cat"}, {"axis", axis}, {"inputs", {"input", "c"}}}});
    CHECK(model_output_shape(parse_model_spec(graph_spec(layers, {{"shape", {4, 4, 3}}}))) == expected);
  }
}

TEST_CASE("training memory counts the gradient sum of an output read twice", "[spec][graph][sizes]") {
  const ModelSpec spec = parse_model_spec(graph_spec(residual_layers(), {{"shape", {8}}, {"name", "x"}}));
  const TrainingMemoryEstimate memory = estimate_training_memory(spec, 1);
  // input 8; kept outputs: a 8 (+8 pre-activation), b 8, sum 8, cat 16, out 3 (+3);
  // a's gradient sum 8; ping-pong 2 x 16.
  CHECK(memory.activation_bytes == (8 + 16 + 8 + 8 + 16 + 6 + 8 + 32) * 4);
}

}  // namespace gapscope::test

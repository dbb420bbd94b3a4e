// Models that are graphs: gradients through fan-out (summed) and every merge
// checked against finite differences of the model's own loss, and the
// engine's answers for merges against values worked out by hand.
#include <catch2/catch.hpp>

#include <cmath>

#include <nlohmann/json.hpp>

#include "core/base/random.h"
#include "core/nn/model.h"
#include "core/ops/cpu/cpu_backend.h"
#include "core/spec/model_spec.h"

namespace gapscope {
namespace {

ModelSpec spec_from(const char* text) { return parse_model_spec(nlohmann::json::parse(text)); }

// Every trainable weight's gradient against central differences of the
// staged batch's loss (no dropout or batch norm: the inference loss is the
// training loss).
void check_model_gradients(const ModelSpec& spec, int64_t batch, uint64_t seed) {
  CpuBackend ops(1);
  Model model(spec, ops, seed);
  Rng rng(seed + 1);
  std::vector<float> x(static_cast<size_t>(batch * model.input_size()));
  for (float& v : x) v = rng.uniform(-1.0f, 1.0f);
  std::vector<float> target(static_cast<size_t>(batch * model.target_size()), 0.0f);
  for (int64_t r = 0; r < batch; ++r)
    target[static_cast<size_t>(r * model.target_size() + static_cast<int64_t>(rng.below(static_cast<uint64_t>(model.target_size()))))] = 1.0f;
  model.stage_batch(x, target, batch);
  model.compute_gradients();
  for (Parameter* p : model.parameters()) {
    if (!p->trainable) continue;
    std::vector<float> grad(static_cast<size_t>(p->grad.size())), values(static_cast<size_t>(p->value.size()));
    ops.download(p->grad, grad);
    ops.download(p->value, values);
    double worst = 0, scale = 1e-3;
    const float h = 1e-2f;
    for (size_t i = 0; i < values.size(); ++i) {
      const float saved = values[i];
      values[i] = saved + h;
      ops.upload(p->value, values);
      const double up = model.evaluate_staged();
      values[i] = saved - h;
      ops.upload(p->value, values);
      const double down = model.evaluate_staged();
      values[i] = saved;
      ops.upload(p->value, values);
      const double numeric = (up - down) / (2 * h);
      worst = std::max(worst, std::fabs(numeric - grad[i]));
      scale = std::max(scale, std::fabs(numeric));
    }
    INFO(spec.name << " " << p->name << ": max abs error " << worst << " at scale " << scale);
    CHECK(worst / scale < 5e-3);
  }
}

}  // namespace

TEST_CASE("gradients through a graph: fan-out sums, add, average, multiply, concatenate", "[model][graph][gradient]") {
  check_model_gradients(spec_from(R"({"format": "gapscope.model/2", "name": "dense-graph", "input": {"shape": [6], "name": "x"},
    "layers": [
      {"type": "dense", "name": "a", "units": 5, "activation": "tanh"},
      {"type": "dense", "name": "b", "units": 5, "activation": "sigmoid"},
      {"type": "dense", "name": "c", "units": 5, "inputs": ["x"]},
      {"type": "add", "name": "sum", "inputs": ["a", "b", "c"]},
      {"type": "multiply", "name": "gated", "inputs": ["sum", "b", "a"]},
      {"type": "average", "name": "mean", "inputs": ["gated", "a"]},
      {"type": "add", "name": "twice", "inputs": ["mean", "mean"]},
      {"type": "concatenate", "name": "cat", "inputs": ["twice", "a"]},
      {"type": "dense", "name": "out", "units": 3, "activation": "softmax"}],
    "loss": "categorical_crossentropy"})"),
                        4, 11);
  // Concatenation on inner axes of images, and a merge reading the input.
  check_model_gradients(spec_from(R"({"format": "gapscope.model/2", "name": "image-graph", "input": {"shape": [4, 4, 2]},
    "layers": [
      {"type": "conv2d", "name": "a", "filters": 2, "kernel_size": 3, "padding": "same", "activation": "tanh"},
      {"type": "add", "name": "residual", "inputs": ["input", "a"]},
      {"type": "concatenate", "name": "rows", "axis": 1, "inputs": ["residual", "a"]},
      {"type": "concatenate", "name": "cols", "axis": -2, "inputs": ["rows", "rows"]},
      {"type": "flatten", "name": "flat"},
      {"type": "dense", "name": "out", "units": 3}],
    "loss": "mean_squared_error"})"),
                        3, 12);
  // ResNet's pattern: an activation layer read twice (the next block and its
  // shortcut) gets its summed gradient in its own image shape; and a pooling
  // reader hands back rows.
  check_model_gradients(spec_from(R"({"format": "gapscope.model/2", "name": "residual-blocks", "input": {"shape": [4, 4, 2]},
    "layers": [
      {"type": "conv2d", "name": "stem", "filters": 3, "kernel_size": 3, "padding": "same"},
      {"type": "activation", "name": "stem_out", "activation": "tanh"},
      {"type": "conv2d", "name": "block", "filters": 3, "kernel_size": 1, "inputs": ["stem_out"]},
      {"type": "add", "name": "block_add", "inputs": ["stem_out", "block"]},
      {"type": "activation", "name": "block_out", "activation": "sigmoid"},
      {"type": "global_average_pooling2d", "name": "pool"},
      {"type": "dense", "name": "out", "units": 3, "activation": "softmax"}],
    "loss": "categorical_crossentropy"})"),
                        3, 13);
}

TEST_CASE("merges compute what Keras's merge layers compute", "[model][graph]") {
  CpuBackend ops(1);
  // out = concatenate(add(x, x), multiply(x, x), average(x, x)) of a 2-vector.
  Model model(spec_from(R"({"format": "gapscope.model/2", "name": "merges", "input": {"shape": [2]},
    "layers": [
      {"type": "add", "name": "s", "inputs": ["input", "input"]},
      {"type": "multiply", "name": "m", "inputs": ["input", "input"]},
      {"type": "average", "name": "v", "inputs": ["input", "s"]},
      {"type": "concatenate", "name": "out", "inputs": ["s", "m", "v"]}],
    "loss": "mean_squared_error"})"),
              ops, 1);
  std::vector<float> out(6);
  model.predict(std::vector<float>{3.0f, -2.0f}, 1, out);
  CHECK(out == std::vector<float>{6.0f, -4.0f, 9.0f, 4.0f, 4.5f, -3.0f});
}

TEST_CASE("a chain written as a graph gives the same weights and outputs", "[model][graph]") {
  CpuBackend ops(1);
  const char* chain = R"({"format": "gapscope.model/1", "name": "m", "input": {"shape": [4]},
    "layers": [{"type": "dense", "name": "d1", "units": 3, "activation": "relu"}, {"type": "dense", "name": "d2", "units": 2}]})";
  Model a(spec_from(chain), ops, 5);
  const WeightSet weights = a.weights();
  const char* graph_in_order = R"({"format": "gapscope.model/2", "name": "m", "input": {"shape": [4], "name": "x"},
    "layers": [{"type": "dense", "name": "d1", "units": 3, "activation": "relu", "inputs": ["x"]},
               {"type": "dense", "name": "d2", "units": 2, "inputs": ["d1"]}]})";
  Model b(spec_from(graph_in_order), ops, 5);
  const WeightSet again = b.weights();
  REQUIRE(again.size() == weights.size());
  for (size_t i = 0; i < weights.size(); ++i) {
    CHECK(again[i].name == weights[i].name);
    CHECK(again[i].values == weights[i].values);
  }
  std::vector<float> ya(2), yb(2);
  const std::vector<float> x{0.5f, -1.0f, 2.0f, 0.25f};
  a.predict(x, 1, ya);
  b.predict(x, 1, yb);
  CHECK(ya == yb);
}

}  // namespace gapscope

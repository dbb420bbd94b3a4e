// PyTorch as oracle for graphs (gapscope.model/2) and the layers that came
// with them: depthwise_conv2d, separable_conv2d, relu and softmax layers,
// global average/max pooling, zero_padding2d, cropping2d, and the merges add,
// average, multiply, maximum and concatenate (channel, height and width
// axes); and dilated conv2d, relu with Keras's options, leaky_relu,
// up_sampling2d, batch norm without center or scale and layer_normalization. Each
// new layer runs in a small chain (conv stem -> the layer -> dense head), and
// graphs with a residual add, concatenations, a gated multiply + average and
// a fan-out through batch norm into three branches run whole. The same initial
// weights give the same inference outputs, loss, gradients of every trainable
// weight and weights after 5 optimizer steps as PyTorch in float64, which
// walks the graph by the names in "inputs" and converts the TF.js layouts
// itself (pytorch_oracle.py; its own checks: pytorch_oracle_selfcheck.py).
// Shapes are odd and small, so the file runs in seconds (also under ASan).
#include <catch2/catch.hpp>

#include <limits>
#include <string>
#include <vector>

#include "core/base/random.h"
#include "core/spec/model_spec.h"
#include "tests/core/oracle/oracle_check.h"
#include "tests/core/oracle/oracle_layers.h"

namespace gapscope {
namespace {

using namespace oracle;
using A = Activation;

// --- cases -----------------------------------------------------------------------

struct CaseDef {
  std::string what;
  Shape input_shape;
  std::vector<LayerSpec> layers;
  Loss loss;
  OptimizerKind optimizer;
  int64_t batch;
  float input_scale = 1.0f;  // inputs N(0, input_scale^2)
  std::string input_name = kDefaultInputName;
};

std::vector<CaseDef> case_defs() {
  using L = Loss;
  using O = OptimizerKind;
  const Padding valid = Padding::valid, same = Padding::same;
  return {
      // --- each new layer in a chain ---
      {"conv2d stem -> depthwise_conv2d 3x3 same stride 2, multiplier 2, relu -> flatten -> dense softmax",
       {7, 6, 2},
       {conv2d(3, {2, 2}, {1, 1}, valid, A::tanh), depthwise({3, 3}, {2, 2}, same, 2, A::relu), plain("flatten"),
        dense(4, A::softmax)},
       L::categorical_crossentropy, O::adam, 4},
      {"conv2d stem -> depthwise_conv2d 2x3 valid stride (1, 2), multiplier 3, no bias -> global_average_pooling2d "
       "-> dense",
       {6, 7, 3},
       {conv2d(3, {3, 3}, {1, 1}, same, A::tanh), depthwise({2, 3}, {1, 2}, valid, 3, A::linear, false),
        plain("global_average_pooling2d"), dense(2, A::linear)},
       L::mean_squared_error, O::sgd, 3},
      {"conv2d stem -> separable_conv2d 3x2 same stride (2, 1), multiplier 2, tanh -> flatten -> dense sigmoid",
       {7, 5, 2},
       {conv2d(3, {2, 2}, {1, 1}, valid, A::relu), separable(4, {3, 2}, {2, 1}, same, 2, A::tanh), plain("flatten"),
        dense(3, A::sigmoid)},
       L::binary_crossentropy, O::rmsprop, 3},
      {"conv2d stem -> separable_conv2d 2x2 valid, multiplier 1, no bias, relu -> global_max_pooling2d -> dense "
       "softmax",
       {6, 6, 1},
       {conv2d(2, {3, 3}, {1, 1}, same, A::tanh), separable(3, {2, 2}, {1, 1}, valid, 1, A::relu, false),
        plain("global_max_pooling2d"), dense(3, A::softmax)},
       L::categorical_crossentropy, O::momentum, 4},
      // Inputs N(0, 16): the stem's outputs reach past 6, so the cap is met.
      {"conv2d stem on wide inputs -> relu layer max_value 6 -> flatten -> dense",
       {5, 4, 2},
       {conv2d(4, {2, 2}, {1, 1}, valid, A::linear), relu(6.0f), plain("flatten"), dense(3, A::linear)},
       L::mean_squared_error, O::adam, 4, 4.0f},
      {"conv2d stem -> softmax layer over channels (axis 3) -> flatten -> dense",
       {5, 4, 2},
       {conv2d(4, {2, 2}, {1, 1}, same, A::linear), softmax(3), plain("flatten"), dense(2, A::linear)},
       L::mean_squared_error, O::adagrad, 3},
      {"conv2d stem -> flatten -> dense linear -> softmax layer (axis -1) as the output, sparse cross-entropy",
       {5, 5, 1},
       {conv2d(2, {3, 3}, {1, 1}, valid, A::tanh), plain("flatten"), dense(4, A::linear), softmax(-1)},
       L::sparse_categorical_crossentropy, O::sgd, 5},
      {"conv2d stem -> zero_padding2d [[1, 0], [2, 1]] -> conv2d 3x3 valid -> flatten -> dense softmax",
       {5, 4, 2},
       {conv2d(3, {2, 2}, {1, 1}, valid, A::tanh), margins("zero_padding2d", {1, 0, 2, 1}),
        conv2d(2, {3, 3}, {1, 1}, valid, A::tanh), plain("flatten"), dense(3, A::softmax)},
       L::categorical_crossentropy, O::adam, 3},
      {"conv2d stem -> cropping2d [[1, 0], [0, 2]] -> flatten -> dense",
       {6, 7, 2},
       {conv2d(3, {2, 2}, {1, 1}, valid, A::tanh), margins("cropping2d", {1, 0, 0, 2}), plain("flatten"),
        dense(2, A::linear)},
       L::mean_squared_error, O::rmsprop, 3},

      {"conv2d 3x3 dilation 2 same -> conv2d 2x3 dilation (1, 2) valid -> flatten -> dense softmax",
       {7, 8, 2},
       {dilated(conv2d(3, {3, 3}, {1, 1}, same, A::tanh), {2, 2}), dilated(conv2d(2, {2, 3}, {1, 1}, valid, A::relu), {1, 2}),
        plain("flatten"), dense(3, A::softmax)},
       L::categorical_crossentropy, O::adam, 3},
      // Inputs N(0, 9): both sides of the threshold and the cap are met.
      {"conv2d stem -> relu (slope 0.2, threshold 0.3, cap 2.5) -> leaky_relu 0.1 -> flatten -> dense",
       {5, 4, 2},
       {conv2d(3, {2, 2}, {1, 1}, valid, A::linear), relu_options(0.2f, 0.3f, 2.5f), leaky_relu(0.1f),
        plain("flatten"), dense(3, A::linear)},
       L::mean_squared_error, O::rmsprop, 4, 3.0f},
      {"conv2d stem -> up_sampling2d (2, 3) -> conv2d 3x3 stride 2 -> flatten -> dense softmax",
       {4, 3, 2},
       {conv2d(3, {2, 2}, {1, 1}, valid, A::tanh), up_sampling({2, 3}), conv2d(2, {3, 3}, {2, 2}, same, A::tanh),
        plain("flatten"), dense(3, A::softmax)},
       L::categorical_crossentropy, O::sgd, 3},
      // A conv between the norms: a norm right after another would cancel its
      // gamma (a gradient of rounding noise) and leave a batch mean of ~0.
      {"conv2d stem -> batch norm without center -> conv2d 1x1 tanh -> batch norm without scale -> layer norm (eps "
       "0.01) -> conv2d 1x1 tanh -> layer norm without center or scale -> flatten -> dense",
       {5, 4, 2},
       {conv2d(4, {2, 2}, {1, 1}, valid, A::linear, false), normalization("batch_normalization", false, true),
        conv2d(3, {1, 1}, {1, 1}, valid, A::tanh), normalization("batch_normalization", true, false),
        normalization("layer_normalization", true, true, 0.01f), conv2d(3, {1, 1}, {1, 1}, valid, A::tanh),
        normalization("layer_normalization", false, false), plain("flatten"), dense(2, A::linear)},
       L::mean_squared_error, O::adam, 5},

      // --- graphs ---
      {"maximum of three branches (the stem twice): stem -> (conv a, conv b) -> maximum(a, stem, b) -> flatten -> "
       "dense softmax",
       {5, 5, 2},
       {from(conv2d(3, {2, 2}, {1, 1}, valid, A::tanh), "stem"), from(conv2d(3, {3, 3}, {1, 1}, same, A::linear), "a"),
        from(conv2d(3, {1, 1}, {1, 1}, valid, A::sigmoid), "b", {"stem"}), plain("maximum", "max", {"a", "stem", "b"}),
        plain("flatten"), dense(3, A::softmax)},
       L::categorical_crossentropy, O::adam, 4},
      // The stem feeds conv_a and the add: its gradient is the sum of both.
      {"residual: stem -> conv_a -> conv_b, add(stem, conv_b) -> relu layer -> flatten -> dense softmax; "
       "model input named 'image'",
       {6, 5, 2},
       {from(conv2d(3, {3, 3}, {1, 1}, same, A::tanh), "stem", {"image"}),
        from(conv2d(3, {3, 3}, {1, 1}, same, A::relu), "conv_a"),
        from(conv2d(3, {3, 3}, {1, 1}, same, A::linear), "conv_b"),
        plain("add", "residual", {"stem", "conv_b"}), relu(), plain("flatten"), dense(3, A::softmax)},
       L::categorical_crossentropy, O::adam, 4, 1.0f, "image"},
      {"concatenate on the channel axis: stem -> (conv2d 1x1, depthwise 3x3 same x2) -> concatenate axis -1 -> "
       "global_average_pooling2d -> dense softmax",
       {6, 5, 2},
       {from(conv2d(2, {2, 2}, {1, 1}, valid, A::tanh), "stem"),
        from(conv2d(3, {1, 1}, {1, 1}, valid, A::relu), "a", {"stem"}),
        from(depthwise({3, 3}, {1, 1}, same, 2, A::tanh), "b", {"stem"}), concatenate(-1, "cat", {"a", "b"}),
        plain("global_average_pooling2d"), dense(3, A::softmax)},
       L::categorical_crossentropy, O::rmsprop, 4},
      {"concatenate on the height axis (axis 1) of [5, 4, 2] and [3, 4, 2] -> flatten -> dense",
       {6, 5, 2},
       {from(conv2d(3, {2, 2}, {1, 1}, valid, A::tanh), "stem"), from(conv2d(2, {3, 1}, {1, 1}, valid, A::tanh), "a"),
        from(conv2d(2, {1, 1}, {1, 1}, valid, A::linear), "b", {"stem"}), concatenate(1, "cat", {"b", "a"}),
        plain("flatten"), dense(2, A::linear)},
       L::mean_squared_error, O::momentum, 3},
      {"concatenate on the width axis (axis -2) of three inputs, the stem twice -> flatten -> dense softmax",
       {6, 5, 2},
       {from(conv2d(3, {2, 2}, {1, 1}, valid, A::tanh), "stem"), from(conv2d(3, {1, 2}, {1, 1}, valid, A::tanh), "a"),
        concatenate(-2, "cat", {"stem", "a", "stem"}), plain("flatten"), dense(3, A::softmax)},
       L::categorical_crossentropy, O::adam, 3},
      {"gated: multiply(sigmoid gate, tanh value), average(multiply, stem, value) -> flatten -> dense sigmoid",
       {6, 5, 2},
       {from(conv2d(3, {2, 2}, {1, 1}, valid, A::linear), "stem"),
        from(conv2d(3, {3, 3}, {1, 1}, same, A::sigmoid), "gate", {"stem"}),
        from(conv2d(3, {1, 1}, {1, 1}, valid, A::tanh), "value", {"stem"}),
        plain("multiply", "gated", {"gate", "value"}),
        plain("average", "mean", {"gated", "stem", "value"}), plain("flatten"), dense(2, A::sigmoid)},
       L::binary_crossentropy, O::adam, 4},
      // No conv bias before batch norm (see pytorch_oracle_layers_test.cpp).
      {"fan-out: conv2d (no bias) -> batch norm -> (max pool, average pool, conv2d stride 2) -> add of 4 (max pool "
       "twice) -> flatten -> dense softmax",
       {6, 5, 1},
       {from(conv2d(4, {3, 3}, {1, 1}, valid, A::linear, false), "stem"), from(batch_norm(0.9f, 1e-3f), "bn"),
        from(pooling("max_pooling2d", {2, 2}, same), "p_max", {"bn"}),
        from(pooling("average_pooling2d", {2, 2}, same), "p_avg", {"bn"}),
        from(conv2d(4, {3, 3}, {2, 2}, same, A::tanh), "p_conv", {"bn"}),
        plain("add", "sum", {"p_max", "p_avg", "p_conv", "p_max"}), plain("flatten"), dense(3, A::softmax)},
       L::categorical_crossentropy, O::rmsprop, 5},
      // d3 is listed before d2, its input: the engine must run d2 first.
      {"sequences, layers listed out of order: d1 -> d2 -> d3, concatenate(d1, d3) on the time axis (axis 1) -> "
       "flatten -> dense softmax",
       {4, 3},
       {from(dense(5, A::tanh), "d1"), from(dense(5, A::linear), "d3", {"d2"}),
        from(dense(5, A::sigmoid), "d2", {"d1"}),
        concatenate(1, "cat", {"d1", "d3"}), plain("flatten"), dense(3, A::softmax)},
       L::categorical_crossentropy, O::adam, 3},
  };
}

// Inputs N(0, scale^2): relu kinks are met only at exact zeros, and global
// max pooling meets no ties (the engine routes a tie's gradient to the first
// maximum, TF.js to all of them, PyTorch splits it).
std::vector<OracleCase> oracle_cases() {
  std::vector<OracleCase> cases;
  for (const CaseDef& def : case_defs()) {
    OracleCase c{def.what, {}, def.batch, [scale = def.input_scale](Rng& rng) {
                   return scale * static_cast<float>(rng.normal());
                 }};
    c.spec.name = "oracle-graph-" + std::to_string(cases.size());
    c.spec.input_shape = def.input_shape;
    c.spec.input_name = def.input_name;
    c.spec.layers = def.layers;
    c.spec.loss = def.loss;
    prepare_oracle_spec(c.spec, def.optimizer);
    cases.push_back(std::move(c));
  }
  return cases;
}

}  // namespace

TEST_CASE("engine matches PyTorch on graphs, merges, depthwise/separable conv2d, relu/softmax layers, global "
          "pooling, zero padding and cropping",
          "[oracle][pytorch][graph]") {
  check_engine_against_oracle(oracle_cases(), 4000, 500, "graph");
}

}  // namespace gapscope

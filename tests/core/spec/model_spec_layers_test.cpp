// The CNN and RNN layer types in specs: TF.js's defaults, both spellings of
// window sizes, errors naming the field and the rule, the input each type
// takes, and an exact JSON round trip.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "core/spec/model_spec.h"
#include "tests/core/spec/spec_test_support.h"

using namespace gapscope;
using gapscope::test::spec_error;
using Catch::Matchers::Equals;
using Catch::Matchers::StartsWith;
using nlohmann::json;

namespace {

json spec_with(const json& input_shape, const json& layers) {
  return {{"format", "gapscope.model/1"}, {"input", {{"shape", input_shape}}}, {"layers", layers}};
}

// A spec with every new layer type (and a softmax head), shapes in comments.
json cnn_rnn_json() {
  return spec_with({12}, json::parse(R"([
    {"type": "embedding", "input_dim": 10, "output_dim": 4},
    {"type": "reshape", "target_shape": [6, 8, 1]},
    {"type": "conv2d", "filters": 3, "kernel_size": [3, 2], "strides": [1, 2], "activation": "relu"},
    {"type": "batch_normalization", "momentum": 0.9, "epsilon": 0.01},
    {"type": "max_pooling2d", "pool_size": 2},
    {"type": "average_pooling2d", "pool_size": [1, 2], "strides": 1, "padding": "same"},
    {"type": "flatten"},
    {"type": "reshape", "target_shape": [3, 4]},
    {"type": "simple_rnn", "units": 5, "return_sequences": true},
    {"type": "lstm", "units": 4, "return_sequences": true, "unit_forget_bias": false},
    {"type": "gru", "units": 3, "recurrent_activation": "sigmoid"},
    {"type": "dense", "units": 2, "activation": "softmax"}])"));
}

TEST_CASE("vision layers: depthwise and separable convolution, margins in every Keras form, global pooling, relu caps, softmax axis", "[spec][cnn]") {
  const auto shape_after = [](const json& layer, const json& input = {6, 5, 2}) {
    return model_output_shape(parse_model_spec(spec_with(input, json::array({layer}))));
  };
  CHECK(shape_after({{"type", "zero_padding2d"}}) == Shape{8, 7, 2});  // default 1 all round
  CHECK(shape_after({{"type", "zero_padding2d"}, {"padding", 2}}) == Shape{10, 9, 2});
  CHECK(shape_after({{"type", "zero_padding2d"}, {"padding", {1, 0}}}) == Shape{8, 5, 2});
  CHECK(shape_after({{"type", "zero_padding2d"}, {"padding", {{0, 1}, {2, 3}}}}) == Shape{7, 10, 2});
  CHECK(shape_after({{"type", "cropping2d"}, {"cropping", {1, 2, 0, 3}}}) == Shape{3, 2, 2});
  CHECK(shape_after({{"type", "global_average_pooling2d"}}) == Shape{2});
  CHECK(shape_after({{"type", "global_max_pooling2d"}}) == Shape{2});
  CHECK(shape_after({{"type", "softmax"}, {"axis", 3}}) == Shape{6, 5, 2});
  CHECK(shape_after({{"type", "depthwise_conv2d"}, {"kernel_size", 3}, {"strides", 2}, {"padding", "same"},
                     {"depth_multiplier", 3}}) == Shape{3, 3, 6});
  CHECK(shape_after({{"type", "separable_conv2d"}, {"filters", 7}, {"kernel_size", 3}}) == Shape{4, 3, 7});
  // Parameters and FLOPs as Keras counts them: depthwise 3x3x2x3 + bias 6;
  // separable 3x3x2x1 + 1x1x2x7 + bias 7, and (9 + 7) x 2 products per output pixel.
  const auto sized = [](const json& layer) { return parse_model_spec(spec_with({6, 5, 2}, json::array({layer}))); };
  CHECK(count_parameters(sized({{"type", "depthwise_conv2d"}, {"kernel_size", 3}, {"depth_multiplier", 3}})) == 54 + 6);
  const ModelSpec separable = sized({{"type", "separable_conv2d"}, {"filters", 7}, {"kernel_size", 3}});
  CHECK(count_parameters(separable) == 18 + 14 + 7);
  CHECK(forward_flops(separable) == 2 * (4 * 3) * 2 * (9 + 7));
  // Written in the canonical form, read back the same.
  const ModelSpec padded = parse_model_spec(spec_with({6, 5, 2}, json::parse(R"([{"type": "zero_padding2d", "padding": [[0, 1], [2, 3]]}])")));
  CHECK(model_spec_to_json(padded)["layers"][0]["padding"] == json({0, 1, 2, 3}));
  const ModelSpec relu = parse_model_spec(spec_with({4}, json::parse(R"([{"type": "relu"}])")));
  CHECK(model_spec_to_json(relu)["layers"][0]["max_value"].is_null());

  const auto error_of = [](const json& layer, const json& input = {6, 5, 2}) {
    return spec_error(spec_with(input, json::array({layer})));
  };
  CHECK_THAT(error_of({{"type", "cropping2d"}, {"cropping", {{3, 3}, {0, 0}}}}),
             Equals("layers[0] (cropping2d_1): cropping [3, 3, 0, 0] leaves no pixel of its input [6, 5, 2]"));
  CHECK_THAT(error_of({{"type", "zero_padding2d"}, {"padding", {1, 2, 3}}}),
             Equals("layers[0].padding must be n, [rows, columns], [[top, bottom], [left, right]] or [top, bottom, "
                    "left, right], got [1,2,3]"));
  CHECK_THAT(error_of({{"type", "zero_padding2d"}, {"padding", -1}}), Equals("layers[0].padding must be >= 0, got -1"));
  CHECK_THAT(error_of({{"type", "global_average_pooling2d"}}, {12}),
             Equals("layers[0] (global_average_pooling2d_1): global_average_pooling2d needs a [height, width, channels] "
                    "input, got [12] (input.shape)"));
  CHECK_THAT(error_of({{"type", "relu"}, {"max_value", -3}}, {4}), Equals("layers[0].max_value must be a number >= 0, got -3"));
  CHECK_THAT(error_of({{"type", "relu"}, {"negative_slope", -0.5}}, {4}),
             Equals("layers[0].negative_slope must be a number >= 0, got -0.5"));
  CHECK_THAT(error_of({{"type", "leaky_relu"}, {"alpha", -1}}, {4}), Equals("layers[0].alpha must be a number >= 0, got -1"));
  CHECK(error_of({{"type", "relu"}, {"max_value", 3}, {"negative_slope", 0.1}, {"threshold", -2}}, {4}) == "(no error)");
  CHECK_THAT(error_of({{"type", "up_sampling2d"}, {"size", 0}}), Equals("layers[0].size[0] must be >= 1, got 0"));
  CHECK_THAT(error_of({{"type", "up_sampling2d"}, {"interpolation", "bilinear"}}),
             Equals("layers[0].interpolation must be \"nearest\" (the only interpolation gapscope computes), got "
                    "\"bilinear\""));
  CHECK_THAT(error_of({{"type", "up_sampling2d"}}, {12}),
             Equals("layers[0] (up_sampling2d_1): up_sampling2d needs a [height, width, channels] input, got [12] "
                    "(input.shape)"));
  CHECK_THAT(error_of({{"type", "conv2d"}, {"filters", 2}, {"kernel_size", 3}, {"dilation_rate", 2}, {"strides", 2}}),
             Equals("layers[0].dilation_rate: a dilated conv2d needs strides [1, 1] (as in TF), got strides [2,2]"));
  CHECK_THAT(error_of({{"type", "conv2d"}, {"filters", 2}, {"kernel_size", 3}, {"dilation_rate", 3}}),
             Equals("layers[0] (conv2d_1): the 7x7 kernel is larger than the 6x5 input (height x width) with valid "
                    "padding; use padding \"same\" or a smaller kernel"));
  CHECK_THAT(error_of({{"type", "softmax"}, {"axis", 1}}),
             Equals("layers[0] (softmax_1): axis 1 is not the last axis; softmax normalises over the last axis only (-1, "
                    "or 3 for this input of rank 3)"));
}

}  // namespace

TEST_CASE("CNN and RNN layers parse with TF.js's defaults", "[spec][layers]") {
  ModelSpec spec = parse_model_spec(cnn_rnn_json());
  const auto& l = spec.layers;
  REQUIRE(l.size() == 12);
  CHECK(l[0].name == "embedding_1");
  CHECK(l[0].kernel_initializer == Initializer::random_uniform);
  CHECK(l[2].name == "conv2d_1");
  CHECK(l[2].kernel_size == std::vector<int64_t>{3, 2});
  CHECK(l[2].strides == std::vector<int64_t>{1, 2});
  CHECK(l[2].padding == Padding::valid);
  CHECK(l[2].kernel_initializer == Initializer::glorot_uniform);
  CHECK(l[3].momentum == 0.9f);
  CHECK(l[3].epsilon == 0.01f);
  CHECK(l[4].pool_size == std::vector<int64_t>{2, 2});
  CHECK(l[4].strides == std::vector<int64_t>{2, 2});  // = pool_size
  CHECK(l[5].strides == std::vector<int64_t>{1, 1});  // an integer n is [n, n]
  CHECK(l[5].padding == Padding::same);
  CHECK(l[7].name == "reshape_2");
  CHECK(l[8].activation == Activation::tanh);
  CHECK(l[8].return_sequences);
  CHECK(l[9].recurrent_activation == Activation::hard_sigmoid);
  CHECK(l[9].recurrent_initializer == Initializer::orthogonal);
  CHECK_FALSE(l[9].unit_forget_bias);
  CHECK(l[10].recurrent_activation == Activation::sigmoid);
  CHECK_FALSE(l[10].return_sequences);

  json defaults = spec_with({28, 28, 1}, json::parse(R"([
    {"type": "conv2d", "filters": 2, "kernel_size": 5}, {"type": "max_pooling2d"},
    {"type": "batch_normalization"}, {"type": "flatten"}, {"type": "reshape", "target_shape": [288]},
    {"type": "reshape", "target_shape": [12, 24]}, {"type": "lstm", "units": 3}])"));
  spec = parse_model_spec(defaults);
  CHECK(spec.layers[0].strides == std::vector<int64_t>{1, 1});
  CHECK(spec.layers[0].activation == Activation::linear);
  CHECK(spec.layers[1].pool_size == std::vector<int64_t>{2, 2});
  CHECK(spec.layers[2].momentum == 0.99f);
  CHECK(spec.layers[2].epsilon == 0.001f);
  CHECK(spec.layers[6].activation == Activation::tanh);
  CHECK(spec.layers[6].kernel_initializer == Initializer::glorot_uniform);
  CHECK(spec.layers[6].unit_forget_bias);  // Keras's default
}

TEST_CASE("shapes of every layer type", "[spec][layers][sizes]") {
  std::vector<Shape> shapes = infer_output_shapes(parse_model_spec(cnn_rnn_json()));
  std::vector<Shape> expected = {{12, 4}, {6, 8, 1}, {4, 4, 3}, {4, 4, 3}, {2, 2, 3}, {2, 2, 3},
                                 {12},    {3, 4},    {3, 5},    {3, 4},    {3},       {2}};
  CHECK(shapes == expected);

  // same padding: ceil(in / stride); valid: floor((in - k) / stride) + 1.
  json j = spec_with({7, 9, 2}, json::parse(R"([
    {"type": "conv2d", "filters": 4, "kernel_size": 3, "strides": 2, "padding": "same"},
    {"type": "average_pooling2d", "pool_size": [3, 2], "strides": [1, 2]}])"));
  shapes = infer_output_shapes(parse_model_spec(j));
  CHECK(shapes[0] == Shape{4, 5, 4});
  CHECK(shapes[1] == Shape{2, 2, 4});
}

TEST_CASE("parameters of every layer type, checked by hand", "[spec][layers][sizes]") {
  ModelSpec spec = parse_model_spec(cnn_rnn_json());
  std::vector<ParameterShape> p = parameter_shapes(spec);
  struct Expected {
    const char* name;
    Shape shape;
    bool trainable;
  };
  const Expected expected[] = {
      {"embedding_1/embeddings", {10, 4}, true},
      {"conv2d_1/kernel", {3, 2, 1, 3}, true},
      {"conv2d_1/bias", {3}, true},
      {"batch_normalization_1/gamma", {3}, true},
      {"batch_normalization_1/beta", {3}, true},
      {"batch_normalization_1/moving_mean", {3}, false},
      {"batch_normalization_1/moving_variance", {3}, false},
      {"simple_rnn_1/kernel", {4, 5}, true},
      {"simple_rnn_1/recurrent_kernel", {5, 5}, true},
      {"simple_rnn_1/bias", {5}, true},
      {"lstm_1/kernel", {5, 16}, true},
      {"lstm_1/recurrent_kernel", {4, 16}, true},
      {"lstm_1/bias", {16}, true},
      {"gru_1/kernel", {4, 9}, true},
      {"gru_1/recurrent_kernel", {3, 9}, true},
      {"gru_1/bias", {9}, true},
      {"dense_1/kernel", {3, 2}, true},
      {"dense_1/bias", {2}, true},
  };
  REQUIRE(p.size() == std::size(expected));
  for (size_t i = 0; i < p.size(); ++i) {
    INFO(expected[i].name);
    CHECK(p[i].name == expected[i].name);
    CHECK(p[i].shape == expected[i].shape);
    CHECK(p[i].trainable == expected[i].trainable);
  }
  // 40 + 21 + 12 + 50 + 160 + 72 + 8; moving statistics count, as in Keras.
  CHECK(count_parameters(spec) == 363);
}

TEST_CASE("FLOPs count products with weights only", "[spec][layers][sizes]") {
  ModelSpec spec = parse_model_spec(cnn_rnn_json());
  // conv2d 2 x (4 x 4 x 3) x (3 x 2 x 1); simple_rnn 2 x 3 x 5 x (4 + 5);
  // lstm 2 x 3 x 16 x (5 + 4); gru 2 x 3 x 9 x (4 + 3); dense 2 x 3 x 2.
  CHECK(forward_flops(spec) == 2 * 48 * 6 + 2 * 3 * 5 * 9 + 2 * 3 * 16 * 9 + 2 * 3 * 9 * 7 + 2 * 3 * 2);

  // Dense on [T, F] works per row, as in Keras.
  json j = spec_with({6}, json::parse(R"([{"type": "embedding", "input_dim": 10, "output_dim": 4},
                                          {"type": "dense", "units": 5}])"));
  spec = parse_model_spec(j);
  CHECK(infer_output_shapes(spec).back() == Shape{6, 5});
  CHECK(count_parameters(spec) == 40 + 4 * 5 + 5);
  CHECK(forward_flops(spec) == 2 * 6 * 4 * 5);
}

TEST_CASE("training memory of CNN and RNN layers", "[spec][layers][sizes]") {
  json j = spec_with({8, 8, 2}, json::parse(R"([
    {"type": "conv2d", "filters": 3, "kernel_size": 3, "activation": "relu"},
    {"type": "max_pooling2d", "pool_size": 2},
    {"type": "batch_normalization"},
    {"type": "average_pooling2d", "pool_size": [1, 2], "strides": 1, "padding": "same"},
    {"type": "flatten"},
    {"type": "reshape", "target_shape": [3, 9]},
    {"type": "lstm", "units": 4, "return_sequences": true},
    {"type": "gru", "units": 2},
    {"type": "dense", "units": 5, "activation": "softmax"}])"));
  ModelSpec spec = parse_model_spec(j);
  TrainingMemoryEstimate e = estimate_training_memory(spec, 1);
  CHECK(e.parameters == 57 + 12 + 224 + 42 + 15);
  CHECK(e.non_trainable_parameters == 6);
  CHECK(e.copies == 2);
  CHECK(e.parameter_bytes == ((350 - 6) * 2 + 6) * 4);
  // input 128; conv 2 x 108 + im2col 6 x 6 x 3 x 3 x 2; max pool 2 x 27; batch
  // norm 2 x 27; average pool 27; flatten, reshape 0; lstm 12 + 3 x 6 x 4;
  // gru 2 + 3 x 5 x 2; dense 2 x 5; workspace 2 x 108.
  int64_t per_sample = 128 + (216 + 648) + 54 + 54 + 27 + 0 + 0 + (12 + 72) + (2 + 30) + 10 + 216;
  CHECK(e.activation_bytes == per_sample * 4);
  CHECK(estimate_training_memory(spec, 64).activation_bytes == per_sample * 64 * 4);
}

TEST_CASE("the memory message counts non-trainable parameters once", "[spec][layers][limits]") {
  json j = spec_with({16}, json::parse(R"([{"type": "batch_normalization"}, {"type": "dense", "units": 2}])"));
  SpecLimits tiny;
  tiny.memory_bytes = 1000;
  // (66 x 2 + 32) x 4 = 656 bytes of parameters; (16 + 2 x 16 + 2 + 2 x 16) x 64 x 4 of activations.
  CHECK_THAT(spec_error(j, tiny), Equals("model needs 21.1 KiB to train at batch 64 (trainable parameters 66 x 4 "
                                         "bytes x 2 [weights, gradients] + non-trainable 32 x 4 bytes + "
                                         "activations 20.5 KiB), over the limit of 1000 bytes"));
}

TEST_CASE("absurd CNN and RNN sizes saturate and are refused with their size", "[spec][layers][limits]") {
  json j = spec_with({1, 1, 1 << 20}, json::parse(R"([
    {"type": "conv2d", "filters": 1048576, "kernel_size": [1073741824, 1073741824], "padding": "same"}])"));
  CHECK_THAT(spec_error(j), Equals("model has more than 9.2e18 parameters, over the limit of 1,000,000,000"));
  ModelSpec spec;
  spec.input_shape = {1, 1, 1 << 20};
  LayerSpec conv;
  conv.type = "conv2d";
  conv.filters = 1 << 20;
  conv.kernel_size = {1 << 30, 1 << 30};
  conv.padding = Padding::same;
  spec.layers = {conv};
  CHECK(count_parameters(spec) == INT64_MAX);
  CHECK(forward_flops(spec) == INT64_MAX);
  CHECK(estimate_training_bytes(spec, 64) == INT64_MAX);

  j = spec_with({int64_t{1} << 40, 1 << 20}, json::parse(R"([{"type": "lstm", "units": 1048576, "return_sequences": true}])"));
  CHECK_THAT(spec_error(j), StartsWith("model has 8,796,097,216,512 parameters, over the limit"));
  SpecLimits unbounded;
  unbounded.max_parameters = INT64_MAX;
  CHECK_THAT(spec_error(j, unbounded),
             StartsWith("model needs more than 8 EiB (the count overflows 64 bits) to train at batch 64"));
}

TEST_CASE("CNN and RNN field errors name the field and the rule", "[spec][layers][errors]") {
  auto conv = [](json fields) {
    json layer = {{"type", "conv2d"}, {"filters", 3}, {"kernel_size", 3}};
    if (fields.is_object()) layer.update(fields);
    return spec_with({8, 8, 2}, json::array({layer}));
  };
  CHECK_THAT(spec_error(conv({{"filters", 0}})), Equals("layers[0].filters must be >= 1, got 0"));
  CHECK_THAT(spec_error(conv({{"filters", int64_t{1} << 21}})),
             Equals("layers[0].filters must be <= 1,048,576, got 2,097,152"));
  CHECK_THAT(spec_error(conv({{"kernel_size", {3}}})),
             Equals("layers[0].kernel_size must have exactly 2 values [height, width], got [3]"));
  CHECK_THAT(spec_error(conv({{"kernel_size", {3, 0}}})), Equals("layers[0].kernel_size[1] must be >= 1, got 0"));
  CHECK_THAT(spec_error(conv({{"kernel_size", "3"}})),
             Equals("layers[0].kernel_size must be an integer or an array [height, width], got string"));
  CHECK_THAT(spec_error(conv({{"strides", 0}})), Equals("layers[0].strides[0] must be >= 1, got 0"));
  CHECK_THAT(spec_error(conv({{"padding", "full"}})), Equals("layers[0].padding: unknown padding 'full'; known: valid, same"));
  CHECK_THAT(spec_error(conv({{"filter", 3}})),
             StartsWith("layers[0].filter: unknown key in a conv2d layer; known keys: type, name, inputs, filters, "));
  json j = conv({});
  j["layers"][0].erase("kernel_size");
  CHECK_THAT(spec_error(j), Equals("layers[0].kernel_size is missing; e.g. 5 or [5, 5]"));

  j = spec_with({8, 8, 2}, json::parse(R"([{"type": "max_pooling2d", "pool_size": [2, 2, 2]}])"));
  CHECK_THAT(spec_error(j), Equals("layers[0].pool_size must have exactly 2 values [height, width], got [2, 2, 2]"));
  j = spec_with({16}, json::parse(R"([{"type": "reshape", "target_shape": [0, 16]}])"));
  CHECK_THAT(spec_error(j), Equals("layers[0].target_shape[0] must be >= 1, got 0"));
  j = spec_with({16}, json::parse(R"([{"type": "reshape", "target_shape": []}])"));
  CHECK_THAT(spec_error(j), Equals("layers[0].target_shape must not be empty, e.g. [7, 7, 16]"));
  j = spec_with({16}, json::parse(R"([{"type": "flatten", "data_format": "channels_last"}])"));
  CHECK_THAT(spec_error(j), StartsWith("layers[0].data_format: unknown key in a flatten layer; known keys: type, name"));

  auto norm = [](json fields) {
    json layer = {{"type", "batch_normalization"}};
    if (fields.is_object()) layer.update(fields);
    return spec_with({16}, json::array({layer}));
  };
  CHECK_THAT(spec_error(norm({{"momentum", 1.5}})), Equals("layers[0].momentum must be in [0, 1], got 1.5"));
  CHECK_THAT(spec_error(norm({{"epsilon", 0}})), Equals("layers[0].epsilon must be > 0, got 0"));
  CHECK_THAT(spec_error(norm({{"axis", 2}})),
             Equals("layers[0] (batch_normalization_1): axis 2 is not the last axis; batch_normalization normalises "
                    "over the last axis only (-1, or 1 for this input of rank 1)"));
  CHECK_NOTHROW(parse_model_spec(norm({{"axis", 1}})));  // Keras's positive index of the last axis
  CHECK_THAT(spec_error(norm({{"center", 0}})), StartsWith("layers[0].center must be true or false"));
  CHECK(spec_error(norm({{"center", false}, {"scale", false}})) == "(no error)");
  CHECK(spec_error(norm({{"axis", -1}, {"center", true}, {"scale", true}})) == "(no error)");

  j = spec_with({6}, json::parse(R"([{"type": "embedding", "input_dim": 0, "output_dim": 4}])"));
  CHECK_THAT(spec_error(j), Equals("layers[0].input_dim must be >= 1, got 0"));
  j = spec_with({6}, json::parse(R"([{"type": "embedding", "input_dim": 10}])"));
  CHECK_THAT(spec_error(j), Equals("layers[0].output_dim is missing; the vector size (an integer >= 1)"));

  j = spec_with({5, 3}, json::parse(R"([{"type": "lstm", "units": 0}])"));
  CHECK_THAT(spec_error(j), Equals("layers[0].units must be >= 1, got 0"));
  j = spec_with({5, 3}, json::parse(R"([{"type": "simple_rnn", "units": 2, "recurrent_activation": "sigmoid"}])"));
  CHECK_THAT(spec_error(j), StartsWith("layers[0].recurrent_activation: unknown key in a simple_rnn layer; known "
                                       "keys: type, name, inputs, units, activation, use_bias, kernel_initializer, "
                                       "recurrent_initializer, bias_initializer, return_sequences"));
  j = spec_with({5, 3}, json::parse(R"([{"type": "gru", "units": 2, "unit_forget_bias": true}])"));
  CHECK_THAT(spec_error(j), StartsWith("layers[0].unit_forget_bias: unknown key in a gru layer"));
}

TEST_CASE("each layer type's input rule", "[spec][layers][errors]") {
  json j = spec_with({784}, json::parse(R"([{"type": "max_pooling2d"}])"));
  CHECK_THAT(spec_error(j), Equals("layers[0] (max_pooling2d_1): max_pooling2d needs an input [height, width, "
                                   "channels], got [784] (input.shape)"));
  j = spec_with({4, 6, 1}, json::parse(R"([{"type": "conv2d", "filters": 2, "kernel_size": [5, 5]}])"));
  CHECK_THAT(spec_error(j), Equals("layers[0] (conv2d_1): the 5x5 kernel is larger than the 4x6 input (height x "
                                   "width) with valid padding; use padding \"same\" or a smaller kernel"));
  j["layers"][0]["padding"] = "same";
  CHECK(spec_error(j) == "(no error)");
  j = spec_with({3, 3, 1}, json::parse(R"([{"type": "flatten"}, {"type": "reshape", "target_shape": [3, 3, 1]},
                                          {"type": "average_pooling2d", "pool_size": [1, 4]}])"));
  CHECK_THAT(spec_error(j), Equals("layers[2] (average_pooling2d_1): the 1x4 pool is larger than the 3x3 input "
                                   "(height x width) with valid padding; use padding \"same\" or a smaller pool"));
  j = spec_with({4, 4}, json::parse(R"([{"type": "reshape", "target_shape": [3, 5]}])"));
  CHECK_THAT(spec_error(j), Equals("layers[0] (reshape_1): reshape target [3, 5] has 15 elements, the input [4, 4] "
                                   "has 16"));
  j = spec_with({8}, json::parse(R"([{"type": "lstm", "units": 2}])"));
  CHECK_THAT(spec_error(j), Equals("layers[0] (lstm_1): lstm needs an input [timesteps, features], got [8] "
                                   "(input.shape)"));
  j = spec_with({5, 3}, json::parse(R"([{"type": "gru", "units": 2}, {"type": "simple_rnn", "units": 2}])"));
  CHECK_THAT(spec_error(j), Equals("layers[1] (simple_rnn_1): simple_rnn needs an input [timesteps, features], got "
                                   "[2]"));
  j = spec_with({5, 3}, json::parse(R"([{"type": "embedding", "input_dim": 9, "output_dim": 2}])"));
  CHECK_THAT(spec_error(j), Equals("layers[0] (embedding_1): embedding needs an input [timesteps] of token ids "
                                   "(rank 1), got [5, 3] (input.shape)"));
  j = spec_with({6}, json::parse(R"([{"type": "dense", "units": 6}, {"type": "embedding", "input_dim": 9, "output_dim": 2}])"));
  CHECK_THAT(spec_error(j), Equals("layers[1] (embedding_1): embedding must take the model's input: it reads token ids, "
                                   "which no layer computes, and passes no gradient back"));
  // Rank 1 is fine for flatten and batch norm; dense takes any rank.
  j = spec_with({7}, json::parse(R"([{"type": "flatten"}, {"type": "batch_normalization"}, {"type": "dense", "units": 2}])"));
  CHECK(spec_error(j) == "(no error)");
}

TEST_CASE("specs with every layer type round-trip through JSON exactly", "[spec][layers][json]") {
  ModelSpec spec = parse_model_spec(cnn_rnn_json());
  spec.layers[2].use_bias = false;
  spec.layers[2].kernel_initializer = Initializer::he_uniform;
  spec.layers[9].recurrent_initializer = Initializer::glorot_uniform;
  json first = model_spec_to_json(spec);
  json second = model_spec_to_json(parse_model_spec(first));
  CHECK(first == second);
  CHECK(first["layers"][0].dump() ==
        R"({"embeddings_initializer":"random_uniform","input_dim":10,"name":"embedding_1","output_dim":4,)"
        R"("type":"embedding"})");
  CHECK(first["layers"][4].dump() ==
        R"({"name":"max_pooling2d_1","padding":"valid","pool_size":[2,2],"strides":[2,2],"type":"max_pooling2d"})");
  CHECK(first["layers"][3].dump() ==
        R"({"axis":-1,"beta_initializer":"zeros","center":true,"epsilon":0.01,"gamma_initializer":"ones",)"
        R"("momentum":0.9,"moving_mean_initializer":"zeros","moving_variance_initializer":"ones",)"
        R"("name":"batch_normalization_1","scale":true,"type":"batch_normalization"})");
  CHECK(first["layers"][9].dump() ==
        R"({"activation":"tanh","bias_initializer":"zeros","kernel_initializer":"glorot_uniform","name":"lstm_1",)"
        R"("recurrent_activation":"hard_sigmoid","recurrent_initializer":"glorot_uniform","return_sequences":true,)"
        R"("type":"lstm","unit_forget_bias":false,"units":4,"use_bias":true})");
  CHECK_FALSE(first["layers"][8].contains("recurrent_activation"));  // simple_rnn has none

  // A spec built in code gets its strides on validation; before, none are written.
  ModelSpec built;
  built.input_shape = {4, 4, 1};
  LayerSpec pool;
  pool.type = "average_pooling2d";
  pool.pool_size = {2, 1};
  built.layers = {pool};
  CHECK_FALSE(model_spec_to_json(built)["layers"][0].contains("strides"));
  validate_model_spec(built);
  CHECK(built.layers[0].strides == std::vector<int64_t>{2, 1});
}

// What a spec costs, and limits that refuse absurd specs before anything is
// allocated, with the numbers in the message and without integer wrap-around.
#include <catch2/catch.hpp>

#include "core/spec/model_spec.h"
#include "core/spec/presets.h"

using namespace gapscope;
using Catch::Matchers::Contains;
using Catch::Matchers::Equals;
using Catch::Matchers::StartsWith;

namespace {

std::string validate_error(ModelSpec spec, const SpecLimits& limits = {}) {
  try {
    validate_model_spec(spec, limits);
  } catch (const SpecError& e) {
    return e.what();
  }
  return "(no error)";
}

LayerSpec dense(int64_t units) {
  LayerSpec l;
  l.type = "dense";
  l.units = units;
  return l;
}

}  // namespace

TEST_CASE("shapes, parameters and FLOPs of the paper's DNN", "[spec][sizes]") {
  ModelSpec spec = paper_dnn(2, 128);
  std::vector<Shape> shapes = infer_output_shapes(spec);
  REQUIRE(shapes.size() == 3);
  CHECK(shapes[0] == Shape{128});
  CHECK(shapes[2] == Shape{10});
  CHECK(count_parameters(spec) == 784 * 128 + 128 + 128 * 128 + 128 + 128 * 10 + 10);
  CHECK(count_parameters(spec) == 118'282);
  CHECK(forward_flops(spec) == 2 * (784 * 128 + 128 * 128 + 128 * 10));

  std::vector<ParameterShape> params = parameter_shapes(spec);
  REQUIRE(params.size() == 6);
  CHECK(params[0].name == "dense_1/kernel");
  CHECK(params[0].shape == Shape{784, 128});
  CHECK(params[1].name == "dense_1/bias");
  CHECK(params[5].name == "dense_3/bias");
  CHECK(params[5].shape == Shape{10});
}

TEST_CASE("bias-free dense layers, dropout and activation add no parameters", "[spec][sizes]") {
  ModelSpec spec = paper_dnn(1, 4);
  spec.layers[0].use_bias = false;
  LayerSpec dropout;
  dropout.type = "dropout";
  dropout.rate = 0.5f;
  spec.layers.insert(spec.layers.begin() + 1, dropout);
  spec.layers[1].name = "dropout_1";
  CHECK(count_parameters(spec) == 784 * 4 + 4 * 10 + 10);
  CHECK(parameter_shapes(spec).size() == 3);
  CHECK(infer_output_shapes(spec)[1] == Shape{4});
}

TEST_CASE("training memory: parameters x copies + activations", "[spec][sizes]") {
  ModelSpec spec = paper_dnn(1, 100);  // sgd: weights + gradients
  TrainingMemoryEstimate e = estimate_training_memory(spec, 64);
  int64_t params = 784 * 100 + 100 + 100 * 10 + 10;
  CHECK(e.parameters == params);
  CHECK(e.copies == 2);
  CHECK(e.parameter_bytes == params * 4 * 2);
  // input 784 + relu dense (z and a) 2 x 100 + softmax dense 2 x 10, plus 2 x 100 workspace
  CHECK(e.activation_bytes == (784 + 200 + 20 + 2 * 100) * 64 * 4);
  CHECK(estimate_training_bytes(spec, 64) == e.parameter_bytes + e.activation_bytes);

  spec.optimizer = default_optimizer_config(OptimizerKind::adam);
  CHECK(estimate_training_memory(spec, 64).copies == 4);
}

TEST_CASE("too many parameters is refused with the numbers", "[spec][limits]") {
  ModelSpec spec = paper_dnn(4, 65536);
  CHECK_THAT(validate_error(spec), Equals("model has 12,937,199,626 parameters, over the limit of 1,000,000,000"));
}

TEST_CASE("a spec that does not fit in memory is refused with the numbers", "[spec][limits]") {
  // 556.5M parameters with Adam: x 4 bytes x 4 copies = 8.3 GiB, + 0.7 GiB of activations.
  ModelSpec spec = paper_dnn(1, 10);
  spec.layers[0].units = 700'000;
  spec.optimizer = default_optimizer_config(OptimizerKind::adam);
  REQUIRE(count_parameters(spec) == 556'500'010);
  CHECK_THAT(validate_error(spec),
             Equals("model needs 9 GiB to train at batch 64 (parameters 556,500,010 x 4 bytes x 4 [weights, "
                    "gradients, 2 optimizer slots] + activations 683.8 MiB), over the limit of 8 GiB"));
  SpecLimits big;
  big.memory_bytes = 16LL << 30;
  CHECK(validate_error(spec, big) == "(no error)");
  SpecLimits small_batch;
  small_batch.batch_size = 1;
  CHECK(validate_error(spec, small_batch).find("to train at batch 1 (") != std::string::npos);
}

TEST_CASE("huge sizes saturate instead of wrapping", "[spec][limits]") {
  ModelSpec spec;
  spec.input_shape = {int64_t{1} << 40};
  spec.layers = {dense(int64_t{1} << 40)};
  CHECK(count_parameters(spec) == INT64_MAX);
  CHECK(forward_flops(spec) == INT64_MAX);
  CHECK(estimate_training_bytes(spec, 64) == INT64_MAX);
  CHECK_THAT(validate_error(spec), Equals("layers[0].units must be <= 1,048,576, got 1,099,511,627,776"));

  SpecLimits unbounded;
  unbounded.max_units = INT64_MAX;
  unbounded.max_parameters = INT64_MAX;
  CHECK_THAT(validate_error(spec, unbounded),
             StartsWith("model needs more than 8 EiB (the count overflows 64 bits) to train at batch 64"));

  // 2^40 units after a small input: large, but exact.
  spec.input_shape = {784};
  unbounded.max_parameters = 1'000'000'000;
  CHECK_THAT(validate_error(spec, unbounded),
             Equals("model has 863,116,627,804,160 parameters, over the limit of 1,000,000,000"));
}

TEST_CASE("validate checks specs built in code like parsed ones", "[spec][errors]") {
  ModelSpec spec = paper_dnn(1, 8);
  spec.layers[0].type = "conv9";
  CHECK_THAT(validate_error(spec), StartsWith("layers[0].type: unknown layer type 'conv9'; known: dense, activation, "
                                              "relu, leaky_relu, softmax, dropout, conv2d, "));
  spec = paper_dnn(1, 8);
  spec.layers.clear();
  CHECK_THAT(validate_error(spec), Equals("layers must not be empty"));
  spec = paper_dnn(1, 8);
  spec.layers[1].units = -3;
  CHECK_THAT(validate_error(spec), Equals("layers[1].units must be >= 1, got -3"));
  spec = paper_dnn(1, 8);
  spec.optimizer.learning_rate = 0.0f;
  CHECK_THAT(validate_error(spec), Equals("optimizer.learning_rate must be > 0, got 0"));
  spec = paper_dnn(1, 8);
  spec.layers[0].name.clear();
  spec.layers[1].name.clear();
  validate_model_spec(spec);
  CHECK(spec.layers[0].name == "dense_1");
  CHECK(spec.layers[1].name == "dense_2");
}

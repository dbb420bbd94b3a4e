// layer_normalization in specs: Keras's defaults, the last axis only (-1 or
// its positive index counted with the batch axis), errors naming the field
// and the rule, weights by center and scale, sizes, and an exact JSON round
// trip.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "core/spec/layer_type.h"
#include "core/spec/model_spec.h"
#include "tests/core/spec/spec_test_support.h"

using namespace gapscope;
using gapscope::test::spec_error;
using Catch::Matchers::Equals;
using Catch::Matchers::StartsWith;
using nlohmann::json;

namespace {

// One layer_normalization (with `fields`) on an input of `shape`.
json norm_spec(const json& shape, const json& fields = json::object()) {
  json layer = {{"type", "layer_normalization"}};
  layer.update(fields);
  return {{"format", "gapscope.model/1"}, {"input", {{"shape", shape}}}, {"layers", json::array({layer})}};
}

}  // namespace

TEST_CASE("layer_normalization takes Keras's defaults and keeps the input's shape", "[spec][layer_normalization]") {
  const ModelSpec spec = parse_model_spec(norm_spec({5, 8}));
  const LayerSpec& l = spec.layers[0];
  CHECK(l.name == "layer_normalization_1");
  CHECK(l.axis == -1);
  CHECK(l.epsilon == 0.001f);
  CHECK(l.center);
  CHECK(l.scale);
  CHECK(l.gamma_initializer == Initializer::ones);
  CHECK(l.beta_initializer == Initializer::zeros);
  CHECK(model_output_shape(spec) == Shape{5, 8});
  CHECK(model_output_shape(parse_model_spec(norm_spec({7}))) == Shape{7});
  CHECK(model_output_shape(parse_model_spec(norm_spec({4, 4, 3}))) == Shape{4, 4, 3});
  // A layer built in code gets the same defaults.
  CHECK(LayerSpec{}.gamma_initializer == Initializer::ones);
  CHECK(LayerSpec{}.beta_initializer == Initializer::zeros);
}

TEST_CASE("layer_normalization normalises over the last axis only", "[spec][layer_normalization]") {
  CHECK_NOTHROW(parse_model_spec(norm_spec({5, 8}, {{"axis", 2}})));     // Keras's index of the last axis
  CHECK_NOTHROW(parse_model_spec(norm_spec({4, 4, 3}, {{"axis", 3}})));  // an image's channels
  CHECK_NOTHROW(parse_model_spec(norm_spec({6}, {{"axis", 1}})));
  CHECK_THAT(spec_error(norm_spec({5, 8}, {{"axis", 1}})),
             Equals("layers[0] (layer_normalization_1): axis 1 is not the last axis; layer_normalization normalises "
                    "over the last axis only (-1, or 2 for this input of rank 2)"));
  CHECK_THAT(spec_error(norm_spec({4, 4, 3}, {{"axis", -2}})),
             Equals("layers[0] (layer_normalization_1): axis -2 is not the last axis; layer_normalization normalises "
                    "over the last axis only (-1, or 3 for this input of rank 3)"));
  CHECK_THAT(spec_error(norm_spec({4, 4, 3}, {{"axis", 0}})),
             StartsWith("layers[0] (layer_normalization_1): axis 0 is not the last axis"));
  CHECK_THAT(spec_error(norm_spec({5, 8}, {{"axis", {2}}})), StartsWith("layers[0].axis must be an integer"));
}

TEST_CASE("layer_normalization field errors name the field and the rule", "[spec][layer_normalization]") {
  CHECK_THAT(spec_error(norm_spec({8}, {{"epsilon", 0}})), Equals("layers[0].epsilon must be > 0, got 0"));
  CHECK_THAT(spec_error(norm_spec({8}, {{"epsilon", -0.5}})), Equals("layers[0].epsilon must be > 0, got -0.5"));
  CHECK_THAT(spec_error(norm_spec({8}, {{"epsilon", "small"}})), StartsWith("layers[0].epsilon must be a number"));
  CHECK_THAT(spec_error(norm_spec({8}, {{"center", 1}})), StartsWith("layers[0].center must be true or false"));
  CHECK_THAT(spec_error(norm_spec({8}, {{"scale", "no"}})), StartsWith("layers[0].scale must be true or false"));
  CHECK_THAT(spec_error(norm_spec({8}, {{"gamma_initializer", "sevens"}})),
             StartsWith("layers[0].gamma_initializer"));
  CHECK_THAT(spec_error(norm_spec({8}, {{"momentum", 0.9}})),
             StartsWith("layers[0].momentum: unknown key in a layer_normalization layer; known keys: type, name"));
}

TEST_CASE("layer_normalization weights: gamma if scale, beta if center, both [C]; no FLOPs counted",
          "[spec][layer_normalization][sizes]") {
  const ModelSpec both = parse_model_spec(norm_spec({5, 8}));
  const std::vector<ParameterShape> params = parameter_shapes(both);
  REQUIRE(params.size() == 2);
  CHECK(params[0].name == "layer_normalization_1/gamma");
  CHECK(params[0].shape == Shape{8});
  CHECK(params[0].trainable);
  CHECK(params[1].name == "layer_normalization_1/beta");
  CHECK(params[1].shape == Shape{8});
  CHECK(params[1].trainable);
  CHECK(count_parameters(both) == 16);
  CHECK(forward_flops(both) == 0);  // element-wise, as batch norm

  const ModelSpec no_center = parse_model_spec(norm_spec({5, 8}, {{"center", false}}));
  REQUIRE(parameter_shapes(no_center).size() == 1);
  CHECK(parameter_shapes(no_center)[0].name == "layer_normalization_1/gamma");
  const ModelSpec no_scale = parse_model_spec(norm_spec({5, 8}, {{"scale", false}}));
  REQUIRE(parameter_shapes(no_scale).size() == 1);
  CHECK(parameter_shapes(no_scale)[0].name == "layer_normalization_1/beta");
  CHECK(count_parameters(parse_model_spec(norm_spec({5, 8}, {{"center", false}, {"scale", false}}))) == 0);

  // Kept for backward per sample: the output and each position's mean and 1 / std.
  const LayerType& type = *find_layer_type("layer_normalization");
  CHECK(type.kept_elements(both.layers[0], {5, 8}, {5, 8}) == 40 + 2 * 5);
  CHECK(type.kept_elements(both.layers[0], {4, 4, 3}, {4, 4, 3}) == 48 + 2 * 16);
  const TrainingMemoryEstimate memory = estimate_training_memory(both, 2);
  CHECK(memory.parameters == 16);
  CHECK(memory.non_trainable_parameters == 0);
  // input 40 + kept 50 + two gradient buffers of 40, per sample, x 2 samples x 4 bytes
  CHECK(memory.activation_bytes == (40 + 50 + 2 * 40) * 2 * 4);
}

TEST_CASE("layer_normalization round-trips through JSON exactly", "[spec][layer_normalization]") {
  const ModelSpec spec = parse_model_spec(norm_spec(
      {5, 8}, {{"axis", 2}, {"epsilon", 0.01}, {"center", false}, {"gamma_initializer", "random_normal"}}));
  const json first = model_spec_to_json(spec);
  CHECK(model_spec_to_json(parse_model_spec(first)) == first);
  CHECK(first["layers"][0].dump() ==
        R"({"axis":2,"beta_initializer":"zeros","center":false,"epsilon":0.01,"gamma_initializer":"random_normal",)"
        R"("name":"layer_normalization_1","scale":true,"type":"layer_normalization"})");
  const json object_form = model_spec_to_json(parse_model_spec(norm_spec(
      {8}, {{"beta_initializer", {{"class_name", "Constant"}, {"config", {{"value", 0.5}}}}}})));
  CHECK(object_form["layers"][0]["beta_initializer"]["class_name"] == "Constant");
}

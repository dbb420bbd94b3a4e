// Parsing specs: defaults, and an error naming the field and the rule for
// every way a spec can be wrong.
#include <catch2/catch.hpp>

#include "core/base/json_fields.h"
#include "core/spec/model_spec.h"
#include "tests/core/spec/spec_test_support.h"

using namespace gapscope;
using gapscope::test::base_spec_json;
using gapscope::test::spec_error;
using gapscope::test::spec_text_error;
using Catch::Matchers::Contains;
using Catch::Matchers::Equals;
using Catch::Matchers::StartsWith;

TEST_CASE("a spec parses with Keras-like defaults", "[spec]") {
  ModelSpec spec = parse_model_spec(base_spec_json());
  CHECK(spec.name == "mlp-2x128");
  CHECK(spec.input_shape == Shape{784});
  REQUIRE(spec.layers.size() == 4);
  CHECK(spec.layers[0].name == "dense_1");
  CHECK(spec.layers[1].name == "dropout_1");
  CHECK(spec.layers[2].name == "dense_2");
  CHECK(spec.layers[3].name == "dense_3");
  CHECK(spec.layers[0].use_bias);
  CHECK(spec.layers[0].kernel_initializer == Initializer::glorot_uniform);
  CHECK(spec.layers[0].bias_initializer == Initializer::zeros);
  CHECK(spec.layers[1].rate == 0.2f);
  CHECK(spec.layers[3].activation == Activation::softmax);
  CHECK(spec.loss == Loss::categorical_crossentropy);
  CHECK(spec.optimizer.kind == OptimizerKind::sgd);
  CHECK(spec.optimizer.learning_rate == 0.1f);
}

TEST_CASE("dense activation defaults to linear - loss and optimizer default to TF.js's", "[spec]") {
  nlohmann::json j = base_spec_json();
  j["layers"][0].erase("activation");
  j.erase("loss");
  j.erase("optimizer");
  ModelSpec spec = parse_model_spec(j);
  CHECK(spec.layers[0].activation == Activation::linear);
  CHECK(spec.loss == Loss::categorical_crossentropy);
  CHECK(spec.optimizer.kind == OptimizerKind::sgd);
  CHECK(spec.optimizer.learning_rate == default_optimizer_config(OptimizerKind::sgd).learning_rate);
}

TEST_CASE("default names count per type and skip nothing", "[spec]") {
  nlohmann::json j = base_spec_json();
  j["layers"][0]["name"] = "hidden";
  ModelSpec spec = parse_model_spec(j);
  CHECK(spec.layers[0].name == "hidden");
  CHECK(spec.layers[2].name == "dense_2");  // the second dense layer, named or not before it
  CHECK(spec.layers[3].name == "dense_3");
}

TEST_CASE("format is required and checked", "[spec][errors]") {
  nlohmann::json j = base_spec_json();
  j.erase("format");
  const std::string both = "\"gapscope.model/1\" or \"gapscope.model/2\"";
  CHECK_THAT(spec_error(j), Equals("format is missing; it must be " + both));
  j["format"] = "gapscope.model/3";
  CHECK_THAT(spec_error(j), Equals("format must be " + both + ", got \"gapscope.model/3\""));
  j["format"] = 1;
  CHECK_THAT(spec_error(j), Equals("format must be " + both + ", got 1"));
  j["format"] = "gapscope.model/2";  // a chain may be written as /2 too
  CHECK(parse_model_spec(j).layers.size() == base_spec_json()["layers"].size());
}

TEST_CASE("unknown keys are errors naming the path, with a suggestion", "[spec][errors]") {
  nlohmann::json j = base_spec_json();
  j["layer"] = nlohmann::json::array();
  CHECK_THAT(spec_error(j), Equals("layer: unknown key in the model spec; known keys: format, name, input, layers, "
                                   "loss, optimizer (did you mean 'layers'?)"));
  j = base_spec_json();
  j["layers"][2]["unit"] = 12;
  CHECK_THAT(spec_error(j), Equals("layers[2].unit: unknown key in a dense layer; known keys: type, name, inputs, units, "
                                   "activation, use_bias, kernel_initializer, bias_initializer (did you mean "
                                   "'units'?)"));
  j = base_spec_json();
  j["layers"][1]["units"] = 12;  // units on a dropout layer
  CHECK_THAT(spec_error(j), StartsWith("layers[1].units: unknown key in a dropout layer; known keys: type, name, inputs, rate"));
  j = base_spec_json();
  j["input"]["dtype"] = "float32";
  CHECK_THAT(spec_error(j), StartsWith("input.dtype: unknown key in input; known keys: shape"));
}

TEST_CASE("the spec and its parts must have the right JSON types", "[spec][errors]") {
  CHECK_THAT(spec_error(nlohmann::json::array()), Equals("the model spec must be a JSON object, got array"));
  nlohmann::json j = base_spec_json();
  j["layers"][0]["units"] = "128";
  CHECK_THAT(spec_error(j), Equals("layers[0].units must be an integer, got string"));
  j["layers"][0]["units"] = 12.5;
  CHECK_THAT(spec_error(j), Equals("layers[0].units must be an integer, got 12.5"));
  j = base_spec_json();
  j["layers"][0]["use_bias"] = 1;
  CHECK_THAT(spec_error(j), Equals("layers[0].use_bias must be true or false, got integer"));
  j = base_spec_json();
  j["name"] = 7;
  CHECK_THAT(spec_error(j), Equals("name must be a string, got integer"));
  j = base_spec_json();
  j["layers"] = nlohmann::json::object();
  CHECK_THAT(spec_error(j), Equals("layers must be an array, got object"));
  j = base_spec_json();
  j["layers"][0] = "dense";
  CHECK_THAT(spec_error(j), Equals("layers[0] must be a JSON object, got string"));
  j = base_spec_json();
  j["layers"][1]["rate"] = "0.2";
  CHECK_THAT(spec_error(j), Equals("layers[1].rate must be a number, got string"));
}

TEST_CASE("layers: non-empty, known types, required fields", "[spec][errors]") {
  nlohmann::json j = base_spec_json();
  j["layers"] = nlohmann::json::array();
  CHECK_THAT(spec_error(j), Equals("layers must not be empty"));
  j = base_spec_json();
  j.erase("layers");
  CHECK_THAT(spec_error(j), Equals("layers is missing; a non-empty array"));
  j = base_spec_json();
  j["layers"][3]["type"] = "conv9";
  // Every type of the registry, in its order (tests/core/layers checks the order).
  CHECK_THAT(spec_error(j), Equals("layers[3].type: unknown layer type 'conv9'; known: " + join_names(layer_type_names())));
  CHECK_THAT(spec_error(j), StartsWith("layers[3].type: unknown layer type 'conv9'; known: dense, activation, relu, "));
  j["layers"][3].erase("type");
  CHECK_THAT(spec_error(j), StartsWith("layers[3].type is missing; one of dense, activation, relu, leaky_relu, softmax, dropout, "));
  j = base_spec_json();
  j["layers"][0].erase("units");
  CHECK_THAT(spec_error(j), Equals("layers[0].units is missing; a dense layer needs units (an integer >= 1)"));
  j = base_spec_json();
  j["layers"][1].erase("rate");
  CHECK_THAT(spec_error(j), Equals("layers[1].rate is missing; a number in [0, 1)"));
  j = base_spec_json();
  j["layers"][1] = {{"type", "activation"}};
  CHECK_THAT(spec_error(j), Equals("layers[1].activation is missing; e.g. \"relu\""));
}

TEST_CASE("layer values are range-checked", "[spec][errors]") {
  nlohmann::json j = base_spec_json();
  j["layers"][2]["units"] = 0;
  CHECK_THAT(spec_error(j), Equals("layers[2].units must be >= 1, got 0"));
  j["layers"][2]["units"] = int64_t{1} << 40;
  CHECK_THAT(spec_error(j), Equals("layers[2].units must be <= 1,048,576, got 1,099,511,627,776"));
  j["layers"][2]["units"] = uint64_t{1} << 63;
  CHECK_THAT(spec_error(j), Equals("layers[2].units is 9223372036854775808, beyond the 64-bit integer range (at most "
                                   "9,223,372,036,854,775,807)"));
  j["layers"][2]["units"] = 1e12;  // an integer written as a float meets the field's own limit
  CHECK_THAT(spec_error(j), Equals("layers[2].units must be <= 1,048,576, got 1,000,000,000,000"));
  j = base_spec_json();
  j["layers"][1]["rate"] = 1;
  CHECK_THAT(spec_error(j), Equals("layers[1].rate must be in [0, 1), got 1"));
  j["layers"][1]["rate"] = -0.5;
  CHECK_THAT(spec_error(j), Equals("layers[1].rate must be in [0, 1), got -0.5"));
  j["layers"][1]["rate"] = 1e300;
  CHECK_THAT(spec_error(j), StartsWith("layers[1].rate must fit in a float32"));
}

TEST_CASE("enum names: activations and losses list the known ones", "[spec][errors]") {
  nlohmann::json j = base_spec_json();
  j["layers"][0]["activation"] = "relu7";
  CHECK_THAT(spec_error(j), StartsWith("layers[0].activation: unknown activation 'relu7'; known: linear, "));
  CHECK_THAT(spec_error(j), Contains("hard_sigmoid"));
  j = base_spec_json();
  j["loss"] = "hinge";
  CHECK_THAT(spec_error(j), StartsWith("loss: unknown loss 'hinge'; known: categorical_crossentropy, "));
}

TEST_CASE("initializers: names and the TF.js object form", "[spec]") {
  nlohmann::json j = base_spec_json();
  j["layers"][0]["kernel_initializer"] = "he_normal";
  j["layers"][0]["bias_initializer"] = {{"class_name", "Ones"}, {"config", nlohmann::json::object()}};
  j["layers"][2]["kernel_initializer"] = nlohmann::json::parse(
      R"({"class_name":"GlorotUniform","config":{"scale":1,"mode":"fan_avg","distribution":"uniform","seed":null}})");
  j["layers"][3]["kernel_initializer"] = nlohmann::json::parse(
      R"({"class_name":"VarianceScaling","config":{"scale":2,"mode":"fan_in","distribution":"uniform","seed":7}})");
  ModelSpec spec = parse_model_spec(j);
  CHECK(spec.layers[0].kernel_initializer == Initializer::he_normal);
  CHECK(spec.layers[0].bias_initializer == Initializer::ones);
  CHECK(spec.layers[2].kernel_initializer == Initializer::glorot_uniform);
  Initializer he_uniform_seed_7 = Initializer::he_uniform;
  he_uniform_seed_7.seed = 7;  // kept, so the file round-trips
  CHECK(spec.layers[3].kernel_initializer == he_uniform_seed_7);
  CHECK(model_spec_to_json(spec)["layers"][3]["kernel_initializer"] == j["layers"][3]["kernel_initializer"]);

  j["layers"][2]["kernel_initializer"] = {{"class_name", "HeNormal"}};  // config may be omitted
  CHECK(parse_model_spec(j).layers[2].kernel_initializer == Initializer::he_normal);
  j["layers"][2]["kernel_initializer"] = {{"class_name", "RandomNormal"},
                                          {"config", {{"mean", 0}, {"stddev", 0.05}, {"seed", nullptr}}}};
  CHECK(parse_model_spec(j).layers[2].kernel_initializer == Initializer::random_normal);
  j["layers"][2]["kernel_initializer"] = {{"class_name", "RandomUniform"},
                                          {"config", {{"minval", -0.05}, {"maxval", 0.05}, {"seed", nullptr}}}};
  CHECK(parse_model_spec(j).layers[2].kernel_initializer == Initializer::random_uniform);
  j["layers"][2]["kernel_initializer"] = {{"class_name", "Orthogonal"}, {"config", {{"gain", 1}, {"seed", nullptr}}}};
  CHECK(parse_model_spec(j).layers[2].kernel_initializer == Initializer::orthogonal);
  j["layers"][2]["kernel_initializer"] = "orthogonal";
  CHECK(parse_model_spec(j).layers[2].kernel_initializer == Initializer::orthogonal);
}

// Issue 18: whatever TF.js writes is kept as written and round-trips.
TEST_CASE("every TF.js initializer setting is kept as written", "[spec]") {
  const char* written[] = {
      R"({"class_name":"VarianceScaling","config":{"scale":1,"mode":"fan_out","distribution":"truncated_normal","seed":null}})",
      R"({"class_name":"VarianceScaling","config":{"scale":0.5,"mode":"fan_avg","distribution":"untruncated_normal","seed":42}})",
      R"({"class_name":"RandomNormal","config":{"mean":0,"stddev":0.02,"seed":null}})",
      R"({"class_name":"RandomUniform","config":{"minval":0,"maxval":1,"seed":null}})",
      R"({"class_name":"TruncatedNormal","config":{"mean":0.5,"stddev":0.1,"seed":3}})",
      R"({"class_name":"Orthogonal","config":{"gain":2,"seed":null}})",
      R"({"class_name":"Constant","config":{"value":0.1}})",
      R"({"class_name":"Identity","config":{"gain":0.5}})",
  };
  for (const char* text : written) {
    INFO(text);
    nlohmann::json j = base_spec_json();
    j["layers"][0]["kernel_initializer"] = nlohmann::json::parse(text);
    ModelSpec spec = parse_model_spec(j);
    CHECK(model_spec_to_json(spec)["layers"][0]["kernel_initializer"] == nlohmann::json::parse(text));
  }
  nlohmann::json j = base_spec_json();
  j["layers"][0]["kernel_initializer"] = nlohmann::json::parse(
      R"({"class_name":"VarianceScaling","config":{"scale":2,"mode":"fanIn","distribution":"uniform"}})");
  CHECK(parse_model_spec(j).layers[0].kernel_initializer == Initializer::he_uniform);  // TF.js spelling, a named form
  j["layers"][0]["kernel_initializer"] = nlohmann::json::parse(
      R"({"module":"keras.initializers","class_name":"LeCunUniform","config":{"seed":null},"registered_name":null})");
  CHECK(parse_model_spec(j).layers[0].kernel_initializer == Initializer::lecun_uniform);  // Keras 3
}

TEST_CASE("initializers that do not exist or contradict their class are errors, never replaced", "[spec][errors]") {
  nlohmann::json j = base_spec_json();
  j["layers"][0]["kernel_initializer"] = "glorot_uniformm";
  CHECK_THAT(spec_error(j), StartsWith("layers[0].kernel_initializer: unknown initializer 'glorot_uniformm'; known: "
                                       "glorot_uniform, "));
  j["layers"][0]["kernel_initializer"] = {{"class_name", "Frobnicate"}, {"config", {{"gain", 1}}}};
  CHECK_THAT(spec_error(j),
             StartsWith("layers[0].kernel_initializer.class_name: unknown initializer class 'Frobnicate'; TF.js has: "
                        "Zeros, Ones, Constant, "));
  j["layers"][0]["kernel_initializer"] = {{"class_name", "GlorotUniform"}, {"config", {{"scale", 2}}}};
  CHECK_THAT(spec_error(j), Equals("layers[0].kernel_initializer.config: GlorotUniform means scale 1, mode fan_avg, "
                                   "distribution uniform; got scale 2, mode fan_avg, distribution uniform"));
  j["layers"][0]["kernel_initializer"] = {{"class_name", "VarianceScaling"}, {"config", {{"mode", "fan_sideways"}}}};
  CHECK_THAT(spec_error(j), Equals("layers[0].kernel_initializer.config.mode: unknown mode 'fan_sideways'; known: "
                                   "fan_in, fan_out, fan_avg"));
  j["layers"][0]["kernel_initializer"] = {{"class_name", "VarianceScaling"}, {"config", {{"scale", -1}}}};
  CHECK_THAT(spec_error(j), Equals("layers[0].kernel_initializer.config.scale must be > 0, got -1"));
  j["layers"][0]["kernel_initializer"] = {{"class_name", "RandomNormal"}, {"config", {{"stddev", -1}}}};
  CHECK_THAT(spec_error(j), Equals("layers[0].kernel_initializer.config.stddev must be >= 0, got -1"));
  j["layers"][0]["kernel_initializer"] = {{"class_name", "RandomUniform"}, {"config", {{"minval", 2}}}};
  CHECK_THAT(spec_error(j), Equals("layers[0].kernel_initializer.config: minval 2 is above maxval 0.05"));
  j["layers"][0]["kernel_initializer"] = {{"class_name", "Orthogonal"}, {"config", {{"seed", 1.5}}}};
  CHECK_THAT(spec_error(j), Equals("layers[0].kernel_initializer.config.seed must be an integer, got 1.5"));
  j["layers"][0]["kernel_initializer"] = {{"class_name", "Zeros"}, {"config", {{"value", 1}}}};
  CHECK_THAT(spec_error(j), StartsWith("layers[0].kernel_initializer.config.value: unknown key in Zeros's config"));
  j["layers"][0]["kernel_initializer"] = 3;
  CHECK_THAT(spec_error(j), StartsWith("layers[0].kernel_initializer must be an initializer name or a"));
}

TEST_CASE("names: valid characters, unique, not empty", "[spec][errors]") {
  nlohmann::json j = base_spec_json();
  j["layers"][0]["name"] = "my layer";
  CHECK_THAT(spec_error(j), Equals("layers[0].name 'my layer' is invalid: use 1 to 128 characters from A-Z a-z 0-9 "
                                   "_ . - /"));
  j["layers"][0]["name"] = std::string(129, 'a');
  CHECK_THAT(spec_error(j), Contains("is invalid: use 1 to 128 characters"));
  j["layers"][0]["name"] = std::string(1'000'000, 'a');  // the message shows a prefix, not the megabyte
  CHECK_THAT(spec_error(j), Equals("layers[0].name '" + std::string(40, 'a') +
                                   "...' (1,000,000 bytes) is invalid: use 1 to 128 characters from A-Z a-z 0-9 _ . - /"));
  // Keras's names hold '/' ("conv1/conv" in DenseNet): its weight is "conv1/conv/kernel".
  j["layers"][0]["name"] = "x/y";
  CHECK(spec_error(j) == "(no error)");
  CHECK(parameter_shapes(parse_model_spec(j)).front().name == "x/y/kernel");
  j["name"] = "a/b";  // the model's name may end up in a file name
  CHECK_THAT(spec_error(j), Equals("name 'a/b' is invalid: use 1 to 128 characters from A-Z a-z 0-9 _ . -"));
  j["name"] = "model";
  j["layers"][0]["name"] = "";
  CHECK_THAT(spec_error(j), Equals("layers[0].name must not be empty; omit it for a default"));
  j["layers"][0]["name"] = "dense_3";  // clashes with the default name of layers[3]
  CHECK_THAT(spec_error(j), Equals("layers[3].name 'dense_3' is already used by layers[0]; layer names must be "
                                   "unique"));
  j = base_spec_json();
  j["name"] = "mlp 2";
  CHECK_THAT(spec_error(j), StartsWith("name 'mlp 2' is invalid"));
}

TEST_CASE("input shape: present, non-empty, positive, a rank the first layer takes", "[spec][errors]") {
  nlohmann::json j = base_spec_json();
  j.erase("input");
  CHECK_THAT(spec_error(j), Equals("input is missing; e.g. {\"shape\": [784]}"));
  j["input"] = {{"shape", nlohmann::json::array()}};
  CHECK_THAT(spec_error(j), Equals("input.shape must not be empty, e.g. [784]"));
  j["input"] = {{"shape", {784, 0}}};
  CHECK_THAT(spec_error(j), Equals("input.shape[1] must be >= 1, got 0"));
  j["input"] = {{"shape", {784, "x"}}};
  CHECK_THAT(spec_error(j), Equals("input.shape[1] must be an integer, got string"));
  j["input"] = {{"shape", 784}};
  CHECK_THAT(spec_error(j), Equals("input.shape must be an array, got integer"));
  // Dense acts on the last axis of any rank, as in Keras.
  j["input"] = {{"shape", {28, 28}}};
  CHECK(infer_output_shapes(parse_model_spec(j)).back() == Shape{28, 10});
  j["layers"][0] = {{"type", "conv2d"}, {"filters", 4}, {"kernel_size", 3}};
  CHECK_THAT(spec_error(j), Equals("layers[0] (conv2d_1): conv2d needs an input [height, width, channels], got "
                                   "[28, 28] (input.shape)"));
}

TEST_CASE("optimizer: defaults per type, aliases, applicable fields only", "[spec]") {
  nlohmann::json j = base_spec_json();
  j["optimizer"] = "adam";
  ModelSpec spec = parse_model_spec(j);
  CHECK(spec.optimizer.kind == OptimizerKind::adam);
  CHECK(spec.optimizer.learning_rate == default_optimizer_config(OptimizerKind::adam).learning_rate);

  j["optimizer"] = {{"type", "adam"}, {"beta_1", 0.8}, {"beta2", 0.99}};
  spec = parse_model_spec(j);
  CHECK(spec.optimizer.learning_rate == 0.001f);
  CHECK(spec.optimizer.beta1 == 0.8f);
  CHECK(spec.optimizer.beta2 == 0.99f);

  j["optimizer"] = {{"type", "rmsprop"}, {"learning_rate", 0.01}, {"rho", 0.8}, {"centered", true}};
  spec = parse_model_spec(j);
  CHECK(spec.optimizer.rho == 0.8f);
  CHECK(spec.optimizer.centered);
  CHECK(spec.optimizer.momentum == default_optimizer_config(OptimizerKind::rmsprop).momentum);

  j["optimizer"] = {{"type", "momentum"}, {"momentum", 0.5}, {"nesterov", true}};
  spec = parse_model_spec(j);
  CHECK(spec.optimizer.nesterov);
  CHECK(spec.optimizer.momentum == 0.5f);
}

TEST_CASE("optimizer errors name the field and the rule", "[spec][errors]") {
  nlohmann::json j = base_spec_json();
  j["optimizer"] = {{"type", "sgd"}, {"momentum", 0.9}};
  CHECK_THAT(spec_error(j), Equals("optimizer.momentum does not apply to sgd (it applies to: momentum, rmsprop); "
                                   "sgd takes: learning_rate"));
  j["optimizer"] = {{"type", "adam"}, {"learning_rat", 0.1}};
  CHECK_THAT(spec_error(j), Contains("optimizer.learning_rat: unknown key in the adam optimizer; known keys: type, "
                                     "learning_rate, beta1, beta_1, beta2, beta_2, epsilon (did you mean "
                                     "'learning_rate'?)"));
  j["optimizer"] = {{"type", "adam"}, {"beta1", 0.8}, {"beta_1", 0.8}};
  CHECK_THAT(spec_error(j), Equals("optimizer: beta1 and beta_1 are the same setting; give one"));
  j["optimizer"] = {{"type", "rmsprop"}, {"decay", 0.9}};
  CHECK_THAT(spec_error(j), Equals("optimizer.decay: for rmsprop, TF.js's 'decay' is called rho here"));
  j["optimizer"] = {{"type", "sgd"}, {"learning_rate", -1}};
  CHECK_THAT(spec_error(j), Equals("optimizer.learning_rate must be > 0, got -1"));
  j["optimizer"] = {{"type", "adam"}, {"beta2", 1}};
  CHECK_THAT(spec_error(j), Equals("optimizer.beta2 must be in [0, 1), got 1"));
  j["optimizer"] = {{"type", "adagrad"}, {"initial_accumulator_value", -0.1}};
  CHECK_THAT(spec_error(j), Equals("optimizer.initial_accumulator_value must be >= 0, got -0.1"));
  j["optimizer"] = {{"type", "momentum"}, {"nesterov", "yes"}};
  CHECK_THAT(spec_error(j), Equals("optimizer.nesterov must be true or false, got string"));
  j["optimizer"] = {{"learning_rate", 0.1}};
  CHECK_THAT(spec_error(j), Equals("optimizer.type is missing; e.g. \"sgd\", \"adam\""));
  j["optimizer"] = {{"type", "lbfgs"}};
  CHECK_THAT(spec_error(j), StartsWith("optimizer.type: unknown optimizer 'lbfgs'; known: sgd, momentum, "));
  j["optimizer"] = 0.1;
  CHECK_THAT(spec_error(j), StartsWith("optimizer must be an object like"));
}

TEST_CASE("layer count limit is checked before reading layers", "[spec][errors]") {
  nlohmann::json j = base_spec_json();
  SpecLimits limits;
  limits.max_layers = 3;
  CHECK_THAT(spec_error(j, limits), Equals("layers has 4 entries, over the limit of 3"));
}

TEST_CASE("JSON text errors give line and column - duplicate keys are errors", "[spec][errors]") {
  CHECK_THAT(spec_text_error("{\n  \"format\": \"gapscope.model/1\",\n  \"name\": ,\n}"),
             StartsWith("JSON syntax error at line 3, column 11 (byte 44): "));
  CHECK_THAT(spec_text_error(""), StartsWith("JSON syntax error at line 1, column 1 (byte 0)"));
  std::string doubled = base_spec_json().dump();
  doubled.insert(1, "\"name\": \"a\", ");
  CHECK_THAT(spec_text_error(doubled),
             Equals("JSON text has the key \"name\" twice in one object; remove one of them"));
}

TEST_CASE("a JSON number beyond a double is an error at its position, not a crash", "[spec][errors][fuzz-regression]") {
  // The json_model fuzzer's finding: nlohmann throws out_of_range (406) for
  // '-0.25390e625', which escaped as an uncaught exception.
  CHECK_THAT(spec_text_error("{\n  \"format\": -0.25390e625}"),
             Equals("JSON number out of range at line 2, column 13 (byte 14): '-0.25390e625' does not fit a "
                    "64-bit float"));
}

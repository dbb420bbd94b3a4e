#include <catch2/catch.hpp>

#include "core/spec/presets.h"

using namespace gapscope;
using Catch::Matchers::Equals;

TEST_CASE("paper_dnn is the paper's MLP trained with SGD", "[spec][presets]") {
  ModelSpec spec = paper_dnn(2, 128);
  CHECK(spec.name == "paper-dnn-2x128");
  CHECK(spec.input_shape == Shape{784});
  REQUIRE(spec.layers.size() == 3);
  for (int i = 0; i < 2; ++i) {
    CHECK(spec.layers[i].type == "dense");
    CHECK(spec.layers[i].units == 128);
    CHECK(spec.layers[i].activation == Activation::relu);
  }
  CHECK(spec.layers[2].units == 10);
  CHECK(spec.layers[2].activation == Activation::softmax);
  CHECK(spec.layers[0].name == "dense_1");
  CHECK(spec.layers[2].name == "dense_3");
  CHECK(spec.loss == Loss::categorical_crossentropy);
  CHECK(spec.optimizer.kind == OptimizerKind::sgd);
  CHECK(spec.optimizer.learning_rate == 0.1f);
  CHECK(count_parameters(spec) == 118'282);
  CHECK_NOTHROW(validate_model_spec(spec));
  CHECK(count_parameters(paper_dnn(1, 1)) == 784 + 1 + 10 + 10);
}

TEST_CASE("paper_dnn ranges and preset names", "[spec][presets]") {
  CHECK_THROWS_WITH(paper_dnn(0, 128), Equals("paper-dnn depth must be in [1, 64], got 0"));
  CHECK_THROWS_WITH(paper_dnn(65, 128), Equals("paper-dnn depth must be in [1, 64], got 65"));
  CHECK_THROWS_WITH(paper_dnn(2, 0), Equals("paper-dnn width must be in [1, 65536], got 0"));
  CHECK_THROWS_WITH(paper_dnn(2, 65537), Equals("paper-dnn width must be in [1, 65536], got 65537"));
  CHECK_NOTHROW(paper_dnn(64, 65536));  // building the spec is free; validating it is the caller's call
  CHECK(make_preset("paper-dnn", 3, 64).name == "paper-dnn-3x64");
  CHECK_THROWS_WITH(make_preset("resnet", 1, 1), Equals("unknown preset 'resnet'; known presets: paper-dnn"));
  CHECK(preset_names() == std::vector<std::string>{"paper-dnn"});
}

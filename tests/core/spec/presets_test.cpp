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
  CHECK_THROWS_WITH(make_preset("resnet", 1, 1),
                    Equals("unknown preset 'resnet'; known presets: paper-dnn, paper-cnn, paper-rnn, mobilenet, "
                           "mobilenet-v2, resnet50, inception-v3, densenet121, xception"));
  CHECK(preset_names() == std::vector<std::string>{"paper-dnn", "paper-cnn", "paper-rnn", "mobilenet", "mobilenet-v2",
                                                   "resnet50", "inception-v3", "densenet121", "xception"});
}

TEST_CASE("the catalog builds every preset, and the zoo's by input size and classes", "[spec][presets]") {
  CHECK(build_preset("paper-cnn", {.depth = 3, .width = 16}).name == "paper-cnn-3x16");
  CHECK(build_preset("paper-rnn", {.depth = 1, .width = 8, .vocabulary = 30, .window = 12}).input_shape ==
        Shape{12, 30});
  CHECK_THROWS_WITH(build_preset("paper-dnn", {.depth = 0}), Equals("paper-dnn depth must be in [1, 64], got 0"));
  CHECK_THROWS_WITH(build_preset("paper-cnn", {.depth = int64_t{1} << 40}),
                    Equals("paper-cnn depth must be in [1, 65536], got 1099511627776"));
  // The zoo: Keras's default input unless given, 1000 classes unless given.
  const ModelSpec resnet = build_preset("resnet50", {});
  CHECK(resnet.input_shape == Shape{224, 224, 3});
  CHECK(count_parameters(resnet) == 25'636'712);
  CHECK(build_preset("xception", {}).input_shape == Shape{299, 299, 3});
  const ModelSpec small = build_preset("inception-v3", {.input_size = 75, .classes = 7});
  CHECK(small.input_shape == Shape{75, 75, 3});
  CHECK(model_output_shape(small) == Shape{7});
  CHECK_THROWS_WITH(build_preset("xception", {.input_size = 70}),
                    Equals("xception: input size must be at least 71 (as Keras's), got 70"));
  CHECK_THROWS_WITH(make_preset("resnet50", 2, 128),
                    Equals("resnet50 is sized by input size and classes, not by depth and width"));
  for (const PresetInfo& row : preset_catalog()) {
    INFO(row.name);
    CHECK(preset_info(row.name).name == row.name);
    CHECK_FALSE(row.summary.empty());
    if (!row.sized_by_depth_width) CHECK(row.smallest_input_size <= row.default_input_size);
  }
}

TEST_CASE("paper_cnn is TF.js's MNIST CNN shape, depth x filters", "[spec][presets]") {
  ModelSpec spec = paper_cnn(2, 8);
  CHECK(spec.name == "paper-cnn-2x8");
  CHECK(spec.input_shape == Shape{28, 28, 1});
  std::vector<std::string> names;
  for (const LayerSpec& l : spec.layers) names.push_back(l.name);
  CHECK(names == std::vector<std::string>{"conv2d_1", "max_pooling2d_1", "conv2d_2", "max_pooling2d_2", "flatten_1",
                                          "dense_1"});
  const LayerSpec& first = spec.layers[0];
  CHECK(first.filters == 8);
  CHECK(first.kernel_size == std::vector<int64_t>{5, 5});
  CHECK(first.strides == std::vector<int64_t>{1, 1});
  CHECK(first.padding == Padding::valid);
  CHECK(first.activation == Activation::relu);
  CHECK(first.kernel_initializer == Initializer::glorot_uniform);
  CHECK(spec.layers[2].padding == Padding::same);
  CHECK(spec.layers[1].pool_size == std::vector<int64_t>{2, 2});
  CHECK(spec.layers[1].strides == std::vector<int64_t>{2, 2});
  CHECK(spec.layers[5].units == 10);
  CHECK(spec.layers[5].activation == Activation::softmax);
  CHECK(spec.loss == Loss::categorical_crossentropy);
  CHECK(spec.optimizer.kind == OptimizerKind::adam);
  CHECK(spec.optimizer.learning_rate == 0.01f);
  CHECK(spec.optimizer.beta2 == default_optimizer_config(OptimizerKind::adam).beta2);
  std::vector<Shape> shapes = infer_output_shapes(spec);
  CHECK(shapes == std::vector<Shape>{{24, 24, 8}, {12, 12, 8}, {12, 12, 8}, {6, 6, 8}, {288}, {10}});
  // conv 5x5x1x8 + 8, conv 5x5x8x8 + 8, dense 288x10 + 10.
  CHECK(count_parameters(spec) == 208 + 1608 + 2890);
  CHECK_NOTHROW(validate_model_spec(spec));
  CHECK(count_parameters(paper_cnn(1, 32)) == 832 + 12 * 12 * 32 * 10 + 10);
}

TEST_CASE("paper_cnn keeps a pixel at every depth up to 8", "[spec][presets]") {
  ModelSpec spec = paper_cnn(8, 4);
  CHECK_NOTHROW(validate_model_spec(spec));
  // Pools after the first four convolutions only: 24 -> 12, 12 -> 6, 6 -> 3, 3 -> 1.
  CHECK(spec.layers.size() == 8 + 4 + 2);
  std::vector<Shape> shapes = infer_output_shapes(spec);
  CHECK(shapes[shapes.size() - 3] == Shape{1, 1, 4});
  CHECK(shapes[shapes.size() - 2] == Shape{4});
  for (int depth = 1; depth <= 8; ++depth) {
    ModelSpec each = paper_cnn(depth, 2);
    CHECK_NOTHROW(validate_model_spec(each));
  }
  CHECK_THROWS_WITH(paper_cnn(9, 8), Equals("paper-cnn depth must be in [1, 8], got 9"));
  CHECK_THROWS_WITH(paper_cnn(1, 0), Equals("paper-cnn width must be in [1, 65536], got 0"));
  CHECK(make_preset("paper-cnn", 3, 16).name == "paper-cnn-3x16");
}

TEST_CASE("paper_rnn is TF.js's lstm-text-generation model, depth x units", "[spec][presets]") {
  ModelSpec spec = paper_rnn(2, 8, 5, 7);
  CHECK(spec.name == "paper-rnn-2x8");
  CHECK(spec.input_shape == Shape{7, 5});
  REQUIRE(spec.layers.size() == 3);
  for (int i = 0; i < 2; ++i) {
    const LayerSpec& l = spec.layers[i];
    CHECK(l.type == "lstm");
    CHECK(l.units == 8);
    CHECK(l.activation == Activation::tanh);
    CHECK(l.recurrent_activation == Activation::hard_sigmoid);
    CHECK(l.recurrent_initializer == Initializer::orthogonal);
  }
  CHECK(spec.layers[0].return_sequences);
  CHECK_FALSE(spec.layers[1].return_sequences);
  CHECK(spec.layers[1].name == "lstm_2");
  CHECK(spec.layers[2].units == 5);
  CHECK(spec.layers[2].activation == Activation::softmax);
  CHECK(spec.loss == Loss::categorical_crossentropy);
  CHECK(spec.optimizer.kind == OptimizerKind::rmsprop);
  CHECK(spec.optimizer.learning_rate == 0.01f);
  CHECK(infer_output_shapes(spec) == std::vector<Shape>{{7, 8}, {8}, {5}});
  // lstm 5x32 + 8x32 + 32, lstm 8x32 + 8x32 + 32, dense 8x5 + 5.
  CHECK(count_parameters(spec) == 448 + 544 + 45);
  CHECK_NOTHROW(validate_model_spec(spec));

  ModelSpec preset = make_preset("paper-rnn", 1, 128);  // vocabulary 96, window 40
  CHECK(preset.input_shape == Shape{40, 96});
  CHECK(count_parameters(preset) == 96 * 512 + 128 * 512 + 512 + 128 * 96 + 96);
  CHECK_THROWS_WITH(paper_rnn(0, 8), Equals("paper-rnn depth must be in [1, 64], got 0"));
  CHECK_THROWS_WITH(paper_rnn(1, 8, 0), Equals("paper-rnn vocabulary must be in [1, 65536], got 0"));
  CHECK_THROWS_WITH(paper_rnn(1, 8, 96, 70000), Equals("paper-rnn window must be in [1, 65536], got 70000"));
}

TEST_CASE("preset_of reads back which preset and size built a spec", "[spec][presets]") {
  const auto dnn = preset_of(paper_dnn(3, 64));
  REQUIRE(dnn.has_value());
  CHECK(dnn->name == "paper-dnn");
  CHECK(dnn->options.depth == 3);
  CHECK(dnn->options.width == 64);
  const auto rnn = preset_of(paper_rnn(2, 16, 50, 20));
  REQUIRE(rnn.has_value());
  CHECK(rnn->name == "paper-rnn");
  CHECK(rnn->options.width == 16);
  PresetOptions zoo;
  zoo.input_size = 64;
  zoo.classes = 7;
  const auto resnet = preset_of(build_preset("resnet50", zoo));
  REQUIRE(resnet.has_value());
  CHECK(resnet->name == "resnet50");
  CHECK(resnet->options.input_size == 64);
  CHECK(resnet->options.classes == 7);
  // Names no builder writes: no preset.
  for (const char* name : {"my-model", "paper-dnn", "paper-dnn-2x", "paper-dnn-2x64x", "paper-dnn-02x64", "paper-dnn-0x4"}) {
    ModelSpec spec = paper_dnn(1, 8);
    spec.name = name;
    INFO(name);
    CHECK_FALSE(preset_of(spec).has_value());
  }
}

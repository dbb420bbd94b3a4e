// The zoo against Keras's applications: parameter counts (Keras's model
// summaries, batch norm's moving statistics included: MobileNet 4,253,864,
// ResNet50 25,636,712, DenseNet121 8,062,504 at 224x224 with 1000 classes),
// layer names and weight
// shapes, and forward passes.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/base/random.h"
#include "core/nn/model.h"
#include "core/ops/cpu/cpu_backend.h"
#include "core/spec/zoo.h"

namespace gapscope {
namespace {

int64_t layers_of_type(const ModelSpec& spec, const std::string& type) {
  return std::count_if(spec.layers.begin(), spec.layers.end(), [&](const LayerSpec& l) { return l.type == type; });
}

}  // namespace

TEST_CASE("mobilenet has Keras's parameters, layer names and weight shapes", "[zoo][spec]") {
  const ModelSpec spec = mobilenet_v1();
  CHECK(count_parameters(spec) == 4'253'864);
  CHECK(model_output_shape(spec) == Shape{1000});
  REQUIRE(spec.layers.size() == 4 + 13 * 6 + 4 + 6);  // stem, blocks, 4 strided pads, top
  CHECK(spec.layers[1].name == "conv1");
  CHECK(spec.layers[4].name == "conv_dw_1");
  CHECK(spec.layers.back().name == "predictions");
  const std::vector<ParameterShape> weights = parameter_shapes(spec);
  auto shape_of = [&](const std::string& name) {
    for (const ParameterShape& p : weights)
      if (p.name == name) return p.shape;
    return Shape{};
  };
  CHECK(shape_of("conv1/kernel") == Shape{3, 3, 3, 32});
  CHECK(shape_of("conv_dw_13/depthwise_kernel") == Shape{3, 3, 1024, 1});
  CHECK(shape_of("conv_pw_13/kernel") == Shape{1, 1, 1024, 1024});
  CHECK(shape_of("conv_preds/kernel") == Shape{1, 1, 1024, 1000});
  CHECK(shape_of("conv_preds/bias") == Shape{1000});
  // Other sizes and classes, as Keras allows; below 32 refused.
  CHECK(count_parameters(mobilenet_v1(224, 10)) == 4'253'864 - 1'025'000 + 1024 * 10 + 10);
  CHECK(model_output_shape(mobilenet_v1(96, 7)) == Shape{7});
  CHECK_THROWS_WITH(mobilenet_v1(31), "mobilenet: input size must be at least 32 (as Keras's), got 31");
}

TEST_CASE("resnet50 has Keras's parameters, layer names and residual graph", "[zoo][spec]") {
  const ModelSpec spec = resnet50();
  CHECK(count_parameters(spec) == 25'636'712);
  CHECK(model_output_shape(spec) == Shape{1000});
  CHECK(std::string(model_spec_format(spec)) == kModelGraphSpecFormat);
  // 16 bottleneck blocks, 4 of them projecting their shortcut.
  int projections = 0;
  for (const LayerSpec& layer : spec.layers)
    projections += layer.name.size() > 7 && layer.name.substr(layer.name.size() - 7) == "_0_conv";
  CHECK(layers_of_type(spec, "add") == 16);
  CHECK(projections == 4);
  const std::vector<ParameterShape> weights = parameter_shapes(spec);
  CHECK(weights.front().name == "conv1_conv/kernel");
  CHECK(weights.front().shape == Shape{7, 7, 3, 64});
  CHECK(count_parameters(resnet50(224, 10)) == 25'636'712 - 2048 * 1000 - 1000 + 2048 * 10 + 10);
  CHECK_THROWS_WITH(resnet50(16), "resnet50: input size must be at least 32 (as Keras's), got 16");
}

TEST_CASE("densenet121 has Keras's parameters, layer names and concatenations", "[zoo][spec]") {
  const ModelSpec spec = densenet121();
  CHECK(count_parameters(spec) == 8'062'504);
  CHECK(model_output_shape(spec) == Shape{1000});
  CHECK(layers_of_type(spec, "concatenate") == 6 + 12 + 24 + 16);
  const std::vector<ParameterShape> weights = parameter_shapes(spec);
  CHECK(weights.front().name == "conv1/conv/kernel");  // Keras's names, slashes included
  CHECK(weights.back().name == "predictions/bias");
  CHECK(infer_output_shapes(spec)[spec.layers.size() - 3] == Shape{7, 7, 1024});  // the last relu
}

TEST_CASE("mobilenet_v2 has Keras's parameters and residual adds", "[zoo][spec]") {
  const ModelSpec spec = mobilenet_v2();
  CHECK(count_parameters(spec) == 3'538'984);
  CHECK(layers_of_type(spec, "add") == 10);
  CHECK(infer_output_shapes(spec)[spec.layers.size() - 3] == Shape{7, 7, 1280});
  // An odd image pads its strided depthwise convolutions on every side, as Keras's correct_pad.
  CHECK(infer_output_shapes(mobilenet_v2(97, 3))[mobilenet_v2(97, 3).layers.size() - 3] == Shape{4, 4, 1280});
}

TEST_CASE("inception_v3 has Keras's parameters, names and mixed blocks", "[zoo][spec]") {
  const ModelSpec spec = inception_v3();
  CHECK(spec.input_shape == Shape{299, 299, 3});
  CHECK(count_parameters(spec) == 23'851'784);
  CHECK(layers_of_type(spec, "conv2d") == 94);
  CHECK(spec.layers[0].name == "conv2d");
  CHECK(spec.layers[3].name == "conv2d_1");
  CHECK(infer_output_shapes(spec)[spec.layers.size() - 3] == Shape{8, 8, 2048});  // mixed10
  CHECK_THROWS_WITH(inception_v3(74), "inception_v3: input size must be at least 75 (as Keras's), got 74");
}

TEST_CASE("xception has Keras's parameters and input size", "[zoo][spec]") {
  const ModelSpec spec = xception();
  CHECK(spec.input_shape == Shape{299, 299, 3});
  CHECK(count_parameters(spec) == 22'910'480);
  CHECK(layers_of_type(spec, "add") == 12);
  CHECK(infer_output_shapes(spec)[spec.layers.size() - 3] == Shape{10, 10, 2048});
  CHECK_THROWS_WITH(xception(70), "xception: input size must be at least 71 (as Keras's), got 70");
}

TEST_CASE("the zoo's models at small sizes predict distributions and train on the CPU", "[zoo][model]") {
  CpuBackend ops(1);
  for (const ModelSpec& spec :
       {mobilenet_v1(32, 5), mobilenet_v2(33, 5), resnet50(32, 5), densenet121(32, 5), xception(71, 5),
        inception_v3(75, 5)}) {
    INFO(spec.name);
    Model model(spec, ops, 7);
    Rng rng(3);
    std::vector<float> x(static_cast<size_t>(2 * element_count(spec.input_shape))), out(2 * 5);
    for (float& v : x) v = rng.uniform(-1.0f, 1.0f);
    model.predict(x, 2, out);
    for (int n = 0; n < 2; ++n) {
      const float sum = std::accumulate(out.begin() + n * 5, out.begin() + n * 5 + 5, 0.0f);
      CHECK(sum == Approx(1.0f).epsilon(1e-5));
    }
    // Training steps run through the whole graph (every block's shortcut
    // gradients in their image shapes) and learn the batch.
    std::vector<float> targets(2 * 5, 0.0f);
    targets[1] = targets[5 + 3] = 1.0f;
    std::vector<float> losses;
    for (int step = 0; step < 4; ++step) {
      model.stage_batch(x, targets, 2);
      model.train_step();
      losses.push_back(model.read_loss());
    }
    CHECK(std::isfinite(losses.front()));
    CHECK(losses.back() < losses.front());
  }
}

}  // namespace gapscope

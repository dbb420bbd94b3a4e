// keras.applications.ResNet50 (resnet.py's stack1 / block1), layer for layer:
// a 7x7 stride-2 stem with max pooling, then four stacks of bottleneck blocks
// (1x1, 3x3, 1x1 convolutions with biases, batch norm epsilon 1.001e-5),
// 3, 4, 6 and 3 of them of 64, 128, 256 and 512 filters (4x that out); each
// stack's first block strides (but the first stack's) and projects its
// shortcut with a 1x1 convolution, the others add their input; global average
// pooling and a softmax dense top.
#include <string>

#include "core/spec/zoo.h"
#include "core/spec/zoo_layers.h"

namespace gapscope {
namespace {

using namespace zoo;

constexpr float kEpsilon = 1.001e-5f;

// block1: returns the name of its output.
std::string bottleneck(ModelSpec& spec, const std::string& input, int64_t filters, int64_t stride,
                       bool conv_shortcut, const std::string& name) {
  std::string shortcut = input;
  if (conv_shortcut) {
    LayerSpec projection = convolution("conv2d", name + "_0_conv", 4 * filters, 1, stride, Padding::valid, true);
    projection.inputs = {input};
    spec.layers.push_back(projection);
    spec.layers.push_back(batch_norm(name + "_0_bn", kEpsilon));
    shortcut = name + "_0_bn";
  }
  LayerSpec first = convolution("conv2d", name + "_1_conv", filters, 1, stride, Padding::valid, true);
  first.inputs = {input};
  spec.layers.push_back(first);
  spec.layers.push_back(batch_norm(name + "_1_bn", kEpsilon));
  spec.layers.push_back(activation(name + "_1_relu", Activation::relu));
  spec.layers.push_back(convolution("conv2d", name + "_2_conv", filters, 3, 1, Padding::same, true));
  spec.layers.push_back(batch_norm(name + "_2_bn", kEpsilon));
  spec.layers.push_back(activation(name + "_2_relu", Activation::relu));
  spec.layers.push_back(convolution("conv2d", name + "_3_conv", 4 * filters, 1, 1, Padding::valid, true));
  spec.layers.push_back(batch_norm(name + "_3_bn", kEpsilon));
  spec.layers.push_back(named("add", name + "_add", {shortcut, name + "_3_bn"}));
  spec.layers.push_back(activation(name + "_out", Activation::relu));
  return name + "_out";
}

// stack1
std::string stack(ModelSpec& spec, std::string x, int64_t filters, int blocks, int64_t stride, const std::string& name) {
  x = bottleneck(spec, x, filters, stride, true, name + "_block1");
  for (int i = 2; i <= blocks; ++i) x = bottleneck(spec, x, filters, 1, false, name + "_block" + std::to_string(i));
  return x;
}

}  // namespace

ModelSpec resnet50(int64_t input_size, int64_t classes) {
  ModelSpec spec = zoo_model("resnet50", input_size, classes);
  spec.input_name = "input_1";
  spec.layers.push_back(zero_padding("conv1_pad", {3, 3, 3, 3}));
  spec.layers.push_back(convolution("conv2d", "conv1_conv", 64, 7, 2, Padding::valid, true));
  spec.layers.push_back(batch_norm("conv1_bn", kEpsilon));
  spec.layers.push_back(activation("conv1_relu", Activation::relu));
  spec.layers.push_back(zero_padding("pool1_pad", {1, 1, 1, 1}));
  LayerSpec pool = named("max_pooling2d", "pool1_pool");
  pool.pool_size = {3, 3};
  pool.strides = {2, 2};
  spec.layers.push_back(pool);
  std::string x = stack(spec, "pool1_pool", 64, 3, 1, "conv2");
  x = stack(spec, x, 128, 4, 2, "conv3");
  x = stack(spec, x, 256, 6, 2, "conv4");
  x = stack(spec, x, 512, 3, 2, "conv5");
  return with_top(spec, "avg_pool", x, classes);
}

}  // namespace gapscope

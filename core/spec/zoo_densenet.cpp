// keras.applications.DenseNet121 (densenet.py), layer for layer: a 7x7
// stride-2 stem with max pooling, four dense blocks of 6, 12, 24 and 16
// conv blocks (batch norm, relu, 1x1 convolution to 4 x 32, batch norm, relu,
// 3x3 convolution to 32, concatenated to the block's input), transitions
// halving the channels (1x1 convolution) and the image (2x2 average pooling)
// between them; batch norm, relu, global average pooling and a softmax top.
// No convolution has a bias; batch norm's epsilon is 1.001e-5.
#include <string>

#include "core/spec/zoo.h"
#include "core/spec/zoo_layers.h"

namespace gapscope {
namespace {

using namespace zoo;

constexpr float kEpsilon = 1.001e-5f;
constexpr int64_t kGrowth = 32;

// bn + relu, reading `input`; returns the relu's name.
std::string bn_relu(ModelSpec& spec, const std::string& input, const std::string& bn, const std::string& relu) {
  LayerSpec norm = batch_norm(bn, kEpsilon);
  norm.inputs = {input};
  spec.layers.push_back(norm);
  spec.layers.push_back(activation(relu, Activation::relu));
  return relu;
}

// conv_block: returns the concatenation's name.
std::string conv_block(ModelSpec& spec, const std::string& x, const std::string& name) {
  bn_relu(spec, x, name + "_0_bn", name + "_0_relu");
  spec.layers.push_back(convolution("conv2d", name + "_1_conv", 4 * kGrowth, 1, 1, Padding::valid, false));
  bn_relu(spec, name + "_1_conv", name + "_1_bn", name + "_1_relu");
  spec.layers.push_back(convolution("conv2d", name + "_2_conv", kGrowth, 3, 1, Padding::same, false));
  spec.layers.push_back(named("concatenate", name + "_concat", {x, name + "_2_conv"}));
  return name + "_concat";
}

std::string dense_block(ModelSpec& spec, std::string x, int blocks, const std::string& name) {
  for (int i = 1; i <= blocks; ++i) x = conv_block(spec, x, name + "_block" + std::to_string(i));
  return x;
}

// transition_block with reduction 0.5; `channels` are the input's.
std::string transition(ModelSpec& spec, const std::string& x, int64_t channels, const std::string& name) {
  bn_relu(spec, x, name + "_bn", name + "_relu");
  spec.layers.push_back(convolution("conv2d", name + "_conv", channels / 2, 1, 1, Padding::valid, false));
  LayerSpec pool = named("average_pooling2d", name + "_pool");
  pool.pool_size = {2, 2};
  pool.strides = {2, 2};
  spec.layers.push_back(pool);
  return name + "_pool";
}

}  // namespace

ModelSpec densenet121(int64_t input_size, int64_t classes) {
  ModelSpec spec = zoo_model("densenet121", input_size, classes);
  spec.input_name = "input_1";
  spec.layers.push_back(zero_padding("zero_padding2d", {3, 3, 3, 3}));
  spec.layers.push_back(convolution("conv2d", "conv1/conv", 64, 7, 2, Padding::valid, false));
  bn_relu(spec, "conv1/conv", "conv1/bn", "conv1/relu");
  spec.layers.push_back(zero_padding("zero_padding2d_1", {1, 1, 1, 1}));
  LayerSpec pool = named("max_pooling2d", "pool1");
  pool.pool_size = {3, 3};
  pool.strides = {2, 2};
  spec.layers.push_back(pool);
  // (conv blocks, name) of the four dense blocks; channels grow by 32 per conv block.
  const std::pair<int, const char*> blocks[] = {{6, "conv2"}, {12, "conv3"}, {24, "conv4"}, {16, "conv5"}};
  std::string x = "pool1";
  int64_t channels = 64;
  for (int b = 0; b < 4; ++b) {
    x = dense_block(spec, x, blocks[b].first, blocks[b].second);
    channels += kGrowth * blocks[b].first;
    if (b < 3) {
      x = transition(spec, x, channels, "pool" + std::to_string(b + 2));
      channels /= 2;
    }
  }
  bn_relu(spec, x, "bn", "relu");
  return with_top(spec, "avg_pool", "", classes);
}

}  // namespace gapscope

// keras.applications.MobileNetV2 (alpha 1), layer for layer: a strided 3x3
// convolution, 17 inverted residual blocks (a 1x1 expansion by 6, but in the
// first block; a 3x3 depthwise convolution, padded as Keras's correct_pad
// before a strided one; a linear 1x1 projection; an add where the shape
// stays), a 1x1 convolution to 1280, global average pooling and a softmax
// top. No biases; batch norm epsilon 1e-3, momentum 0.999; relu6.
#include <string>

#include "core/spec/zoo.h"
#include "core/spec/zoo_layers.h"

namespace gapscope {
namespace {

using namespace zoo;

LayerSpec norm(const std::string& name) {
  LayerSpec layer = batch_norm(name);
  layer.momentum = 0.999f;
  return layer;
}

LayerSpec relu6(const std::string& name) {
  LayerSpec layer = named("relu", name);
  layer.max_value = 6.0f;
  return layer;
}

struct Block {
  int64_t filters, stride, expansion;
};

// _inverted_res_block: `input` has `channels` channels on a `size` x `size` image.
std::string inverted_residual(ModelSpec& spec, const std::string& input, int64_t& channels, int64_t& size,
                              const Block& block, int id) {
  const std::string prefix = id == 0 ? "expanded_conv_" : "block_" + std::to_string(id) + "_";
  auto push = [&](LayerSpec layer) { spec.layers.push_back(std::move(layer)); };
  bool first = true;  // the block's first layer reads `input`
  auto reading_input = [&](LayerSpec layer) {
    if (first) layer.inputs = {input};
    first = false;
    return layer;
  };
  if (id != 0) {
    push(reading_input(convolution("conv2d", prefix + "expand", block.expansion * channels, 1, 1, Padding::same, false)));
    push(norm(prefix + "expand_BN"));
    push(relu6(prefix + "expand_relu"));
  }
  if (block.stride == 2) {
    // correct_pad: ((0, 1), (0, 1)) on an even image, ((1, 1), (1, 1)) on an odd one.
    const int64_t before = size % 2 == 0 ? 0 : 1;
    push(reading_input(zero_padding(prefix + "pad", {before, 1, before, 1})));
  }
  push(reading_input(convolution("depthwise_conv2d", prefix + "depthwise", 0, 3, block.stride,
                                 block.stride == 1 ? Padding::same : Padding::valid, false)));
  push(norm(prefix + "depthwise_BN"));
  push(relu6(prefix + "depthwise_relu"));
  push(convolution("conv2d", prefix + "project", block.filters, 1, 1, Padding::same, false));
  push(norm(prefix + "project_BN"));
  std::string out = prefix + "project_BN";
  if (channels == block.filters && block.stride == 1) {
    push(named("add", prefix + "add", {input, out}));
    out = prefix + "add";
  }
  channels = block.filters;
  size = (size + block.stride - 1) / block.stride;
  return out;
}

}  // namespace

ModelSpec mobilenet_v2(int64_t input_size, int64_t classes) {
  ModelSpec spec = zoo_model("mobilenet_v2", input_size, classes);
  spec.input_name = "input_1";
  spec.layers.push_back(convolution("conv2d", "Conv1", 32, 3, 2, Padding::same, false));
  spec.layers.push_back(norm("bn_Conv1"));
  spec.layers.push_back(relu6("Conv1_relu"));
  const Block blocks[] = {{16, 1, 1},  {24, 2, 6},  {24, 1, 6},  {32, 2, 6},  {32, 1, 6},  {32, 1, 6},
                          {64, 2, 6},  {64, 1, 6},  {64, 1, 6},  {64, 1, 6},  {96, 1, 6},  {96, 1, 6},
                          {96, 1, 6},  {160, 2, 6}, {160, 1, 6}, {160, 1, 6}, {320, 1, 6}};
  std::string x = "Conv1_relu";
  int64_t channels = 32, size = (input_size + 1) / 2;
  for (int id = 0; id < 17; ++id) x = inverted_residual(spec, x, channels, size, blocks[id], id);
  LayerSpec last = convolution("conv2d", "Conv_1", 1280, 1, 1, Padding::same, false);
  last.inputs = {x};
  spec.layers.push_back(last);
  spec.layers.push_back(norm("Conv_1_bn"));
  spec.layers.push_back(relu6("out_relu"));
  return with_top(spec, "global_average_pooling2d", "", classes);
}

}  // namespace gapscope

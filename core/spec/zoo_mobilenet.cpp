// keras.applications.MobileNet, layer for layer: a strided 3x3 convolution,
// then 13 blocks of a 3x3 depthwise and a 1x1 convolution, each followed by
// batch normalization and relu6; strided blocks pad bottom/right by one pixel
// first and convolve 'valid' (as Keras does, matching TF's 'same' there); the
// top averages globally and classifies with a 1x1 convolution.
#include "core/spec/zoo.h"

#include <string>

#include "core/base/json_fields.h"
#include "core/spec/zoo_layers.h"

namespace gapscope {
namespace {

using namespace zoo;

LayerSpec pad_bottom_right(const std::string& name) { return zero_padding(name, {0, 1, 0, 1}); }

LayerSpec relu6(const std::string& name) {
  LayerSpec layer = named("relu", name);
  layer.max_value = 6.0f;
  return layer;
}

// _depthwise_conv_block: pointwise filters, stride 1 or 2, block id from 1.
void depthwise_block(ModelSpec& spec, int64_t filters, int64_t stride, int id) {
  const std::string n = std::to_string(id);
  if (stride != 1) spec.layers.push_back(pad_bottom_right("conv_pad_" + n));
  spec.layers.push_back(
      convolution("depthwise_conv2d", "conv_dw_" + n, 0, 3, stride, stride == 1 ? Padding::same : Padding::valid, false));
  spec.layers.push_back(batch_norm("conv_dw_" + n + "_bn"));
  spec.layers.push_back(relu6("conv_dw_" + n + "_relu"));
  spec.layers.push_back(convolution("conv2d", "conv_pw_" + n, filters, 1, 1, Padding::same, false));
  spec.layers.push_back(batch_norm("conv_pw_" + n + "_bn"));
  spec.layers.push_back(relu6("conv_pw_" + n + "_relu"));
}

}  // namespace

ModelSpec mobilenet_v1(int64_t input_size, int64_t classes) {
  ModelSpec spec = zoo_model("mobilenet", input_size, classes);
  spec.layers.push_back(pad_bottom_right("conv1_pad"));
  spec.layers.push_back(convolution("conv2d", "conv1", 32, 3, 2, Padding::valid, false));
  spec.layers.push_back(batch_norm("conv1_bn"));
  spec.layers.push_back(relu6("conv1_relu"));
  // (pointwise filters, stride) of blocks 1..13.
  const std::pair<int64_t, int64_t> blocks[] = {{64, 1},  {128, 2}, {128, 1}, {256, 2}, {256, 1}, {512, 2},  {512, 1},
                                                {512, 1}, {512, 1}, {512, 1}, {512, 1}, {1024, 2}, {1024, 1}};
  int id = 0;
  for (const auto& [filters, stride] : blocks) depthwise_block(spec, filters, stride, ++id);
  spec.layers.push_back(named("global_average_pooling2d", "global_average_pooling2d"));
  LayerSpec reshape = named("reshape", "reshape_1");
  reshape.target_shape = {1, 1, 1024};
  spec.layers.push_back(reshape);
  LayerSpec dropout = named("dropout", "dropout");
  dropout.rate = 1e-3f;
  spec.layers.push_back(dropout);
  spec.layers.push_back(convolution("conv2d", "conv_preds", classes, 1, 1, Padding::same, true));
  LayerSpec flat = named("reshape", "reshape_2");
  flat.target_shape = {classes};
  spec.layers.push_back(flat);
  spec.layers.push_back(activation("predictions", Activation::softmax));
  validate_zoo_model(spec);
  return spec;
}

}  // namespace gapscope

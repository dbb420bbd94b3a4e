// keras.applications.MobileNet, layer for layer: a strided 3x3 convolution,
// then 13 blocks of a 3x3 depthwise and a 1x1 convolution, each followed by
// batch normalization and relu6; strided blocks pad bottom/right by one pixel
// first and convolve 'valid' (as Keras does, matching TF's 'same' there); the
// top averages globally and classifies with a 1x1 convolution.
#include "core/spec/zoo_mobilenet.h"

#include <string>

#include "core/base/json_fields.h"

namespace gapscope {
namespace {

LayerSpec named(const std::string& type, const std::string& name) {
  LayerSpec layer;
  layer.type = type;
  layer.name = name;
  return layer;
}

LayerSpec pad_bottom_right(const std::string& name) {
  LayerSpec layer = named("zero_padding2d", name);
  layer.margins = {0, 1, 0, 1};
  return layer;
}

LayerSpec relu6(const std::string& name) {
  LayerSpec layer = named("relu", name);
  layer.max_value = 6.0f;
  return layer;
}

// BatchNormalization as Keras's MobileNet builds it (its default momentum 0.99, epsilon 1e-3).
LayerSpec batch_norm(const std::string& name) { return named("batch_normalization", name); }

LayerSpec convolution(const std::string& type, const std::string& name, int64_t kernel, int64_t stride,
                      Padding padding) {
  LayerSpec layer = named(type, name);
  layer.kernel_size = {kernel, kernel};
  layer.strides = {stride, stride};
  layer.padding = padding;
  layer.use_bias = false;
  return layer;
}

// _depthwise_conv_block: pointwise filters, stride 1 or 2, block id from 1.
void depthwise_block(ModelSpec& spec, int64_t filters, int64_t stride, int id) {
  const std::string n = std::to_string(id);
  if (stride != 1) spec.layers.push_back(pad_bottom_right("conv_pad_" + n));
  spec.layers.push_back(
      convolution("depthwise_conv2d", "conv_dw_" + n, 3, stride, stride == 1 ? Padding::same : Padding::valid));
  spec.layers.push_back(batch_norm("conv_dw_" + n + "_bn"));
  spec.layers.push_back(relu6("conv_dw_" + n + "_relu"));
  LayerSpec pointwise = convolution("conv2d", "conv_pw_" + n, 1, 1, Padding::same);
  pointwise.filters = filters;
  spec.layers.push_back(pointwise);
  spec.layers.push_back(batch_norm("conv_pw_" + n + "_bn"));
  spec.layers.push_back(relu6("conv_pw_" + n + "_relu"));
}

}  // namespace

ModelSpec mobilenet_v1(int64_t input_size, int64_t classes) {
  if (input_size < 32)
    throw SpecError("mobilenet: input size must be at least 32 (as Keras's), got " + std::to_string(input_size));
  if (classes < 1) throw SpecError("mobilenet: classes must be at least 1, got " + std::to_string(classes));
  ModelSpec spec;
  spec.name = "mobilenet";
  spec.input_shape = {input_size, input_size, 3};
  spec.layers.push_back(pad_bottom_right("conv1_pad"));
  LayerSpec stem = convolution("conv2d", "conv1", 3, 2, Padding::valid);
  stem.filters = 32;
  spec.layers.push_back(stem);
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
  LayerSpec preds = convolution("conv2d", "conv_preds", 1, 1, Padding::same);
  preds.filters = classes;
  preds.use_bias = true;
  spec.layers.push_back(preds);
  LayerSpec flat = named("reshape", "reshape_2");
  flat.target_shape = {classes};
  spec.layers.push_back(flat);
  LayerSpec softmax = named("activation", "predictions");
  softmax.activation = Activation::softmax;
  spec.layers.push_back(softmax);
  spec.loss = Loss::categorical_crossentropy;
  spec.optimizer = default_optimizer_config(OptimizerKind::adam);
  validate_model_spec(spec);
  return spec;
}

}  // namespace gapscope

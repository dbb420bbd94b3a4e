// keras.applications.InceptionV3, layer for layer: every convolution is
// conv2d_bn (no bias, batch norm without scale, relu) under Keras's automatic
// names (conv2d_N, batch_normalization_N, activation_N); a stem of five of
// them and two max poolings, then the mixed blocks 0-10: parallel branches of
// 1x1, factorised 7x7 (1x7 and 7x1), 3x3 and pooled convolutions concatenated
// on the channels, three of them (mixed3, mixed8 and the stem) shrinking the
// image; global average pooling and a softmax top.
#include <string>
#include <vector>

#include "core/spec/zoo.h"
#include "core/spec/zoo_layers.h"

namespace gapscope {
namespace {

using namespace zoo;

struct Builder {
  ModelSpec& spec;
  int convs = 0, max_pools = 0, average_pools = 0, concatenations = 0;

  // conv2d_bn: returns its relu's name.
  std::string conv_bn(const std::string& x, int64_t filters, int64_t rows, int64_t cols,
                      Padding padding = Padding::same, int64_t stride = 1) {
    const int n = convs;
    const std::string suffix = n == 0 ? "" : "_" + std::to_string(n);
    ++convs;
    LayerSpec conv = named("conv2d", "conv2d" + suffix, {x});
    conv.filters = filters;
    conv.kernel_size = {rows, cols};
    conv.strides = {stride, stride};
    conv.padding = padding;
    conv.use_bias = false;
    spec.layers.push_back(conv);
    LayerSpec norm = batch_norm("batch_normalization" + suffix);
    norm.scale = false;
    spec.layers.push_back(norm);
    spec.layers.push_back(activation("activation" + suffix, Activation::relu));
    return spec.layers.back().name;
  }
  // A 3x3 pooling of `type`, its automatic name counted by `count`.
  std::string pool(const std::string& type, int& count, const std::string& x, int64_t stride, Padding padding) {
    LayerSpec layer = named(type, automatic_name(type, count), {x});
    layer.pool_size = {3, 3};
    layer.strides = {stride, stride};
    layer.padding = padding;
    spec.layers.push_back(layer);
    return layer.name;
  }
  std::string concatenate(std::vector<std::string> inputs, std::string name = "") {
    if (name.empty()) name = automatic_name("concatenate", concatenations);
    LayerSpec layer = named("concatenate", name, std::move(inputs));
    layer.axis = 3;
    spec.layers.push_back(layer);
    return name;
  }
  // 3x3 max pooling, stride 2, valid (the stem, mixed3, mixed8).
  std::string max_pool(const std::string& x) { return pool("max_pooling2d", max_pools, x, 2, Padding::valid); }
  // The pooled branch: 3x3 average pooling, stride 1, same, then conv2d_bn 1x1.
  std::string average_pooled(const std::string& x, int64_t filters) {
    return conv_bn(pool("average_pooling2d", average_pools, x, 1, Padding::same), filters, 1, 1);
  }
};

}  // namespace

ModelSpec inception_v3(int64_t input_size, int64_t classes) {
  ModelSpec spec = zoo_model("inception_v3", input_size, classes, kInceptionSmallestInput);
  spec.input_name = "input_1";
  Builder b{spec};
  const Padding valid = Padding::valid;
  std::string x = b.conv_bn("input_1", 32, 3, 3, valid, 2);
  x = b.conv_bn(x, 32, 3, 3, valid);
  x = b.conv_bn(x, 64, 3, 3);
  x = b.max_pool(x);
  x = b.conv_bn(x, 80, 1, 1, valid);
  x = b.conv_bn(x, 192, 3, 3, valid);
  x = b.max_pool(x);
  // mixed 0, 1, 2: 35 x 35
  for (int i = 0; i < 3; ++i) {
    const std::string b1 = b.conv_bn(x, 64, 1, 1);
    const std::string b5 = b.conv_bn(b.conv_bn(x, 48, 1, 1), 64, 5, 5);
    const std::string b3 = b.conv_bn(b.conv_bn(b.conv_bn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3);
    const std::string bp = b.average_pooled(x, i == 0 ? 32 : 64);
    x = b.concatenate({b1, b5, b3, bp}, "mixed" + std::to_string(i));
  }
  // mixed 3: 17 x 17
  {
    const std::string b3 = b.conv_bn(x, 384, 3, 3, valid, 2);
    const std::string bd = b.conv_bn(b.conv_bn(b.conv_bn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3, valid, 2);
    const std::string bp = b.max_pool(x);
    x = b.concatenate({b3, bd, bp}, "mixed3");
  }
  // mixed 4-7: factorised 7x7 branches of 128, 160, 160 and 192 filters
  const int64_t widths[] = {128, 160, 160, 192};
  for (int i = 0; i < 4; ++i) {
    const int64_t c = widths[i];
    const std::string b1 = b.conv_bn(x, 192, 1, 1);
    const std::string b7 = b.conv_bn(b.conv_bn(b.conv_bn(x, c, 1, 1), c, 1, 7), 192, 7, 1);
    std::string bd = b.conv_bn(b.conv_bn(b.conv_bn(x, c, 1, 1), c, 7, 1), c, 1, 7);
    bd = b.conv_bn(b.conv_bn(bd, c, 7, 1), 192, 1, 7);
    const std::string bp = b.average_pooled(x, 192);
    x = b.concatenate({b1, b7, bd, bp}, "mixed" + std::to_string(4 + i));
  }
  // mixed 8: 8 x 8
  {
    const std::string b3 = b.conv_bn(b.conv_bn(x, 192, 1, 1), 320, 3, 3, valid, 2);
    std::string b7 = b.conv_bn(b.conv_bn(b.conv_bn(x, 192, 1, 1), 192, 1, 7), 192, 7, 1);
    b7 = b.conv_bn(b7, 192, 3, 3, valid, 2);
    const std::string bp = b.max_pool(x);
    x = b.concatenate({b3, b7, bp}, "mixed8");
  }
  // mixed 9, 10
  for (int i = 0; i < 2; ++i) {
    const std::string b1 = b.conv_bn(x, 320, 1, 1);
    const std::string b3 = b.conv_bn(x, 384, 1, 1);
    const std::string b3_1 = b.conv_bn(b3, 384, 1, 3), b3_2 = b.conv_bn(b3, 384, 3, 1);
    const std::string b3s = b.concatenate({b3_1, b3_2}, "mixed9_" + std::to_string(i));
    const std::string bd = b.conv_bn(b.conv_bn(x, 448, 1, 1), 384, 3, 3);
    const std::string bd_1 = b.conv_bn(bd, 384, 1, 3), bd_2 = b.conv_bn(bd, 384, 3, 1);
    const std::string bds = b.concatenate({bd_1, bd_2});
    const std::string bp = b.average_pooled(x, 192);
    x = b.concatenate({b1, b3s, bds, bp}, "mixed" + std::to_string(9 + i));
  }
  return with_top(spec, "avg_pool", x, classes);
}

}  // namespace gapscope

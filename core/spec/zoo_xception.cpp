// keras.applications.Xception, layer for layer: two plain 3x3 convolutions,
// then separable 3x3 convolutions (no biases) with batch norm and relu: three
// entry blocks that pool by 2 and add a strided 1x1 projection of their input,
// eight middle blocks of three separable convolutions added to their input,
// an exit block like the entry ones, two more separable convolutions, global
// average pooling and a softmax top. Unnamed layers take Keras's automatic
// names (conv2d, batch_normalization_1, add_2, ...).
#include <string>

#include "core/spec/zoo.h"
#include "core/spec/zoo_layers.h"

namespace gapscope {
namespace {

using namespace zoo;

struct Builder {
  ModelSpec& spec;
  int convs = 0, norms = 0, adds = 0;

  void push(LayerSpec layer) { spec.layers.push_back(std::move(layer)); }
  void separable(const std::string& name, int64_t filters) {
    push(convolution("separable_conv2d", name, filters, 3, 1, Padding::same, false));
    push(batch_norm(name + "_bn"));
  }
  void relu(const std::string& name) { push(activation(name, Activation::relu)); }
  void pool(const std::string& name) {
    LayerSpec layer = named("max_pooling2d", name);
    layer.pool_size = {3, 3};
    layer.strides = {2, 2};
    layer.padding = Padding::same;
    push(layer);
  }
  // A strided 1x1 projection of `input` with batch norm; returns the norm's name.
  std::string projection(const std::string& input, int64_t filters) {
    LayerSpec conv = convolution("conv2d", automatic_name("conv2d", convs), filters, 1, 2, Padding::same, false);
    conv.inputs = {input};
    push(conv);
    push(batch_norm(automatic_name("batch_normalization", norms)));
    return spec.layers.back().name;
  }
  std::string add(const std::string& a, const std::string& b) {
    push(named("add", automatic_name("add", adds), {a, b}));
    return spec.layers.back().name;
  }
  // An entry or exit block: [relu], separable, relu, separable, pool, + projection.
  std::string pooled_block(const std::string& x, int block, int64_t first, int64_t second, bool leading_relu) {
    const std::string residual = projection(x, second);
    const std::string b = "block" + std::to_string(block);
    if (leading_relu) {
      LayerSpec act = activation(b + "_sepconv1_act", Activation::relu);
      act.inputs = {x};
      push(act);
      separable(b + "_sepconv1", first);
    } else {
      LayerSpec conv = convolution("separable_conv2d", b + "_sepconv1", first, 3, 1, Padding::same, false);
      conv.inputs = {x};
      push(conv);
      push(batch_norm(b + "_sepconv1_bn"));
    }
    relu(b + "_sepconv2_act");
    separable(b + "_sepconv2", second);
    pool(b + "_pool");
    return add(b + "_pool", residual);
  }
};

}  // namespace

ModelSpec xception(int64_t input_size, int64_t classes) {
  ModelSpec spec = zoo_model("xception", input_size, classes, kXceptionSmallestInput);
  spec.input_name = "input_1";
  Builder b{spec};
  b.push(convolution("conv2d", "block1_conv1", 32, 3, 2, Padding::valid, false));
  b.push(batch_norm("block1_conv1_bn"));
  b.relu("block1_conv1_act");
  b.push(convolution("conv2d", "block1_conv2", 64, 3, 1, Padding::valid, false));
  b.push(batch_norm("block1_conv2_bn"));
  b.relu("block1_conv2_act");
  std::string x = b.pooled_block("block1_conv2_act", 2, 128, 128, false);
  x = b.pooled_block(x, 3, 256, 256, true);
  x = b.pooled_block(x, 4, 728, 728, true);
  for (int block = 5; block <= 12; ++block) {
    const std::string name = "block" + std::to_string(block);
    LayerSpec act = activation(name + "_sepconv1_act", Activation::relu);
    act.inputs = {x};
    b.push(act);
    b.separable(name + "_sepconv1", 728);
    b.relu(name + "_sepconv2_act");
    b.separable(name + "_sepconv2", 728);
    b.relu(name + "_sepconv3_act");
    b.separable(name + "_sepconv3", 728);
    x = b.add(name + "_sepconv3_bn", x);
  }
  x = b.pooled_block(x, 13, 728, 1024, true);
  LayerSpec first = convolution("separable_conv2d", "block14_sepconv1", 1536, 3, 1, Padding::same, false);
  first.inputs = {x};
  b.push(first);
  b.push(batch_norm("block14_sepconv1_bn"));
  b.relu("block14_sepconv1_act");
  b.separable("block14_sepconv2", 2048);
  b.relu("block14_sepconv2_act");
  return with_top(spec, "avg_pool", "", classes);
}

}  // namespace gapscope

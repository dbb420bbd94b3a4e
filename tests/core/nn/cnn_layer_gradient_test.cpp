// CNN layers (conv2d, pooling, flatten/reshape, batch normalization): finite-
// difference gradient checks, and a small CNN that learns a fixed batch, built
// from make_layer directly and as a Model.
#include <algorithm>
#include <numeric>

#include "core/nn/dense_layer.h"
#include "core/nn/model.h"
#include "core/nn/window_geometry.h"
#include "tests/core/nn/gradient_check.h"

namespace gapscope {
namespace {

using testing::distinct_values;
using testing::gradient_check;

LayerSpec conv(int64_t filters, std::vector<int64_t> kernel, std::vector<int64_t> strides,
               Padding padding, Activation act, bool use_bias = true) {
  LayerSpec spec;
  spec.type = "conv2d";
  spec.filters = filters;
  spec.kernel_size = std::move(kernel);
  spec.strides = std::move(strides);
  spec.padding = padding;
  spec.activation = act;
  spec.use_bias = use_bias;
  return spec;
}

LayerSpec pool(const char* type, std::vector<int64_t> size, std::vector<int64_t> strides,
               Padding padding) {
  LayerSpec spec;
  spec.type = type;
  spec.pool_size = std::move(size);
  spec.strides = std::move(strides);
  spec.padding = padding;
  return spec;
}

}  // namespace

TEST_CASE("conv2d gradients: odd sizes, both paddings, strides 1 and 2, bias or not",
          "[layer][gradient][cnn]") {
  struct Case {
    std::vector<int64_t> strides;
    Padding padding;
    Activation act;
    bool bias;
  };
  for (const Case& c : {Case{{1, 1}, Padding::valid, Activation::tanh, true},
                        Case{{1, 1}, Padding::same, Activation::sigmoid, false},
                        Case{{2, 2}, Padding::valid, Activation::linear, true},
                        Case{{2, 1}, Padding::same, Activation::tanh, true},
                        Case{{2, 2}, Padding::same, Activation::softmax, false}}) {
    INFO("strides " << c.strides[0] << "x" << c.strides[1] << ", padding "
                    << (c.padding == Padding::same ? "same" : "valid") << ", "
                    << activation_name(c.act) << ", bias " << c.bias);
    gradient_check(conv(4, {3, 2}, c.strides, c.padding, c.act, c.bias), 2, {7, 5, 3}, 41);
  }
}

TEST_CASE("conv2d gradients: 1x1 kernel (no im2col), and a kernel as large as the image",
          "[layer][gradient][cnn]") {
  gradient_check(conv(3, {1, 1}, {}, Padding::valid, Activation::tanh), 3, {4, 3, 5}, 43);
  gradient_check(conv(2, {4, 3}, {}, Padding::valid, Activation::linear), 2, {4, 3, 2}, 44);
  gradient_check(conv(2, {1, 1}, {2, 2}, Padding::same, Activation::tanh), 2, {5, 4, 3}, 45);
}

namespace {

// Forward and backward of a conv2d layer against direct loops (double sums):
// y = conv(x, W) + b, dW, db and dx for dL/dy = r.
void check_against_direct_conv(LayerSpec spec, int64_t batch, const Shape& in) {
  CpuBackend ops(2);
  spec.name = "conv";
  auto layer = make_layer(spec, in, ops);
  layer->reserve(ops, batch);
  const WindowGeometry g = with_batch(
      window_geometry("conv", in, spec.kernel_size, spec.strides, {1, 1}, spec.padding), batch);
  const int64_t C = g.channels, F = spec.filters, kh = g.kernel_h, kw = g.kernel_w;
  Rng rng(9);
  auto draw = [&](int64_t n) {
    std::vector<float> v(static_cast<size_t>(n));
    for (float& e : v) e = rng.uniform(-1.0f, 1.0f);
    return v;
  };
  std::vector<float> w = draw(kh * kw * C * F), b = draw(F);
  std::vector<float> xv = draw(batch * g.in_h * g.in_w * C), r = draw(batch * g.out_h * g.out_w * F);
  ops.upload(layer->parameters()[0]->value, w);
  ops.upload(layer->parameters()[1]->value, b);
  Tensor x = ops.allocate({batch, g.in_h, g.in_w, C}), dy = ops.allocate({batch, g.out_h, g.out_w, F});
  ops.upload(x, xv);
  ops.upload(dy, r);
  std::vector<float> y = testing::host(ops, layer->forward(ops, x, ForwardContext{true, 0}));
  std::vector<float> dx = testing::host(ops, layer->backward(ops, x, dy, true));
  std::vector<float> dw = testing::host(ops, layer->parameters()[0]->grad);
  std::vector<float> db = testing::host(ops, layer->parameters()[1]->grad);

  std::vector<double> y_ref(y.size()), dx_ref(dx.size(), 0.0), dw_ref(dw.size(), 0.0), db_ref(F, 0.0);
  for (int64_t n = 0; n < batch; ++n)
    for (int64_t oy = 0; oy < g.out_h; ++oy)
      for (int64_t ox = 0; ox < g.out_w; ++ox) {
        const int64_t out = ((n * g.out_h + oy) * g.out_w + ox) * F;
        for (int64_t f = 0; f < F; ++f) {
          y_ref[out + f] = b[f];
          db_ref[f] += r[out + f];
        }
        for (int64_t i = 0; i < kh; ++i)
          for (int64_t j = 0; j < kw; ++j) {
            const int64_t iy = oy * g.stride_h - g.pad_top + i, ix = ox * g.stride_w - g.pad_left + j;
            if (iy < 0 || iy >= g.in_h || ix < 0 || ix >= g.in_w) continue;
            for (int64_t c = 0; c < C; ++c) {
              const int64_t at = ((n * g.in_h + iy) * g.in_w + ix) * C + c;
              const int64_t tap = ((i * kw + j) * C + c) * F;
              for (int64_t f = 0; f < F; ++f) {
                y_ref[out + f] += static_cast<double>(xv[at]) * w[tap + f];
                dw_ref[tap + f] += static_cast<double>(xv[at]) * r[out + f];
                dx_ref[at] += static_cast<double>(w[tap + f]) * r[out + f];
              }
            }
          }
      }
  auto check = [](const char* what, const std::vector<float>& got, const std::vector<double>& want) {
    double worst = 0;
    for (size_t i = 0; i < got.size(); ++i) worst = std::max(worst, std::fabs(got[i] - want[i]));
    INFO(what << ": max abs error " << worst);
    CHECK(worst < 2e-3);
  };
  check("y", y, y_ref);
  check("dx", dx, dx_ref);
  check("dW", dw, dw_ref);
  check("db", db, db_ref);
}

}  // namespace

TEST_CASE("conv2d matches direct loops over several im2col chunks", "[layer][cnn]") {
  // 40x40x8, 5x5 kernel, strides 2x1: 18*36 pixels x 200 taps = 129,600 im2col
  // floats per sample, so chunks of 2 samples (256K floats), the last one short.
  check_against_direct_conv(conv(4, {5, 5}, {2, 1}, Padding::valid, Activation::linear), 5, {40, 40, 8});
}

TEST_CASE("conv2d too big to keep its im2col recomputes it in backward", "[layer][cnn]") {
  // 15 x 64*64 pixels x 3*3*32 taps = 17.7M floats, above what forward keeps (16M).
  check_against_direct_conv(conv(2, {3, 3}, {1, 1}, Padding::same, Activation::linear), 15,
                            {64, 64, 32});
}

TEST_CASE("conv2d layer: TF.js shapes, names and Keras fans", "[layer][cnn]") {
  CpuBackend ops(1);
  LayerSpec spec = conv(6, {5, 3}, {2, 2}, Padding::same, Activation::relu);
  spec.name = "conv2d_1";
  auto layer = make_layer(spec, {9, 8, 2}, ops);
  CHECK(layer->output_shape() == Shape{5, 4, 6});
  std::vector<Parameter*> params = layer->parameters();
  REQUIRE(params.size() == 2);
  CHECK(params[0]->name == "conv2d_1/kernel");
  CHECK(params[0]->value.shape() == Shape{5, 3, 2, 6});
  CHECK(params[1]->name == "conv2d_1/bias");
  CHECK(params[1]->value.shape() == Shape{6});
  // glorot_uniform: limit sqrt(6 / (fan_in + fan_out)), fans 5*3*2 and 5*3*6.
  Rng rng(3);
  layer->initialize(ops, rng);
  std::vector<float> w = testing::host(ops, params[0]->value);
  float limit = std::sqrt(6.0f / (30.0f + 90.0f));
  float largest = 0;
  for (float v : w) largest = std::max(largest, std::fabs(v));
  CHECK(largest <= limit);
  CHECK(largest > 0.9f * limit);
  CHECK(testing::host(ops, params[1]->value) == std::vector<float>(6, 0.0f));

  CHECK_THROWS_AS(make_layer(spec, {9, 8}, ops), std::invalid_argument);  // not [H, W, C]
  LayerSpec too_big = conv(2, {10, 3}, {}, Padding::valid, Activation::linear);
  CHECK_THROWS_AS(make_layer(too_big, {9, 8, 2}, ops), std::invalid_argument);
}

TEST_CASE("max pooling gradients, both paddings, strides other than the pool size",
          "[layer][gradient][cnn]") {
  for (Padding padding : {Padding::valid, Padding::same}) {
    INFO("padding " << (padding == Padding::same ? "same" : "valid"));
    gradient_check(pool("max_pooling2d", {3, 2}, {2, 1}, padding), 2, {7, 5, 3}, 51, -2.0f, 2.0f,
                   true, distinct_values);
    gradient_check(pool("max_pooling2d", {2, 2}, {}, padding), 2, {5, 5, 2}, 52, -2.0f, 2.0f,
                   true, distinct_values);
  }
}

TEST_CASE("average pooling gradients, both paddings, strides other than the pool size",
          "[layer][gradient][cnn]") {
  for (Padding padding : {Padding::valid, Padding::same}) {
    INFO("padding " << (padding == Padding::same ? "same" : "valid"));
    gradient_check(pool("average_pooling2d", {3, 2}, {2, 1}, padding), 2, {7, 5, 3}, 53);
    gradient_check(pool("average_pooling2d", {3, 3}, {2, 2}, padding), 1, {6, 5, 2}, 54);
  }
}

TEST_CASE("flatten and reshape are views with the right shapes and gradients",
          "[layer][gradient][cnn]") {
  LayerSpec flatten;
  flatten.type = "flatten";
  gradient_check(flatten, 2, {3, 4, 2}, 61);
  LayerSpec reshape;
  reshape.type = "reshape";
  reshape.target_shape = {2, 12};
  gradient_check(reshape, 3, {4, 6}, 62);

  CpuBackend ops(1);
  flatten.name = "flatten_1";
  CHECK(make_layer(flatten, {3, 4, 2}, ops)->output_shape() == Shape{24});
  reshape.name = "reshape_1";
  reshape.target_shape = {5, 5};
  CHECK_THROWS_AS(make_layer(reshape, {4, 6}, ops), std::invalid_argument);
}

TEST_CASE("batch normalization gradients in training mode, any rank", "[layer][gradient][cnn]") {
  LayerSpec bn;
  bn.type = "batch_normalization";
  gradient_check(bn, 5, {4}, 71);
  gradient_check(bn, 2, {3, 2, 3}, 72);  // conv-style [H, W, C]: rows are pixels
}

// The small CNN of the brief, one fixed batch of 16 random 8x8 images.
namespace {

ModelSpec small_cnn() {
  ModelSpec spec;
  spec.name = "small-cnn";
  spec.input_shape = {8, 8, 1};
  LayerSpec c = conv(4, {3, 3}, {}, Padding::valid, Activation::relu);
  c.name = "conv2d_1";
  LayerSpec p = pool("max_pooling2d", {2, 2}, {}, Padding::valid);
  p.name = "max_pooling2d_1";
  LayerSpec f;
  f.type = "flatten";
  f.name = "flatten_1";
  LayerSpec d;
  d.type = "dense";
  d.name = "dense_1";
  d.units = 10;
  d.activation = Activation::softmax;
  spec.layers = {c, p, f, d};
  spec.loss = Loss::categorical_crossentropy;
  spec.optimizer.kind = OptimizerKind::sgd;
  spec.optimizer.learning_rate = 0.5f;  // 16 random labels: a large step memorises them in 20
  return spec;
}

constexpr int64_t kBatch = 16;

void fixed_batch(std::vector<float>& x, std::vector<float>& target) {
  Rng rng(5);
  x.resize(kBatch * 64);
  for (float& v : x) v = rng.uniform(0.0f, 1.0f);
  target.assign(kBatch * 10, 0.0f);
  for (int64_t i = 0; i < kBatch; ++i) target[i * 10 + rng.below(10)] = 1.0f;
}

}  // namespace

TEST_CASE("a small CNN built from make_layer learns a fixed batch", "[layer][cnn][train]") {
  CpuBackend ops(2);
  ModelSpec spec = small_cnn();
  std::vector<std::unique_ptr<Layer>> layers;
  Shape shape = spec.input_shape;
  Rng rng(1);
  for (const LayerSpec& s : spec.layers) {
    layers.push_back(make_layer(s, shape, ops));
    layers.back()->initialize(ops, rng);
    layers.back()->reserve(ops, kBatch);
    shape = layers.back()->output_shape();
  }
  REQUIRE(shape == Shape{10});
  std::vector<float> xv, tv;
  fixed_batch(xv, tv);
  Tensor x = ops.allocate({kBatch, 8, 8, 1}), t = ops.allocate({kBatch, 10});
  ops.upload(x, xv);
  ops.upload(t, tv);
  Tensor loss = ops.allocate({1}), grad = ops.allocate({kBatch, 10});
  std::vector<float> losses;
  for (int step = 1; step <= 20; ++step) {
    std::vector<Tensor> inputs;
    Tensor h = x;
    for (auto& layer : layers) {
      inputs.push_back(h);
      h = layer->forward(ops, h, ForwardContext{true, 0});
    }
    // Softmax + cross-entropy: start backward from the dense layer's logits.
    ops.softmax_crossentropy_backward(spec.loss, h, t, loss, grad);
    losses.push_back(testing::host(ops, loss)[0]);
    auto& dense = static_cast<DenseLayer&>(*layers.back());
    Tensor dy = dense.backward_from_preactivation(ops, inputs.back(), grad, true);
    for (size_t i = layers.size() - 1; i-- > 0;) dy = layers[i]->backward(ops, inputs[i], dy, i > 0);
    for (auto& layer : layers)
      for (Parameter* p : layer->parameters())
        ops.optimizer_update(spec.optimizer, step, p->value, p->grad, {});
  }
  INFO("loss " << losses.front() << " -> " << losses.back());
  CHECK(losses.back() < 0.75f * losses.front());
  for (size_t i = 5; i < losses.size(); ++i) CHECK(losses[i] < losses[i - 5]);
}

TEST_CASE("a small CNN Model learns a fixed batch", "[model][cnn][train]") {
  CpuBackend ops(2);
  Model model(small_cnn(), ops, 1);
  std::vector<float> xv, tv;
  fixed_batch(xv, tv);
  model.stage_batch(xv, tv, kBatch);
  std::vector<float> losses;
  for (int step = 0; step < 20; ++step) {
    model.train_step();
    losses.push_back(model.read_loss());
  }
  INFO("loss " << losses.front() << " -> " << losses.back());
  CHECK(losses.back() < 0.75f * losses.front());
}

}  // namespace gapscope

// conv2d layer speed on the paper's MNIST CNN shapes at batch 64, 1 and 2
// threads: forward, and forward + backward (dW, db, and dx except for the
// first layer, which has no input gradient to pass on), median ms and GFLOP/s,
// with the split into im2col, GEMMs and col2im. Also the 2x2 max pool after
// each conv, and one SGD training step of the whole TF.js MNIST CNN (conv 8,
// pool, conv 16, pool, dense 10). tests/bench/cnn_layers_pytorch.py times the
// same convs and step in PyTorch.
//   bench_cnn_layers [--runs 20] [--threads 1,2] [--only SUBSTRING-OF-NAME]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <string>
#include <vector>

#include "core/nn/layer.h"
#include "core/nn/model.h"
#include "core/base/random.h"
#include "core/nn/window_geometry.h"
#include "core/ops/cpu/cpu_backend.h"
#include "tests/bench/bench_timing.h"

namespace {

using namespace gapscope;
using bench::median_ms;
using bench::random_tensor;

struct ConvShape {
  const char* name;
  int64_t batch, h, w, c, k, filters;
  bool need_dx;
};

const ConvShape kShapes[] = {
    {"conv1 28x28x1 5x5 -> 8", 64, 28, 28, 1, 5, 8, false},
    {"conv2 12x12x8 5x5 -> 16", 64, 12, 12, 8, 5, 16, true},
    {"conv1 28x28x1 5x5 -> 32", 64, 28, 28, 1, 5, 32, false},
    {"conv2 12x12x32 5x5 -> 32", 64, 12, 12, 32, 5, 32, true},
};

void bench_conv(const ConvShape& s, int threads, int runs) {
  CpuBackend ops(threads);
  LayerSpec spec;
  spec.type = "conv2d";
  spec.name = "conv";
  spec.filters = s.filters;
  spec.kernel_size = {s.k, s.k};
  spec.activation = Activation::linear;
  const Shape in{s.h, s.w, s.c};
  auto layer = make_layer(spec, in, ops);
  Rng rng(1);
  layer->initialize(ops, rng);
  layer->reserve(ops, s.batch);
  Tensor x = random_tensor(ops, {s.batch, s.h, s.w, s.c}, 2);
  const Shape& out = layer->output_shape();
  Tensor dy = random_tensor(ops, {s.batch, out[0], out[1], out[2]}, 3);
  const ForwardContext ctx{true, 0};

  const double fwd = median_ms([&] { layer->forward(ops, x, ctx); }, runs);
  const double both = median_ms(
      [&] {
        layer->forward(ops, x, ctx);
        layer->backward(ops, x, dy, s.need_dx);
      },
      runs);

  // The parts, through the ops the layer calls, on the whole batch at once (the
  // layer runs them on chunks of samples whose cols stay in L2).
  const WindowGeometry g =
      with_batch(window_geometry("conv", in, {s.k, s.k}, {}, {1, 1}, Padding::valid), s.batch);
  const int64_t rows = s.batch * g.out_h * g.out_w, patch = s.k * s.k * s.c;
  Tensor cols = ops.allocate({rows, patch}), z = ops.allocate({rows, s.filters});
  Tensor w = random_tensor(ops, {patch, s.filters}, 4), dw = ops.allocate({patch, s.filters});
  Tensor dz = dy.reshaped({rows, s.filters}), dx = ops.allocate({s.batch, s.h, s.w, s.c});
  const double t_im2col = median_ms([&] { ops.im2col(g, x, cols); }, runs);
  const double t_gemm = median_ms([&] { ops.gemm(false, false, 1.0f, cols, w, 0.0f, z); }, runs);
  const double t_dw = median_ms([&] { ops.gemm(true, false, 1.0f, cols, dz, 0.0f, dw); }, runs);
  const double t_dcols = median_ms([&] { ops.gemm(false, true, 1.0f, dz, w, 0.0f, cols); }, runs);
  const double t_col2im = median_ms([&] { ops.col2im(g, cols, dx); }, runs);

  const double flops = 2.0 * rows * patch * s.filters;
  const double both_flops = flops * (s.need_dx ? 3 : 2);
  std::printf("%d thr  %-26s fwd %7.3f ms (%6.1f GFLOP/s)  fwd+bwd %7.3f ms (%6.1f GFLOP/s)\n",
              threads, s.name, fwd, flops / fwd / 1e6, both, both_flops / both / 1e6);
  std::printf("       whole-batch parts: im2col %.3f  gemm %.3f  dW %.3f  dcols %.3f  col2im %.3f ms\n",
              t_im2col, t_gemm, t_dw, t_dcols, t_col2im);
}

void bench_pool(const char* name, int64_t h, int64_t c, int threads, int runs) {
  CpuBackend ops(threads);
  LayerSpec spec;
  spec.type = "max_pooling2d";
  spec.name = "pool";
  spec.pool_size = {2, 2};
  auto layer = make_layer(spec, {h, h, c}, ops);
  layer->reserve(ops, 64);
  Tensor x = random_tensor(ops, {64, h, h, c}, 5);
  const Shape& out = layer->output_shape();
  Tensor dy = random_tensor(ops, {64, out[0], out[1], out[2]}, 6);
  const ForwardContext ctx{true, 0};
  const double fwd = median_ms([&] { layer->forward(ops, x, ctx); }, runs);
  const double both = median_ms(
      [&] {
        layer->forward(ops, x, ctx);
        layer->backward(ops, x, dy, true);
      },
      runs);
  std::printf("%d thr  %-26s fwd %7.3f ms                    fwd+bwd %7.3f ms\n", threads, name,
              fwd, both);
}

LayerSpec conv_spec(int64_t filters) {
  LayerSpec spec;
  spec.type = "conv2d";
  spec.filters = filters;
  spec.kernel_size = {5, 5};
  spec.activation = Activation::relu;
  return spec;
}

LayerSpec pool_spec() {
  LayerSpec spec;
  spec.type = "max_pooling2d";
  spec.pool_size = {2, 2};
  return spec;
}

// The TF.js MNIST example's CNN: 28x28x1 -> conv 5x5 8 relu -> pool 2 -> conv 5x5 16
// relu -> pool 2 -> flatten 256 -> dense 10 softmax; SGD, categorical cross-entropy.
void bench_train_step(int threads, int runs) {
  CpuBackend ops(threads);
  ModelSpec spec;
  spec.input_shape = {28, 28, 1};
  LayerSpec flatten, dense;
  flatten.type = "flatten";
  dense.type = "dense";
  dense.units = 10;
  dense.activation = Activation::softmax;
  spec.layers = {conv_spec(8), pool_spec(), conv_spec(16), pool_spec(), flatten, dense};
  spec.optimizer.learning_rate = 0.1f;
  assign_default_layer_names(spec);
  Model model(spec, ops, 1);
  const int64_t batch = 64;
  Rng rng(7);
  std::vector<float> x(static_cast<size_t>(batch * 784)), t(static_cast<size_t>(batch * 10), 0.0f);
  for (float& v : x) v = rng.uniform();
  for (int64_t i = 0; i < batch; ++i) t[static_cast<size_t>(i * 10 + rng.below(10))] = 1.0f;
  model.stage_batch(x, t, batch);
  const double step = median_ms(
      [&] {
        model.train_step();
        model.read_loss();
      },
      runs);
  std::printf("%d thr  %-26s train step %7.3f ms\n", threads, "mnist cnn 8-16, batch 64", step);
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 20;
  std::vector<int> thread_counts{1, 2};
  std::string only;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--runs") == 0) {
      runs = std::max(1, std::atoi(argv[i + 1]));
    } else if (std::strcmp(argv[i], "--only") == 0) {
      only = argv[i + 1];
    } else if (std::strcmp(argv[i], "--threads") == 0) {
      thread_counts.clear();
      for (const char* p = argv[i + 1]; *p;) {
        thread_counts.push_back(std::max(1, std::atoi(p)));
        while (*p && *p != ',') ++p;
        if (*p == ',') ++p;
      }
    } else {
      std::fprintf(stderr, "usage: %s [--runs N] [--threads 1,2] [--only NAME-PART]\n", argv[0]);
      return 2;
    }
  }
  std::printf("conv2d (linear, bias) at batch 64, median of %d runs; GFLOP/s count 2*MACs\n", runs);
  for (int threads : thread_counts) {
    auto wanted = [&](const char* name) { return std::strstr(name, only.c_str()) != nullptr; };
    for (const ConvShape& s : kShapes)
      if (wanted(s.name)) bench_conv(s, threads, runs);
    if (wanted("maxpool 24x24x8 2x2")) bench_pool("maxpool 24x24x8 2x2", 24, 8, threads, runs);
    if (wanted("maxpool 8x8x16 2x2")) bench_pool("maxpool 8x8x16 2x2", 8, 16, threads, runs);
    if (wanted("mnist cnn")) bench_train_step(threads, runs);
  }
  return 0;
}

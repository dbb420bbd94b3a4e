// One conv2d or depthwise_conv2d layer on native-cpu, timed: forward, and
// forward + backward (dW, db and dx), median ms of --runs after 5 warm-up
// calls, as one JSON line. tests/bench/mobilenet_layers.py drives it over
// MobileNet's shapes and times PyTorch beside it.
//   bench_conv_layer --kind depthwise|conv --h H --w W --c C [--filters F]
//                    [--kernel K] [--stride S] [--batch B] [--threads T] [--runs N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/base/random.h"
#include "core/nn/layer.h"
#include "core/ops/cpu/cpu_backend.h"
#include "tests/bench/bench_timing.h"

namespace {

using namespace gapscope;
using bench::median_ms;
using bench::random_tensor;

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> args = {{"--kind", "depthwise"}, {"--filters", "0"}, {"--kernel", "3"},
                                             {"--stride", "1"},       {"--batch", "1"},   {"--threads", "1"},
                                             {"--runs", "20"},        {"--h", "0"},       {"--w", "0"},
                                             {"--c", "0"}};
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!args.count(argv[i])) {
      std::fprintf(stderr, "unknown option %s\n", argv[i]);
      return 2;
    }
    args[argv[i]] = argv[i + 1];
  }
  const auto number = [&](const char* key) { return std::atoll(args[key].c_str()); };
  const int64_t batch = number("--batch"), h = number("--h"), w = number("--w"), c = number("--c");
  const int64_t kernel = number("--kernel"), stride = number("--stride");
  const int threads = static_cast<int>(number("--threads")), runs = static_cast<int>(number("--runs"));
  if (h < 1 || w < 1 || c < 1 || batch < 1 || threads < 1 || runs < 1) {
    std::fprintf(stderr, "usage: bench_conv_layer --kind depthwise|conv --h H --w W --c C [--filters F] [--kernel K] "
                         "[--stride S] [--batch B] [--threads T] [--runs N]\n");
    return 2;
  }
  CpuBackend ops(threads);
  LayerSpec spec;
  spec.type = args["--kind"] == "conv" ? "conv2d" : "depthwise_conv2d";
  spec.name = "layer";
  spec.filters = number("--filters");
  spec.kernel_size = {kernel, kernel};
  spec.strides = {stride, stride};
  spec.padding = Padding::same;
  const Shape in{h, w, c};
  auto layer = make_layer(spec, in, ops);
  Rng rng(1);
  layer->initialize(ops, rng);
  layer->reserve(ops, batch);
  Tensor x = random_tensor(ops, {batch, h, w, c}, 2);
  Shape out{batch};
  out.insert(out.end(), layer->output_shape().begin(), layer->output_shape().end());
  Tensor dy = random_tensor(ops, out, 3);
  const ForwardContext ctx{true, 0};
  const double forward = median_ms([&] { layer->forward(ops, x, ctx); }, runs);
  const double train = median_ms(
      [&] {
        layer->forward(ops, x, ctx);
        layer->backward(ops, x, dy, true);
      },
      runs);
  const Capabilities caps = ops.capabilities();
  std::printf("{\"kind\": \"%s\", \"forward_ms\": %.4f, \"train_ms\": %.4f, \"simd\": \"%s\", \"threads\": %d}\n",
              spec.type.c_str(), forward, train, caps.count("simd") ? caps.at("simd").c_str() : "", threads);
  return 0;
}

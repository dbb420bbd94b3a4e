// LSTM layer speed on the CPU backend at the paper-rnn shape: batch 64, 40
// steps, 100 one-hot features, 64/128/256 units, last-step output; forward and
// forward+backward (parameter gradients, no dx: it is the first layer), 1 and 2
// threads, median after warm-up. tests/bench/rnn_layers_pytorch.py times
// PyTorch's nn.LSTM on the same shapes.
//   bench_rnn_layers [--runs 20] [--type lstm|gru|simple_rnn] [--sequences]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "core/nn/layer.h"
#include "core/base/random.h"
#include "core/ops/cpu/cpu_backend.h"
#include "tests/bench/bench_timing.h"

namespace {

using namespace gapscope;

double median_ms(const std::function<void()>& call, int runs) { return bench::median_ms(call, runs, 3); }

}  // namespace

int main(int argc, char** argv) {
  int runs = 20;
  std::string type = "lstm";
  bool sequences = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--runs") && i + 1 < argc)
      runs = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--type") && i + 1 < argc)
      type = argv[++i];
    else if (!std::strcmp(argv[i], "--sequences"))
      sequences = true;
    else {
      std::fprintf(
          stderr,
          "usage: bench_rnn_layers [--runs N] [--type lstm|gru|simple_rnn] [--sequences]\n");
      return 2;
    }
  }
  const int64_t batch = 64, steps = 40, features = 100;
  std::printf("%s, batch %lld, %lld steps, %lld features, %s output, median of %d\n", type.c_str(),
              static_cast<long long>(batch), static_cast<long long>(steps),
              static_cast<long long>(features), sequences ? "per-step" : "last-step", runs);
  std::printf("%-8s %-7s %12s %14s\n", "threads", "units", "forward ms", "fwd+bwd ms");
  for (int threads : {1, 2}) {
    CpuBackend ops(threads);
    for (int64_t units : {64, 128, 256}) {
      LayerSpec spec;
      spec.type = type;
      spec.name = type + "_1";
      spec.units = units;
      spec.activation = Activation::tanh;
      spec.recurrent_activation = Activation::sigmoid;  // as PyTorch
      spec.return_sequences = sequences;
      auto layer = make_layer(spec, {steps, features}, ops);
      Rng rng(1);
      layer->initialize(ops, rng);
      layer->reserve(ops, batch);
      // One-hot rows, as characters of a text window.
      std::vector<float> xv(batch * steps * features, 0.0f);
      for (int64_t r = 0; r < batch * steps; ++r) xv[r * features + rng.below(features)] = 1.0f;
      Tensor x = ops.allocate({batch, steps, features});
      ops.upload(x, xv);
      Shape out{batch};
      for (int64_t d : layer->output_shape()) out.push_back(d);
      Tensor dy = ops.allocate(out);
      std::vector<float> dyv(dy.size());
      for (float& v : dyv) v = rng.uniform(-1.0f, 1.0f);
      ops.upload(dy, dyv);
      ForwardContext ctx{true, 1};
      double fwd = median_ms([&] { layer->forward(ops, x, ctx); }, runs);
      double both = median_ms(
          [&] {
            layer->forward(ops, x, ctx);
            layer->backward(ops, x, dy, false);
          },
          runs);
      std::printf("%-8d %-7lld %12.3f %14.3f\n", threads, static_cast<long long>(units), fwd, both);
      std::fflush(stdout);
    }
  }
  return 0;
}

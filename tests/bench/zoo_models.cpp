// One zoo model on native-cpu or native-vulkan: inference at a batch (input
// uploaded, forward, output read back) or one training step at a batch (stage,
// forward, backward, update, loss read back), median of --runs after --warmup,
// as one JSON line with the process's peak RSS (and the device's peak on
// Vulkan) and the weights' size. tests/bench/zoo_pytorch.py runs it per model
// and configuration (a fresh process each, so the peak is this
// configuration's) beside PyTorch; GAPSCOPE_SIMD=avx2 picks the AVX2 path.
//   bench_zoo_models --model resnet50 --mode infer|train --batch 32 [--threads 2]
//                    [--backend native-cpu|native-vulkan] [--runs 5] [--warmup 2]
//                    [--input-size N] [--kernel-times]
// --kernel-times (native-vulkan): the GPU kernel table before the JSON line
// (timestamps serialise the dispatches: the median is then no speed figure).
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/measure/process_stats.h"
#include "core/measure/synthetic_data.h"
#include "core/nn/model.h"
#include "core/ops/cpu/cpu_backend.h"
#include "core/ops/cpu/sgemm.h"
#include "core/spec/presets.h"
#include "gpu/vulkan/kernel_table_print.h"
#include "gpu/vulkan/vulkan_backend.h"
#include "tests/bench/bench_timing.h"

namespace {

using namespace gapscope;

std::string option(int argc, char** argv, const char* name, const char* fallback) {
  for (int i = 1; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], name) == 0) return argv[i + 1];
  return fallback;
}

bool has_flag(int argc, char** argv, const char* name) {
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], name) == 0) return true;
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string name = option(argc, argv, "--model", "resnet50"), mode = option(argc, argv, "--mode", "infer");
  const int64_t batch = std::stoll(option(argc, argv, "--batch", "1"));
  const int threads = std::stoi(option(argc, argv, "--threads", "2"));
  const int runs = std::stoi(option(argc, argv, "--runs", "5")), warmup = std::stoi(option(argc, argv, "--warmup", "2"));
  const int64_t input_size = std::stoll(option(argc, argv, "--input-size", "0"));
  const std::string backend = option(argc, argv, "--backend", "native-cpu");
  if ((mode != "infer" && mode != "train") || (backend != "native-cpu" && backend != "native-vulkan")) {
    std::fprintf(stderr, "--mode infer|train, --backend native-cpu|native-vulkan\n");
    return 2;
  }
  const ModelSpec spec = build_preset(name, {.input_size = input_size});
  std::unique_ptr<OpsBackend> ops;
  if (backend == "native-vulkan") {
    gpu::VulkanOptions options;
    options.timestamps = has_flag(argc, argv, "--kernel-times");
    ops = std::make_unique<gpu::VulkanBackend>(options);
  } else {
    ops = std::make_unique<CpuBackend>(threads);
  }
  Model model(spec, *ops, 1);
  const SyntheticData data(model, batch, 2);
  std::vector<float> out(static_cast<size_t>(batch * model.output_size()));
  const auto call = [&] {
    if (mode == "infer") {
      model.predict(data.x, batch, out);
    } else {
      model.stage_batch(data.x, data.target, batch);
      model.train_step();
      model.read_loss();
    }
  };
  const std::vector<double> times = bench::sorted_times_ms(call, runs, warmup);
  gpu::print_kernel_table(*ops);
  Capabilities caps = ops->capabilities();
  const nlohmann::json line = {{"model", name},
                               {"backend", backend},
                               {"device", caps.count("device") ? caps["device"] : caps["simd"]},
                               {"mode", mode},
                               {"batch", batch},
                               {"threads", threads},
                               {"simd", sgemm_simd_level()},
                               {"input", spec.input_shape},
                               {"median_ms", times[times.size() / 2]},
                               {"min_ms", times.front()},
                               {"max_ms", times.back()},
                               {"runs", runs},
                               {"peak_rss_bytes", peak_rss_bytes()},  // VmHWM: getrusage's would carry the parent's peak over exec
                               {"device_peak_bytes", ops->device_memory_peak_bytes()},
                               {"weight_bytes", model.parameter_count() * 4}};
  std::printf("%s\n", line.dump().c_str());
  return 0;
}

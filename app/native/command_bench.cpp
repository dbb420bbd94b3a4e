// gapscope-native bench: the measurement protocol for one model on one backend,
// or (--gemm N) the GFLOP/s of an NxNxN SGEMM through the ops backend.
#include <chrono>
#include <fstream>
#include <memory>
#include <cstdio>

#include "app/common/arguments.h"
#include "app/native/backend_factory.h"
#include "app/native/commands.h"
#include "app/common/measurement_output.h"
#include "app/common/model_source.h"
#include "core/base/json_text.h"
#include "core/measure/native_runner.h"
#include "core/measure/protocol_json.h"
#include "core/measure/synthetic_data.h"
#include "core/nn/model.h"
#include "core/measure/process_stats.h"
#include "core/measure/statistics.h"
#include "core/base/random.h"
#include "core/ops/cpu/cpu_backend.h"
#include "core/ops/cpu/peak_flops.h"
#include "gpu/vulkan/kernel_table_print.h"
#include "core/ops/cpu/sgemm.h"
#include "core/ops/cpu/thread_pool.h"
#include "gpu/vulkan/vulkan_backend.h"

namespace gapscope::cli {
namespace {

const char* kHelp =
    "usage: gapscope-native bench [options]\n"
    "Runs the measurement protocol (DESIGN.md) for one model on one backend:\n"
    "load (model file -> ready), warmup (first inference), infer (1 sample,\n"
    "steady state), train (one batch, steady state), file size per format,\n"
    "peak memory and CPU utilisation. Inputs are synthetic (timing does not\n"
    "depend on pixel values). Each phase: median, p10, p90 of n runs after\n"
    "untimed warm-up runs.\n\n"
    "%s"
    "%s"
    "Protocol:\n"
    "  --batch N            training batch size (default 64)\n"
    "  --phases LIST        comma-separated subset of load,warmup,infer,train,file_size\n"
    "  --runs-scale X       multiply every phase's run count (default 1; 0.2 = quick)\n"
    "  --seed N             weight seed (default 1)\n"
    "  --data-x FILE --data-target FILE --data-rows N\n"
    "                       run on these rows instead of synthetic ones: raw little-endian\n"
    "                       float32, rows x inputs and rows x targets (encoded for the loss)\n"
    "  --protocol JSON      the whole protocol as JSON ({\"batch_size\":64,\"train_runs\":30,...,\n"
    "                       \"phases\":[...]}; docs/measurement-schema.md), instead of the three above\n"
    "  --gemm N             instead: time C = A*B for NxNxN matrices and print GFLOP/s\n"
    "  --step-profile       native-vulkan: after the protocol, count the dispatches, barriers\n"
    "                       and submits of one training step and time an empty step (one\n"
    "                       submit and wait, the fixed cost every step pays)\n"
    "Output:\n"
    "  --json               one JSON record per phase (schema gapscope.measurement/1,\n"
    "                       docs/measurement-schema.md); the first line is the run record\n"
    "  --progress           with --json: also a {\"kind\":\"progress\"} line per training step\n"
    "                       (loss, accuracy, ms) and ~20 per other phase, for live charts\n";

// The FP32 peak of the CPU backend's threads with the ISA its SGEMM runs, so
// that GFLOP/s read as a share of what this machine can do; 0 for other
// backends.
double measured_peak_gflops(OpsBackend& ops) {
  const auto* cpu = dynamic_cast<const CpuBackend*>(&ops);
  if (cpu == nullptr) return 0.0;
  ThreadPool pool(cpu->threads());
  return measure_peak_gflops(cpu->threads(), &pool);
}

int run_gemm_bench(OpsBackend& ops, int64_t n, bool json) {
  Tensor a = ops.allocate({n, n}), b = ops.allocate({n, n}), c = ops.allocate({n, n});
  Rng rng(7);
  std::vector<float> values(static_cast<size_t>(n * n));
  for (float& v : values) v = rng.uniform(-1, 1);
  ops.upload(a, values);
  ops.upload(b, values);
  std::vector<double> gflops;
  for (int i = 0; i < 23; ++i) {
    auto start = std::chrono::steady_clock::now();
    ops.gemm(false, false, 1.0f, a, b, 0.0f, c);
    ops.synchronize();
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (i >= 3) gflops.push_back(2.0 * static_cast<double>(n * n * n) / s / 1e9);
  }
  SampleSummary summary = summarize(gflops);
  Capabilities caps = ops.capabilities();
  const double peak = measured_peak_gflops(ops);
  const double percent = peak > 0 ? 100.0 * summary.median / peak : 0.0;
  if (json) {
    print_json_line({{"kind", "gemm"}, {"backend", ops.id()}, {"n", n}, {"unit", "GFLOP/s"},
                     {"median", summary.median}, {"p10", summary.p10}, {"p90", summary.p90},
                     {"samples", gflops}, {"capabilities", caps},
                     {"peak_gflops", peak > 0 ? nlohmann::json(peak) : nlohmann::json()},
                     {"percent_of_peak", peak > 0 ? nlohmann::json(percent) : nlohmann::json()}});
  } else {
    std::printf("SGEMM %lldx%lldx%lld on %s: median %.1f GFLOP/s (p10 %.1f, p90 %.1f, n %lld)\n",
                static_cast<long long>(n), static_cast<long long>(n), static_cast<long long>(n),
                backend_summary(ops).c_str(), summary.median,
                summary.p10, summary.p90, static_cast<long long>(summary.n));
    if (peak > 0) {
      std::printf("  = %.1f%% of the measured peak, %.1f GFLOP/s (%s FMA loop on %s threads)\n",
                  percent, peak, caps["simd"].c_str(), caps["threads"].c_str());
    }
  }
  return kOk;
}

// What one training step costs the Vulkan backend beyond its kernels.
void print_step_profile(OpsBackend& ops, const Job& job, bool json) {
  auto* vulkan = dynamic_cast<gpu::VulkanBackend*>(&ops);
  if (!vulkan) throw UsageError("--step-profile applies to --backend native-vulkan");
  const int64_t batch = job.protocol.batch_size;
  Model model(job.spec, ops, job.seed);
  const SyntheticData data(model, batch, job.seed);
  auto step = [&] {
    model.stage_batch(data.x, data.target, batch);
    model.train_step();
    return model.read_loss();
  };
  for (int i = 0; i < 3; ++i) step();
  const gpu::StreamCounters before = vulkan->counters();
  step();
  const gpu::StreamCounters after = vulkan->counters();
  // An empty step: one 4-byte fill and its read back = one submit and one wait.
  Tensor one = ops.allocate({1});
  std::vector<double> us;
  float value = 0;
  for (int i = 0; i < 220; ++i) {
    const auto start = std::chrono::steady_clock::now();
    ops.fill(one, 1.0f);
    ops.download(one, std::span<float>(&value, 1));
    if (i >= 20) us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
  }
  const SampleSummary empty = summarize(us);
  const int64_t dispatches = after.dispatches - before.dispatches, transfers = after.transfers - before.transfers,
                barriers = after.barriers - before.barriers, submits = after.submits - before.submits;
  if (json) {
    print_json_line({{"kind", "step_profile"}, {"backend", ops.id()}, {"model", job.spec.name},
                     {"dispatches", dispatches}, {"transfers", transfers}, {"barriers", barriers},
                     {"submits", submits}, {"empty_step_us", empty.median}, {"empty_step_us_p10", empty.p10},
                     {"empty_step_us_p90", empty.p90}, {"capabilities", ops.capabilities()}});
  } else {
    std::printf("one training step: %lld dispatches, %lld transfers, %lld barriers, %lld submit(s); "
                "empty step (submit + wait): median %.1f us (p10 %.1f, p90 %.1f)\n",
                static_cast<long long>(dispatches), static_cast<long long>(transfers),
                static_cast<long long>(barriers), static_cast<long long>(submits), empty.median, empty.p10,
                empty.p90);
  }
}

// Raw little-endian float32 values of a file, exactly `count` of them.
std::vector<float> read_floats(const std::string& path, int64_t count, const char* flag) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw std::invalid_argument(std::string(flag) + ": cannot open " + path);
  const int64_t bytes = static_cast<int64_t>(in.tellg());
  if (bytes != count * 4)
    throw std::invalid_argument(std::string(flag) + ": " + path + " has " + std::to_string(bytes) +
                                " bytes, expected " + std::to_string(count) + " float32 values (" +
                                std::to_string(count * 4) + " bytes)");
  std::vector<float> values(static_cast<size_t>(count));
  in.seekg(0);
  in.read(reinterpret_cast<char*>(values.data()), bytes);
  return values;
}

// --data-x/--data-target/--data-rows: a real dataset's rows (the workbench's).
std::shared_ptr<const DataRows> data_option(const Arguments& args, const ModelSpec& spec) {
  if (!args.has("--data-x") && !args.has("--data-target") && !args.has("--data-rows")) return nullptr;
  if (!args.has("--data-x") || !args.has("--data-target") || !args.has("--data-rows"))
    throw UsageError("--data-x, --data-target and --data-rows go together");
  CpuBackend cpu(1);
  Model model(spec, cpu, 1);
  auto data = std::make_shared<DataRows>();
  data->rows = args.get_int("--data-rows", 0, 1, 100'000'000);
  data->x = read_floats(args.get("--data-x"), data->rows * model.input_size(), "--data-x");
  data->target = read_floats(args.get("--data-target"), data->rows * model.target_size(), "--data-target");
  return data;
}

const std::set<std::string> kBenchPhases = {"load", "warmup", "infer", "train", "file_size"};

// --protocol JSON: the exact protocol of a caller (the gapscope app runs native
// jobs in this process with the protocol its browser jobs get).
Protocol protocol_option(const Arguments& args) {
  for (const char* flag : {"--batch", "--phases", "--runs-scale"})
    if (args.has(flag)) throw UsageError(std::string("--protocol and ") + flag + " cannot be combined");
  Protocol protocol;
  try {
    protocol = protocol_from_json(parse_json_text(args.get("--protocol")));
  } catch (const std::exception& e) {
    throw UsageError(std::string("--protocol: ") + e.what());
  }
  for (const std::string& phase : protocol.phases)
    if (!kBenchPhases.count(phase)) throw UsageError("--protocol: unknown phase '" + phase + "'");
  return protocol;
}

}  // namespace

int command_bench(const CommandArgs& raw) {
  std::set<std::string> value_flags = {"--batch",
                                       "--phases",  "--runs-scale", "--seed", "--gemm",
                                       "--protocol", "--data-x", "--data-target", "--data-rows"};
  value_flags.insert(kModelFlags.begin(), kModelFlags.end());
  value_flags.insert(kBackendFlags.begin(), kBackendFlags.end());
  std::set<std::string> switches = {"--json", "--progress", "--step-profile"};
  switches.insert(kBackendSwitches.begin(), kBackendSwitches.end());
  Arguments args(raw, value_flags, switches);
  if (args.has("--help")) {
    std::printf(kHelp, model_flags_help(), backends_help());
    return kOk;
  }
  bool json = args.has("--json");
  auto backend = make_backend(args);
  if (args.has("--gemm")) return run_gemm_bench(*backend, args.get_int("--gemm", 1024, 1, 16384), json);

  ModelSource source = resolve_model(args);
  Job job;
  job.spec = source.spec;
  job.weights = source.weights;
  job.seed = static_cast<uint64_t>(args.get_int("--seed", 1, 0, INT64_MAX));
  job.run_id = new_run_id();
  if (args.has("--protocol")) {
    job.protocol = protocol_option(args);
  } else {
    job.protocol.batch_size = args.get_int("--batch", 64, 1, 1 << 16);
    job.protocol.phases = args.get_list("--phases", default_phases(source, job.protocol.phases), kBenchPhases);
    job.protocol = job.protocol.scaled(args.get_double("--runs-scale", 1.0, 0.01, 100.0));
  }
  job.data = data_option(args, job.spec);
  job.config = source.config;
  job.config["batch"] = job.protocol.batch_size;
  job.config["threads"] = backend_threads(*backend);

  NativeRunner runner(*backend);
  if (args.has("--progress")) {
    if (!json) throw UsageError("--progress needs --json");
    runner.set_progress_sink([](const ProgressEvent& e) { print_json_line(progress_to_json(e)); });
  }
  if (json) print_json_line(run_metadata(job.run_id));
  auto records = runner.run(job, [&](const Measurement& m) {
    if (json) print_json_line(to_json(m));
  });
  if (!json) {
    std::printf("%s on %s — %s\n", job.spec.name.c_str(), backend_summary(*backend).c_str(),
                cpu_model_name().c_str());
    print_measurement_table(records);
    gpu::print_kernel_table(*backend);
  }
  if (args.has("--step-profile")) print_step_profile(*backend, job, json);
  return kOk;
}

}  // namespace gapscope::cli

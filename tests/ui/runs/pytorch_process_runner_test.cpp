// pytorch-cpu through its real path: the runner script in Debian's
// python3-torch, in a child process, against native-cpu's predictions on the
// same weights and rows; its records; its refusals.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <set>

#include "core/measure/synthetic_data.h"
#include "core/nn/initial_weights.h"
#include "core/nn/model.h"
#include "core/ops/cpu/cpu_backend.h"
#include "core/spec/presets.h"
#include "ui/runs/pytorch_process_runner.h"

namespace gapscope::test {
namespace {

Job job_of(const ModelSpec& spec, int64_t rows) {
  Job job;
  job.spec = spec;
  job.seed = 7;
  job.weights = initial_weights(spec, job.seed);
  CpuBackend cpu(1);
  const Model model(spec, cpu, job.seed, &*job.weights);
  job.data = std::make_shared<SyntheticData>(model, rows, 99);
  job.protocol.batch_size = 8;
  job.protocol.load_warmup = 1;
  job.protocol.load_runs = 3;
  job.protocol.warmup_runs = 3;
  job.protocol.infer_warmup = 2;
  job.protocol.infer_runs = 5;
  job.protocol.train_warmup = 1;
  job.protocol.train_runs = 3;
  job.protocol.phases = {"load", "warmup", "infer", "train"};
  job.config = {{"preset", spec.name}};
  return job;
}

// Scoped environment variable.
struct EnvOverride {
  std::string name;
  EnvOverride(std::string n, const char* value) : name(std::move(n)) { setenv(name.c_str(), value, 1); }
  ~EnvOverride() { unsetenv(name.c_str()); }
};

}  // namespace

TEST_CASE("pytorch-cpu predicts what native-cpu predicts on the paper's three models", "[pytorch]") {
  const auto spec = GENERATE(as<std::string>{}, "paper-dnn", "paper-cnn", "paper-rnn");
  DYNAMIC_SECTION(spec) {
    const ModelSpec model_spec = make_preset(spec, 2, 6, spec == "paper-rnn" ? 20 : 0, spec == "paper-rnn" ? 5 : 0);
    const int64_t rows = 4;
    const Job job = job_of(model_spec, rows);
    CpuBackend cpu(1);
    Model model(model_spec, cpu, job.seed, &*job.weights);
    std::vector<float> native(static_cast<size_t>(rows * model.output_size()));
    model.predict(job.data->x, rows, native);

    ui::PyTorchProcessRunner runner(1);
    const std::vector<float> torch = runner.predict(job, rows);
    REQUIRE(torch.size() == native.size());
    for (size_t i = 0; i < native.size(); ++i)
      REQUIRE(std::fabs(torch[i] - native[i]) <= 1e-4 * std::fabs(native[i]) + 1e-5);
  }
}

TEST_CASE("pytorch-cpu times every phase and says what ran", "[pytorch]") {
  const Job job = job_of(make_preset("paper-rnn", 1, 4, 12, 6), 16);
  ui::PyTorchProcessRunner runner(2);
  std::vector<ProgressEvent> progress;
  runner.set_progress_sink([&](const ProgressEvent& e) { progress.push_back(e); });
  std::vector<Measurement> streamed;
  const auto records = runner.run(job, [&](const Measurement& m) { streamed.push_back(m); });
  CHECK(streamed.size() == records.size());
  std::set<std::string> phases;
  for (const Measurement& m : records) {
    phases.insert(m.phase);
    CHECK(m.backend == "pytorch-cpu");
    CHECK(m.config["threads"] == 2);
    CHECK(m.config["preset"] == "paper-rnn-1x4");
    CHECK(m.capabilities.at("framework") == "PyTorch");
    CHECK(m.capabilities.at("threads") == "2");
    CHECK(m.capabilities.at("lstm") == "a loop over time steps (hard_sigmoid gates)");
    if (m.phase == "train") {
      CHECK(m.samples.size() == 3);
      CHECK(m.warmup == 1);
    }
    if (m.phase == "infer") CHECK(m.samples.size() == 5);
    if (m.phase == "cpu_utilisation") CHECK(m.details["wall_seconds"].get<double>() >= 0.3);
    for (double sample : m.samples) CHECK(sample > 0);
  }
  CHECK(phases == std::set<std::string>{"load", "warmup", "infer", "train", "cpu_utilisation", "memory"});
  REQUIRE_FALSE(progress.empty());
  CHECK(progress.back().phase == "train");
  CHECK(std::isfinite(progress.back().loss));
}

TEST_CASE("pytorch-cpu refuses what it cannot build, and says when PyTorch is missing", "[pytorch]") {
  SECTION("a layer it does not build: unsupported, naming the layer") {
    ModelSpec spec = make_preset("paper-dnn", 1, 4);
    LayerSpec norm;
    norm.type = "layer_normalization";
    norm.name = "norm_1";
    spec.layers.insert(spec.layers.begin() + 1, norm);
    const Job job = job_of(spec, 8);
    ui::PyTorchProcessRunner runner(1);
    try {
      runner.run(job, nullptr);
      FAIL("ran a model with layer_normalization");
    } catch (const RunFailed& e) {
      CHECK(e.reason() == "unsupported");
      CHECK_THAT(e.what(), Catch::Contains("layer 'norm_1': type 'layer_normalization'") &&
                               Catch::Contains("pytorch-cpu builds conv2d, dense"));
    }
  }
  SECTION("no python with torch: unavailable, with what to install") {
    const EnvOverride python("GAPSCOPE_PYTHON", "/nonexistent/python3");
    ui::PyTorchProcessRunner runner(1);
    try {
      runner.run(job_of(make_preset("paper-dnn", 1, 4), 8), nullptr);
      FAIL("ran without python");
    } catch (const RunFailed& e) {
      CHECK(e.reason() == "unavailable");
      CHECK_THAT(e.what(), Catch::Contains("/nonexistent/python3") && Catch::Contains("apt install python3-torch"));
    }
  }
}

}  // namespace gapscope::test

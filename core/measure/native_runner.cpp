#include "core/measure/native_runner.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>

#include "core/base/scratch_directory.h"
#include "core/io/model_file.h"
#include "core/measure/cpu_utilisation.h"
#include "core/measure/process_stats.h"
#include "core/measure/synthetic_data.h"
#include "core/nn/model.h"
#include "core/nn/training_fit.h"

namespace gapscope {
namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

double elapsed_ms(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

class PhaseRunner {
 public:
  PhaseRunner(OpsBackend& ops, const Job& job, const MeasurementSink& sink, const ProgressSink& progress)
      : ops_(ops), job_(job), sink_(sink), progress_(progress) {}

  std::vector<Measurement> run() {
    Model model(job_.spec, ops_, job_.seed, job_.weights ? &*job_.weights : nullptr);
    if (job_.data) check_rows_fit(*job_.data, model);
    ModelFile file{job_.spec, model.weights()};
    std::string native_path = (scratch_.path() / "model.gsm").string();
    save_model(native_path, file, ModelFormat::native_binary);
    const Protocol& p = job_.protocol;
    if (p.wants("file_size")) measure_file_sizes(file, native_path);
    if (p.wants("load")) measure_load(native_path);
    if (p.wants("warmup")) measure_warmup(native_path);
    if (p.wants("infer")) measure_infer(model);
    if (p.wants("train")) measure_train(model);
    emit(make_measurement("memory", "bytes", {static_cast<double>(peak_rss_bytes())}));
    if (const uint64_t device = ops_.device_memory_peak_bytes())
      emit(make_measurement("device_memory", "bytes", {static_cast<double>(device)}));
    return records_;
  }

 private:
  // Every run of a training step; about 20 times per other phase.
  void report(const char* phase, int64_t step, int64_t steps, double ms, double loss = NAN, double accuracy = NAN) {
    if (!progress_ || (std::string(phase) != "train" && step % std::max<int64_t>(1, steps / 20) != 0 && step != steps))
      return;
    ProgressEvent e;
    e.phase = phase;
    e.step = step;
    e.steps = steps;
    e.ms = ms;
    e.loss = loss;
    e.accuracy = accuracy;
    progress_(e);
  }

  void emit(Measurement m, int64_t warmup = 0) {
    m.run_id = job_.run_id;
    m.backend = ops_.id();
    m.model = job_.spec.name;
    m.config = job_.config;
    m.warmup = warmup;
    m.capabilities = ops_.capabilities();
    if (sink_) sink_(m);
    records_.push_back(std::move(m));
  }

  void measure_file_sizes(const ModelFile& file, const std::string& native_path) {
    std::string json_path = (scratch_.path() / "model.json-weights.json").string();
    fs::create_directories(scratch_.path() / "tfjs");
    std::string tfjs_path = (scratch_.path() / "tfjs" / "model.json").string();
    save_model(json_path, file, ModelFormat::json);
    save_model(tfjs_path, file, ModelFormat::tfjs_layers);
    std::pair<ModelFormat, std::string> files[] = {{ModelFormat::native_binary, native_path},
                                                   {ModelFormat::json, json_path},
                                                   {ModelFormat::tfjs_layers, tfjs_path}};
    for (auto& [format, path] : files) {
      Measurement m = make_measurement("file_size", "bytes",
                                       {static_cast<double>(model_file_bytes(path, format))});
      m.format = model_format_name(format);
      emit(std::move(m));
    }
    // file_load: each file loaded as `load` loads the native one (finding 6:
    // what a format costs to read, at the zoo's scale). A few runs: a JSON
    // ResNet50 takes seconds to parse.
    int done = 0;
    for (auto& [format, path] : files) {
      Measurement m = make_measurement("file_load", "ms", time_loads(path, nullptr, 0, kFileLoadRuns));
      m.format = model_format_name(format);
      const double median = m.summary.median;
      emit(std::move(m));
      done += kFileLoadRuns;
      report("file_size", done, kFileSizeProgressSteps, median);
    }
  }

  // Loads the file warmup + runs times (parse, build, upload); the times after
  // the warm-up, each reported as progress of `phase` unless it is null.
  std::vector<double> time_loads(const std::string& path, const char* phase, int warmup, int runs) {
    std::vector<double> samples;
    for (int i = 0; i < warmup + runs; ++i) {
      auto start = Clock::now();
      ModelFile loaded = load_model(path);
      Model model(std::move(loaded.spec), ops_, job_.seed, &loaded.weights);
      ops_.synchronize();
      double ms = elapsed_ms(start);
      if (i >= warmup) samples.push_back(ms);
      if (phase) report(phase, i + 1, warmup + runs, ms);
    }
    return samples;
  }

  // load: bytes on disk (native binary) -> model ready on the backend (parse, build, upload).
  void measure_load(const std::string& path) {
    const Protocol& p = job_.protocol;
    emit(make_measurement("load", "ms", time_loads(path, "load", p.load_warmup, p.load_runs)), p.load_warmup);
  }

  // warmup: the first inference of a freshly loaded model (buffers, caches cold).
  void measure_warmup(const std::string& path) {
    const Protocol& p = job_.protocol;
    std::vector<double> samples;
    ModelFile loaded = load_model(path);
    for (int i = 0; i < p.warmup_runs; ++i) {
      Model model(loaded.spec, ops_, job_.seed, &loaded.weights);
      SyntheticData data(model, 1, job_.seed + static_cast<uint64_t>(i));
      std::vector<float> out(static_cast<size_t>(model.output_size()));
      auto start = Clock::now();
      model.predict(data.sample(model, 0), 1, out);
      samples.push_back(elapsed_ms(start));
      report("warmup", i + 1, p.warmup_runs, samples.back());
    }
    emit(make_measurement("warmup", "ms", std::move(samples)));
  }

  // infer: one sample (batch 1) in steady state, output read back.
  void measure_infer(Model& model) {
    const Protocol& p = job_.protocol;
    const SyntheticData synthetic(model, job_.data ? 1 : 256, job_.seed + kInferDataSeedOffset);
    const DataRows& data = job_.data ? *job_.data : synthetic;
    std::vector<float> out(static_cast<size_t>(model.output_size()));
    std::vector<double> samples;
    samples.reserve(static_cast<size_t>(p.infer_runs));
    for (int i = 0; i < p.infer_warmup + p.infer_runs; ++i) {
      auto start = Clock::now();
      model.predict(data.sample(model, i), 1, out);
      double ms = elapsed_ms(start);
      if (i >= p.infer_warmup) samples.push_back(ms);
      report("infer", i + 1, p.infer_warmup + p.infer_runs, ms);
    }
    emit(make_measurement("infer", "ms", std::move(samples)), p.infer_warmup);
  }

  // train: one batch in steady state: stage, forward, backward, update, loss read back.
  void measure_train(Model& model) {
    const Protocol& p = job_.protocol;
    int64_t batch = p.batch_size;
    check_training_fits_machine(model, batch);
    const SyntheticData synthetic(model, job_.data ? 1 : batch * kTrainDataBatches, job_.seed + kTrainDataSeedOffset);
    const DataRows& data = job_.data ? *job_.data : synthetic;
    const int64_t batches = data.rows / batch;
    if (batches < 1)
      throw std::invalid_argument("training needs a whole batch: the data has " + std::to_string(data.rows) +
                                  " rows, the batch is " + std::to_string(batch));
    std::vector<double> samples;
    UtilisationWindow utilisation;
    // The timed steps, then untimed ones until the utilisation window is long enough.
    int i = 0;
    for (; i < p.train_warmup + p.train_runs || !utilisation.long_enough(); ++i) {
      if (i == p.train_warmup) utilisation.start();
      int64_t b = i % batches;
      auto x = std::span<const float>(data.x).subspan(static_cast<size_t>(b * batch * model.input_size()),
                                                      static_cast<size_t>(batch * model.input_size()));
      auto t = std::span<const float>(data.target)
                   .subspan(static_cast<size_t>(b * batch * model.target_size()),
                            static_cast<size_t>(batch * model.target_size()));
      auto start = Clock::now();
      model.stage_batch(x, t, batch);
      model.train_step();
      const float loss = model.read_loss();
      double ms = elapsed_ms(start);
      if (i >= p.train_warmup + p.train_runs) continue;
      if (i >= p.train_warmup) samples.push_back(ms);
      // Accuracy is read after the clock stopped (one more download).
      if (progress_)
        report("train", i + 1, p.train_warmup + p.train_runs, ms, loss,
               static_cast<double>(model.read_correct()) /
                   static_cast<double>(batch * model.predictions_per_sample()));
    }
    // CPU utilisation during training: process CPU time / wall time (2.0 = two busy cores).
    Measurement cpu = utilisation.finish("training_steps");
    cpu.details["steps"] = i - p.train_warmup;
    emit(make_measurement("train", "ms", std::move(samples)), p.train_warmup);
    emit(std::move(cpu));
  }

  OpsBackend& ops_;
  const Job& job_;
  const MeasurementSink& sink_;
  const ProgressSink& progress_;
  ScratchDirectory scratch_{"gapscope-bench-"};  // model files for the load and size phases
  std::vector<Measurement> records_;
};

}  // namespace

Protocol Protocol::scaled(double factor) const {
  auto scale = [factor](int runs) { return std::max(3, static_cast<int>(runs * factor)); };
  Protocol p = *this;
  p.load_runs = scale(load_runs);
  p.warmup_runs = scale(warmup_runs);
  p.infer_runs = scale(infer_runs);
  p.train_runs = scale(train_runs);
  return p;
}

bool Protocol::wants(const std::string& phase) const {
  return std::find(phases.begin(), phases.end(), phase) != phases.end();
}

std::vector<Measurement> NativeRunner::run(const Job& job, const MeasurementSink& sink) {
  return PhaseRunner(ops_, job, sink, progress_).run();
}

}  // namespace gapscope

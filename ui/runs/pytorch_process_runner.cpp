#include "ui/runs/pytorch_process_runner.h"

#include <filesystem>
#include <fstream>
#include <thread>

#include <QCoreApplication>
#include <QFileInfo>
#include <QStandardPaths>

#include "core/base/scratch_directory.h"
#include "core/measure/cpu_utilisation.h"
#include "core/measure/exit_code.h"
#include "core/measure/protocol_json.h"
#include "core/measure/synthetic_data.h"
#include "core/nn/initial_weights.h"
#include "core/ops/cpu/cpu_backend.h"
#include "ui/runs/json_lines_child.h"

namespace gapscope::ui {
namespace {

namespace fs = std::filesystem;

void write_floats(const fs::path& path, const std::vector<float>& values) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(values.data()), static_cast<std::streamsize>(values.size() * sizeof(float)));
  if (!out) throw RunFailed("pytorch_failed", "pytorch-cpu: cannot write " + path.string());
}

// The spec as JSON and the weights as one float32 file: what the script
// loads in its load phase (no JSON-encoded numbers to parse, as torch.load).
void write_model(const fs::path& dir, const ModelSpec& spec, const WeightSet& weights) {
  nlohmann::json manifest = nlohmann::json::array();
  std::vector<float> values;
  for (const NamedArray& w : weights) {
    manifest.push_back({{"name", w.name}, {"shape", w.shape}, {"offset", values.size()}});
    values.insert(values.end(), w.values.begin(), w.values.end());
  }
  std::ofstream(dir / "model.json") << nlohmann::json{{"spec", model_spec_to_json(spec)}, {"weights", manifest}}.dump();
  write_floats(dir / "weights.f32", values);
}

}  // namespace

QString find_python_for_torch() {
  const QString from_env = qEnvironmentVariable("GAPSCOPE_PYTHON");
  if (!from_env.isEmpty()) return from_env;
  if (QFileInfo("/usr/bin/python3").isExecutable()) return "/usr/bin/python3";
  return QStandardPaths::findExecutable("python3");
}

QString find_torch_runner_script() {
  const QString from_env = qEnvironmentVariable("GAPSCOPE_PYTORCH_RUNNER");
  QStringList candidates;
  if (!from_env.isEmpty()) {
    candidates << from_env;
  } else {
    const QString exe_dir = QCoreApplication::applicationDirPath();
    for (const QString& share : {exe_dir + "/share", exe_dir + "/../share"})
      candidates << share + "/gapscope/pytorch/gapscope_torch_runner.py";
  }
  for (const QString& candidate : candidates)
    if (QFileInfo::exists(candidate)) return candidate;
  throw RunFailed("unavailable", "pytorch-cpu: cannot find gapscope_torch_runner.py (looked in " +
                                     candidates.join(", ").toStdString() +
                                     "; build the project, which copies resources/pytorch there, or set "
                                     "GAPSCOPE_PYTORCH_RUNNER)");
}

PyTorchProcessRunner::PyTorchProcessRunner(int threads)
    : threads_(threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()))) {}

std::vector<Measurement> PyTorchProcessRunner::run(const Job& job, const MeasurementSink& sink) {
  return run_child(job, 0, sink, nullptr);
}

std::vector<float> PyTorchProcessRunner::predict(const Job& job, int64_t rows) {
  std::vector<float> predictions;
  run_child(job, rows, nullptr, &predictions);
  return predictions;
}

std::vector<Measurement> PyTorchProcessRunner::run_child(const Job& job, int64_t predict_rows,
                                                         const MeasurementSink& sink, std::vector<float>* predictions) {
  cancelled_ = false;
  const QString script = find_torch_runner_script();
  const ScratchDirectory scratch("gapscope-pytorch-job-");
  const WeightSet weights = job.weights ? *job.weights : initial_weights(job.spec, job.seed);
  write_model(scratch.path(), job.spec, weights);

  // The rows the browser backends get: the job's, or the native training rows (same seed).
  CpuBackend cpu(1);
  const Model model(job.spec, cpu, job.seed, &weights);
  const SyntheticData synthetic(model, job.data ? 1 : job.protocol.batch_size * kTrainDataBatches,
                                job.seed + kTrainDataSeedOffset);
  const DataRows& data = job.data ? *job.data : synthetic;
  if (job.data) check_rows_fit(data, model);
  write_floats(scratch.path() / "x.f32", data.x);
  write_floats(scratch.path() / "target.f32", data.target);

  nlohmann::json task = {{"model", (scratch.path() / "model.json").string()},
                         {"weights", (scratch.path() / "weights.f32").string()},
                         {"x", (scratch.path() / "x.f32").string()},
                         {"target", (scratch.path() / "target.f32").string()},
                         {"rows", data.rows},
                         {"protocol", protocol_to_json(job.protocol)},
                         {"threads", threads_},
                         {"seed", job.seed},
                         {"progress", static_cast<bool>(progress_)}};
  if (predict_rows > 0) task["predict"] = std::min(predict_rows, data.rows);
  std::ofstream(scratch.path() / "job.json") << task.dump();

  std::vector<Measurement> records;
  Capabilities capabilities;
  std::string unsupported;
  auto emit = [&](Measurement m, int64_t warmup = 0) {
    m.run_id = job.run_id;
    m.backend = backend_id();
    m.model = job.spec.name;
    m.config = job.config;
    m.config["threads"] = threads_;
    m.warmup = warmup;
    m.capabilities = capabilities;
    if (sink) sink(m);
    records.push_back(std::move(m));
  };
  const ChildOutcome child = run_json_lines_child(
      find_python_for_torch(), {script, QString::fromStdString((scratch.path() / "job.json").string())}, cancelled_,
      [&](const nlohmann::json& record) {
        const std::string kind = record.value("kind", "");
        if (kind == "progress") {
          report(progress_from_json(record));
        } else if (kind == "capabilities") {
          for (const auto& [key, value] : record.items())
            if (key != "kind" && value.is_string()) capabilities[key] = value.get<std::string>();
        } else if (kind == "samples") {
          emit(make_measurement(record.at("phase"), record.at("unit"), record.at("samples")), record.value("warmup", 0));
        } else if (kind == "cpu_utilisation") {
          Measurement m = cpu_utilisation_measurement(record.at("cpu_seconds"), record.at("wall_seconds"),
                                                      "training_steps");
          m.details["steps"] = record.value("steps", 0);
          emit(std::move(m));
        } else if (kind == "memory") {
          emit(make_measurement("memory", "bytes", {record.at("bytes").get<double>()}));
        } else if (kind == "predictions" && predictions) {
          *predictions = record.at("values").get<std::vector<float>>();
        } else if (kind == "unsupported") {
          unsupported = record.value("message", "");
        }
      });

  const std::string who = "pytorch-cpu (" + find_python_for_torch().toStdString() + ")";
  if (!child.started) throw RunFailed("unavailable", who + ": cannot start it: apt install python3-torch");
  if (child.cancelled) throw RunFailed("cancelled", "pytorch-cpu: cancelled");
  if (!child.crashed && child.exit_code == kUnavailable) throw RunFailed("unavailable", who + ": " + child.errors);
  if (!child.crashed && child.exit_code == kBadInput && !unsupported.empty())
    throw RunFailed("unsupported", "unsupported by PyTorch: " + unsupported);
  if (child.crashed || child.exit_code != 0)
    throw RunFailed("pytorch_failed",
                    who + " " + child.how_it_ended() + (child.errors.empty() ? "" : ": " + child.errors));
  return records;
}

}  // namespace gapscope::ui

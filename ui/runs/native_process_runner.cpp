#include "ui/runs/native_process_runner.h"

#include <filesystem>
#include <fstream>

#include <QCoreApplication>
#include <QFileInfo>
#include <QStandardPaths>

#include "core/measure/exit_code.h"
#include "core/base/scratch_directory.h"
#include "core/io/model_file.h"
#include "core/measure/protocol_json.h"
#include "core/measure/synthetic_data.h"
#include "core/nn/initial_weights.h"
#include "ui/runs/json_lines_child.h"

namespace gapscope::ui {
namespace {

namespace fs = std::filesystem;

}  // namespace

QString find_native_executable() {
  const QString beside = QCoreApplication::applicationDirPath() + "/gapscope-native";
  if (QFileInfo(beside).isExecutable()) return beside;
  const QString from_env = qEnvironmentVariable("GAPSCOPE_NATIVE");
  if (!from_env.isEmpty() && QFileInfo(from_env).isExecutable()) return from_env;
  const QString on_path = QStandardPaths::findExecutable("gapscope-native");
  if (!on_path.isEmpty()) return on_path;
  throw std::runtime_error("cannot find gapscope-native (looked beside " +
                           QCoreApplication::applicationFilePath().toStdString() +
                           ", in $GAPSCOPE_NATIVE and on PATH)");
}

NativeProcessRunner::NativeProcessRunner(std::string backend_id, int threads)
    : backend_id_(std::move(backend_id)), threads_(threads) {}

std::vector<Measurement> NativeProcessRunner::run(const Job& job, const MeasurementSink& sink) {
  cancelled_ = false;
  const ScratchDirectory scratch("gapscope-native-job-");
  const fs::path model_path = scratch.path() / "model.gsm";
  const WeightSet weights = job.weights ? *job.weights : initial_weights(job.spec, job.seed);
  save_model(model_path.string(), ModelFile{job.spec, weights}, ModelFormat::native_binary);

  const QString program = find_native_executable();
  const bool cpu = backend_id_ == "native-cpu";
  QStringList arguments = {"bench", "--json", "--backend", QString::fromStdString(backend_id_), "--model",
                           QString::fromStdString(model_path.string()), "--seed", QString::number(job.seed),
                           "--protocol", QString::fromStdString(protocol_to_json(job.protocol).dump())};
  // Threads are native-cpu's; the GPU backend records from one host thread.
  if (cpu) arguments << "--threads" << QString::number(threads_);
  if (progress_) arguments << "--progress";
  if (job.data) {
    // The workbench's real rows travel as raw float32 files beside the model.
    const auto write = [&](const std::vector<float>& values, const char* name) {
      const fs::path path = scratch.path() / name;
      std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(values.data()),
                                                  static_cast<std::streamsize>(values.size() * sizeof(float)));
      return QString::fromStdString(path.string());
    };
    arguments << "--data-x" << write(job.data->x, "x.f32") << "--data-target" << write(job.data->target, "target.f32")
              << "--data-rows" << QString::number(job.data->rows);
  }

  std::vector<Measurement> records;
  const ChildOutcome child = run_json_lines_child(program, arguments, cancelled_, [&](const nlohmann::json& record) {
    if (record.value("kind", "") == "progress") {
      report(progress_from_json(record));
      return;
    }
    if (record.value("kind", "") != "measurement") return;
    Measurement m = measurement_from_json(record);
    m.run_id = job.run_id;  // the caller's run and configuration, not the child's scratch file
    m.config = job.config;
    m.config["threads"] = cpu ? threads_ : 1;
    m.model = job.spec.name;
    if (sink) sink(m);
    records.push_back(std::move(m));
  });

  if (!child.started) throw RunFailed("native_failed", backend_id_ + ": cannot start " + program.toStdString());
  if (child.cancelled) throw RunFailed("cancelled", backend_id_ + ": cancelled");
  if (!child.crashed && child.exit_code == kUnavailable) throw RunFailed("unavailable", backend_id_ + ": " + child.errors);
  if (child.crashed || child.exit_code != 0)
    throw RunFailed("native_failed", backend_id_ + ": gapscope-native " + child.how_it_ended() +
                                         (child.errors.empty() ? "" : ": " + child.errors));
  return records;
}

}  // namespace gapscope::ui

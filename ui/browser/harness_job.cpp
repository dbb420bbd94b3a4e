#include "ui/browser/harness_job.h"

#include <filesystem>
#include <fstream>
#include <iterator>

#include <QByteArray>

#include "core/base/json_text.h"
#include "core/io/model_file.h"
#include "core/measure/protocol_json.h"
#include "core/measure/synthetic_data.h"
#include "core/nn/initial_weights.h"
#include "core/nn/model.h"
#include "core/ops/cpu/cpu_backend.h"

namespace gapscope::browser {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string base64_of(const void* data, size_t bytes) {
  return QByteArray::fromRawData(static_cast<const char*>(data), static_cast<qsizetype>(bytes)).toBase64().toStdString();
}

// The TF.js files of `model`, saved by core/io into a scratch directory:
// model.json, and every shard's bytes in manifest order.
struct TfjsFiles {
  nlohmann::json model_json;
  std::string weight_bytes;
  int64_t total_bytes = 0;
};

TfjsFiles save_as_tfjs(const ModelFile& model) {
  const fs::path dir = fs::temp_directory_path() / ("gapscope-browser-" + new_run_id());
  fs::create_directories(dir);
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code ignored;
      fs::remove_all(dir, ignored);
    }
  } cleanup{dir};
  const fs::path model_path = dir / "model.json";
  save_model(model_path.string(), model, ModelFormat::tfjs_layers);
  TfjsFiles files;
  files.model_json = parse_json_text(read_file(model_path));
  for (const auto& group : files.model_json.at("weightsManifest"))
    for (const auto& shard : group.at("paths")) files.weight_bytes += read_file(dir / shard.get<std::string>());
  files.total_bytes = model_file_bytes(model_path.string(), ModelFormat::tfjs_layers);
  return files;
}

}  // namespace

HarnessJob make_harness_job(const Job& job, const std::string& backend, const HarnessJobOptions& options) {
  CpuBackend cpu(1);
  const WeightSet weights = job.weights ? *job.weights : initial_weights(job.spec, job.seed);
  Model model(job.spec, cpu, job.seed, &weights);
  const TfjsFiles files = save_as_tfjs(ModelFile{job.spec, weights});

  // The job's rows, or the native training rows (same seed); the harness also
  // takes its inference samples from them.
  const SyntheticData synthetic(model, job.data ? 1 : job.protocol.batch_size * kTrainDataBatches,
                                job.seed + kTrainDataSeedOffset);
  const DataRows& data = job.data ? *job.data : synthetic;
  if (job.data) check_rows_fit(data, model);
  const int64_t rows = data.rows;

  nlohmann::json harness_job = {
      {"run_id", job.run_id},
      {"backend", backend},
      {"spec", model_spec_to_json(job.spec)},
      {"model_json", files.model_json},
      {"data", {{"rows", rows}}},
      {"protocol", protocol_to_json(job.protocol)},
      {"config", job.config.is_object() ? job.config : nlohmann::json::object()}};
  const auto floats = [](const std::vector<float>& v) {
    return QByteArray(reinterpret_cast<const char*>(v.data()), static_cast<qsizetype>(v.size() * sizeof(float)));
  };
  if (options.publish) {
    const QByteArray weights(files.weight_bytes.data(), static_cast<qsizetype>(files.weight_bytes.size()));
    harness_job["weights_url"] = options.publish("weights.bin", weights).toStdString();
    harness_job["data"]["x_url"] = options.publish("x.f32", floats(data.x)).toStdString();
    harness_job["data"]["y_url"] = options.publish("y.f32", floats(data.target)).toStdString();
  } else {
    harness_job["weights_base64"] = base64_of(files.weight_bytes.data(), files.weight_bytes.size());
    harness_job["data"]["x_base64"] = base64_of(data.x.data(), data.x.size() * sizeof(float));
    harness_job["data"]["y_base64"] = base64_of(data.target.data(), data.target.size() * sizeof(float));
  }
  if (options.predict_rows > 0) harness_job["predict_rows"] = options.predict_rows;
  if (options.train_steps_check > 0) harness_job["train_steps_check"] = options.train_steps_check;

  HarnessJob out;
  out.json = QString::fromStdString(harness_job.dump());
  out.tfjs_model_bytes = files.total_bytes;
  out.x = data.x;
  out.target = data.target;
  out.rows = rows;
  return out;
}

}  // namespace gapscope::browser

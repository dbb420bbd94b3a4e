#include "core/report/report_vocabulary.h"

#include <algorithm>

#include "core/measure/backend_catalog.h"

namespace gapscope {
namespace {

std::optional<int64_t> config_integer(const nlohmann::json& config, const char* key,
                                      const std::optional<int64_t>& fallback) {
  if (config.is_object()) {
    const auto it = config.find(key);
    if (it != config.end() && it->is_number_integer()) return it->get<int64_t>();
  }
  return fallback;
}

}  // namespace

const std::vector<PhaseInfo>& known_phases() {
  static const std::vector<PhaseInfo> phases = {
      {"load", "Load", "model file bytes on disk (native binary format) to a model ready on the backend: read, parse, build, upload weights", "load time"},
      {"warmup", "Warm-up (first inference)", "the first inference (batch 1) of a freshly loaded model, each sample on a new model", "first inference"},
      {"infer", "Inference", "one inference of a single sample in steady state, output read back to the host", "time per sample"},
      {"train", "Training step", "one training step on one batch in steady state: stage the batch, forward, backward, optimizer update, loss read back", "time per batch"},
      {"file_size", "Model file size", "the size of the saved model per format (TF.js: model.json plus weight shards)", "file size"},
      {"file_load", "Load per format", "each format's model file to a model ready on the backend, as load (native runs)", "load time"},
      {"memory", "Peak memory", "the peak resident set size of the process (VmHWM) at the end of the run; for browser runs, of the page's renderer process", "peak RSS"},
      {"cpu_utilisation", "CPU utilisation", "process CPU time / wall time over the timed training steps (2.0 = two busy cores)", "CPU time / wall time"},
      {"device_memory", "Device memory", "native-vulkan: the peak bytes its tensors held in device memory", "device memory"},
      {"js_memory", "JavaScript memory", "browser runs: the peak tensor bytes TF.js reports, or the JS heap for other frameworks", "JS memory"},
  };
  return phases;
}

PhaseInfo phase_info(const std::string& phase) {
  for (const PhaseInfo& info : known_phases())
    if (info.phase == phase) return info;
  return {phase, phase, "as the runner recorded it", phase};
}

size_t phase_rank(const std::string& phase) {
  const auto& known = known_phases();
  const auto it = std::find_if(known.begin(), known.end(), [&](const PhaseInfo& p) { return p.phase == phase; });
  return static_cast<size_t>(it - known.begin());
}

std::vector<std::string> in_report_order(std::vector<std::string> phases) {
  std::sort(phases.begin(), phases.end(), [](const std::string& a, const std::string& b) {
    return phase_rank(a) != phase_rank(b) ? phase_rank(a) < phase_rank(b) : a < b;
  });
  phases.erase(std::unique(phases.begin(), phases.end()), phases.end());
  return phases;
}

bool backend_before(const std::string& a, const std::string& b) {
  const size_t ra = backend_rank(a), rb = backend_rank(b);
  return ra != rb ? ra < rb : a < b;
}

GridPoint grid_point(const StoredConfiguration& configuration) {
  const nlohmann::json& config = configuration.plan.config;
  GridPoint point;
  const auto preset = config.is_object() ? config.find("preset") : config.end();
  if (config.is_object() && preset != config.end() && preset->is_string())
    point.preset = preset->get<std::string>();
  else
    point.preset = configuration.preset.value_or(configuration.plan.model);
  point.depth = config_integer(config, "depth", configuration.depth);
  point.width = config_integer(config, "width", configuration.width);
  point.batch = config_integer(config, "batch", configuration.batch);
  point.round = config_integer(config, "round", std::nullopt);
  return point;
}

std::string point_label(const std::string& preset, int64_t depth, int64_t width) {
  if (depth <= 0 && width <= 0) return preset;
  return preset + " " + std::to_string(depth) + "×" + std::to_string(width);
}

}  // namespace gapscope

#include "core/analysis/ratio_analysis.h"

#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "core/measure/backend_catalog.h"

namespace gapscope {
namespace {

struct PointKey {
  std::string preset;
  int64_t depth, width;
  std::string backend;
  auto operator<=>(const PointKey&) const = default;
};

int64_t config_int(const nlohmann::json& config, const char* key) {
  auto it = config.find(key);
  return it != config.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

std::string preset_of(const StoredConfiguration& c) {
  auto it = c.plan.config.find("preset");
  return it != c.plan.config.end() && it->is_string() ? it->get<std::string>() : c.plan.model;
}

}  // namespace

std::vector<PooledMeasurement> pool_rounds(const StoredRun& run) {
  using Key = std::tuple<PointKey, std::string, std::string>;  // point, phase, format
  std::map<Key, std::vector<double>> samples;
  std::map<Key, PooledMeasurement> first;
  for (const StoredConfiguration& c : run.configurations) {
    PointKey point{preset_of(c), config_int(c.plan.config, "depth"), config_int(c.plan.config, "width"),
                   c.plan.backend};
    for (const Measurement& m : c.measurements) {
      Key key{point, m.phase, m.format};
      auto& pooled = samples[key];
      pooled.insert(pooled.end(), m.samples.begin(), m.samples.end());
      if (!first.count(key))
        first[key] = {point.preset, point.depth, point.width, point.backend, m.phase, m.format, m.unit, {},
                      m.capabilities};
    }
  }
  std::vector<PooledMeasurement> pooled;
  for (auto& [key, record] : first) {
    record.summary = summarize(samples[key]);
    pooled.push_back(std::move(record));
  }
  return pooled;
}

RatioAnalysis analyse_ratios(const StoredRun& run, const RatioOptions& options) {
  RatioAnalysis analysis;
  std::map<std::tuple<PointKey, std::string>, const PooledMeasurement*> by_phase;
  const auto pooled = pool_rounds(run);
  std::set<std::string> backends;
  bool real_gpu = false;
  for (const PooledMeasurement& m : pooled) {
    by_phase[{PointKey{m.preset, m.depth, m.width, m.backend}, m.phase}] = &m;
    backends.insert(m.backend);
    if (m.backend == "native-vulkan") {
      auto type = m.capabilities.find("device_type");
      real_gpu = real_gpu || (type != m.capabilities.end() && type->second != "software" && type->second != "cpu");
    }
  }
  auto reference_of = [&](const std::string& backend) {
    if (!options.reference.empty()) return options.reference;
    if (backend == "tfjs-webgl" && real_gpu) return std::string("native-vulkan");
    return std::string("native-cpu");
  };
  if (options.reference.empty() && real_gpu && backends.count("tfjs-webgl"))
    analysis.notes.push_back("tfjs-webgl is divided by native-vulkan (a real GPU), the other browser backends by "
                             "native-cpu");

  int64_t unmatched = 0;
  for (const auto& [key, browser] : by_phase) {
    const auto& [point, phase] = key;
    if (!is_browser_backend(point.backend) || (phase != "train" && phase != "infer")) continue;
    PointKey native_point = point;
    native_point.backend = reference_of(point.backend);
    auto native = by_phase.find({native_point, phase});
    const double browser_ms = browser->summary.median;
    if (native == by_phase.end() || native->second->summary.n == 0 || browser->summary.n == 0 ||
        !(native->second->summary.median > 0) || !(browser_ms > 0)) {
      ++unmatched;
      continue;
    }
    const double native_ms = native->second->summary.median;
    analysis.points.push_back({point.preset, point.depth, point.width, point.backend, native_point.backend, phase,
                               browser_ms, native_ms, browser_ms / native_ms});
  }
  if (unmatched)
    analysis.notes.push_back(std::to_string(unmatched) +
                             " browser measurement(s) had no native counterpart at the same point and were left out");
  if (analysis.points.size() < 2) return analysis;

  std::set<std::string> presets;
  for (const RatioPoint& p : analysis.points) presets.insert(p.preset);
  std::vector<Factor> factors = {{"backend", true}, {"task", true}, {"depth", false}, {"width", false}};
  if (presets.size() > 1) factors.push_back({"model", true});
  std::vector<Sample> samples;
  for (const RatioPoint& p : analysis.points) {
    Sample s;
    s.values = {p.backend, p.task, static_cast<double>(p.depth), static_cast<double>(p.width)};
    if (presets.size() > 1) s.values.emplace_back(p.preset);
    s.target = std::log10(p.ratio);
    samples.push_back(std::move(s));
  }
  analysis.tree = RegressionTree::fit(factors, samples);
  return analysis;
}

}  // namespace gapscope

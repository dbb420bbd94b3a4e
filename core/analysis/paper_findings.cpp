#include "core/analysis/paper_findings.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <tuple>

#include "core/measure/backend_catalog.h"
#include "core/measure/statistics.h"

namespace gapscope {

bool is_software_renderer(const std::string& renderer) {
  std::string lower = renderer;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char ch) { return std::tolower(ch); });
  for (const char* software : {"llvmpipe", "swiftshader", "softpipe", "software"})
    if (lower.find(software) != std::string::npos) return true;
  return false;
}

namespace {

// ------------------------------------------------------------------ data --

struct GridPoint {
  std::string preset;
  int64_t depth = 0, width = 0;
  auto operator<=>(const GridPoint&) const = default;
};

std::string name_of(const GridPoint& p) {
  if (p.depth == 0 && p.width == 0) return p.preset;  // a model file, not a preset
  return p.preset + " " + std::to_string(p.depth) + "x" + std::to_string(p.width);
}

int64_t config_int(const nlohmann::json& config, const char* key) {
  auto it = config.find(key);
  return it != config.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

GridPoint point_of(const StoredConfiguration& c) {
  GridPoint p;
  auto preset = c.plan.config.find("preset");
  p.preset = c.preset                                               ? *c.preset
             : preset != c.plan.config.end() && preset->is_string() ? preset->get<std::string>()
                                                                    : c.plan.model;
  p.depth = c.depth ? *c.depth : config_int(c.plan.config, "depth");
  p.width = c.width ? *c.width : config_int(c.plan.config, "width");
  return p;
}

// Every round of a (point, backend, phase, format) - in every run given - as
// one sample, and which model families each backend built or could not.
class PooledMeasurements {
 public:
  explicit PooledMeasurements(const std::vector<StoredRun>& runs) {
    for (const StoredRun& run : runs)
      for (const StoredConfiguration& c : run.configurations) add(run, c);
  }

  std::optional<double> median(const GridPoint& p, const std::string& backend, const std::string& phase,
                               const std::string& format = "") const {
    auto it = pools_.find({p, backend, phase, format});
    if (it == pools_.end() || it->second.samples.empty()) return std::nullopt;
    return summarize(it->second.samples).median;
  }

  // What a backend reported active (the first record that says), or "".
  std::string capability(const std::string& backend, const std::string& key) const {
    for (const auto& [k, pool] : pools_) {
      if (k.backend != backend) continue;
      auto it = pool.capabilities.find(key);
      if (it != pool.capabilities.end()) return it->second;
    }
    return "";
  }

  std::set<GridPoint> points() const {
    std::set<GridPoint> points;
    for (const auto& [k, pool] : pools_) points.insert(k.point);
    return points;
  }
  bool measured(const std::string& backend) const {
    return std::any_of(pools_.begin(), pools_.end(), [&](const auto& p) { return p.first.backend == backend; });
  }

  // Model families (presets) a backend was asked for / finished / failed as unsupported.
  std::set<std::string> tried(const std::string& backend) const { return families(tried_, backend); }
  std::set<std::string> built(const std::string& backend) const { return families(built_, backend); }
  std::set<std::string> unsupported(const std::string& backend) const { return families(unsupported_, backend); }

 private:
  struct Key {
    GridPoint point;
    std::string backend, phase, format;
    auto operator<=>(const Key&) const = default;
  };
  struct Pool {
    std::vector<double> samples;
    Capabilities capabilities;
  };
  using Families = std::map<std::string, std::set<std::string>>;

  static std::set<std::string> families(const Families& map, const std::string& backend) {
    auto it = map.find(backend);
    return it == map.end() ? std::set<std::string>{} : it->second;
  }

  void add(const StoredRun& run, const StoredConfiguration& c) {
    const GridPoint point = point_of(c);
    const std::string& backend = c.plan.backend;
    tried_[backend].insert(point.preset);
    if (c.status == ConfigurationStatus::done) built_[backend].insert(point.preset);
    if (c.status == ConfigurationStatus::failed && c.failure_reason == "unsupported")
      unsupported_[backend].insert(point.preset);
    for (const Measurement& m : c.measurements) {
      Pool& pool = pools_[{point, backend, m.phase, m.format}];
      if (pool.capabilities.empty()) pool.capabilities = m.capabilities;
      if (m.samples.empty() && m.summary.n > 0) pool.samples.push_back(m.summary.median);  // a summary-only record
      for (size_t i = 0; i < m.samples.size(); ++i) {
        if (!std::isfinite(m.samples[i]))
          throw std::invalid_argument("run '" + run.summary.id + "', configuration " + std::to_string(c.plan.index) +
                                      " (" + backend + ", " + m.phase + "): sample " + std::to_string(i) +
                                      " is not a finite number");
        pool.samples.push_back(m.samples[i]);
      }
    }
  }

  std::map<Key, Pool> pools_;
  Families tried_, built_, unsupported_;
};

// ---------------------------------------------------------------- words --

std::string fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

// About three significant figures, never in exponent form: 0.0123, 2.13, 98.7, 1234.
std::string figures(double value) {
  const double a = std::fabs(value);
  return fixed(value, a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : a >= 0.1 ? 3 : 4);
}
std::string ms_text(double ms) { return figures(ms) + " ms"; }
std::string times_text(double ratio) { return figures(ratio) + "x"; }
std::string cores_text(double ratio) { return figures(ratio) + " cores"; }
std::string bytes_text(double bytes) {
  if (bytes >= 1024.0 * 1024.0) return figures(bytes / (1024.0 * 1024.0)) + " MiB";
  if (bytes >= 1024.0) return figures(bytes / 1024.0) + " KiB";
  return fixed(bytes, 0) + " bytes";
}

template <class Strings>
std::string join(const Strings& strings, const std::string& separator = ", ") {
  std::string text;
  for (const auto& s : strings) text += (text.empty() ? "" : separator) + s;
  return text;
}

// "tfjs-cpu 12.0x, tfjs-wasm 3.10x": each backend's median of the values.
std::string medians_by_backend(const std::map<std::string, std::vector<double>>& values,
                               std::string (*format)(double)) {
  std::vector<std::string> parts;
  for (const auto& [backend, list] : values) parts.push_back(backend + " " + format(summarize(list).median));
  return join(parts);
}

// Says which of the backends have no measurements at all, or that they were
// never measured at the same points.
std::string what_is_missing(const PooledMeasurements& data, const std::vector<std::string>& backends,
                            const std::string& phase_words) {
  std::vector<std::string> absent;
  for (const std::string& b : backends)
    if (!data.measured(b)) absent.push_back(b);
  if (!absent.empty()) return "the runs have no measurements of " + join(absent, " or ") + ".";
  return "the runs never measured " + join(backends, " and ") + " at the same points (" + phase_words + ").";
}

// ------------------------------------------------------------- verdicts --

// A finding's claim compared on many configurations. It is confirmed when it
// holds on at least 75% of them: a clear majority that a few noisy points on a
// shared machine cannot flip, without the unanimity one outlier would deny.
constexpr double kConfirmedShare = 0.75;

struct Tally {
  int holds = 0, compared = 0;
  std::string example, counterexample;  // the first of each (points come smallest first)

  void add(bool claim_holds, const std::string& text) {
    ++compared;
    if (claim_holds) {
      ++holds;
      if (example.empty()) example = text;
    } else if (counterexample.empty()) {
      counterexample = text;
    }
  }
  Verdict verdict() const {
    if (compared == 0) return Verdict::not_measured;
    return holds >= kConfirmedShare * compared ? Verdict::confirmed : Verdict::not_confirmed;
  }
  // "on 11 of 12 configurations"
  std::string count(const std::string& what) const {
    return "on " + std::to_string(holds) + " of " + std::to_string(compared) + (what.empty() ? "" : " " + what);
  }
  // "(e.g. A; not so at B)"
  std::string examples() const {
    std::vector<std::string> parts;
    if (!example.empty()) parts.push_back("e.g. " + example);
    if (!counterexample.empty()) parts.push_back("not so at " + counterexample);
    return parts.empty() ? "" : " (" + join(parts, "; ") + ")";
  }
};

// A claim of two parts: the main part must be measured; a measured part that
// fails refutes the whole.
Verdict both(Verdict main, Verdict second) {
  if (main == Verdict::not_measured) return Verdict::not_measured;
  if (main == Verdict::not_confirmed || second == Verdict::not_confirmed) return Verdict::not_confirmed;
  return Verdict::confirmed;
}

FindingCheck check_of(int number, Verdict verdict, std::string evidence) {
  return {paper_finding(number), verdict, std::move(evidence)};
}

const std::vector<std::string> kTfjsBackends = framework_backend_ids(kTensorFlowJs);
const std::vector<std::string> kOtherFrameworks = browser_ids_besides(kTensorFlowJs);
const std::vector<std::string> kBrowserBackends = backend_ids(BackendKind::browser);
const std::vector<std::string> kTasks = {"train", "infer"};

// -------------------------------------------------------------- checks --

// Finding 1. Paper: TF.js can build the most kinds of model; each other
// framework only some (Section 3). We use what the runs tried: a framework
// that ran a preset to the end can express it, one that failed with reason
// "unsupported" cannot. The claim holds for a framework that cannot build a
// family TF.js built; it fails for one that built every family TF.js built.
FindingCheck check_tfjs_builds_the_most(const PooledMeasurements& data) {
  std::set<std::string> tfjs_built, tfjs_unsupported, tfjs_tried;
  for (const std::string& b : kTfjsBackends) {
    for (const auto& f : data.built(b)) tfjs_built.insert(f);
    for (const auto& f : data.unsupported(b)) tfjs_unsupported.insert(f);
    for (const auto& f : data.tried(b)) tfjs_tried.insert(f);
  }
  if (tfjs_tried.empty())
    return check_of(1, Verdict::not_measured, "TF.js was not run, so there is nothing to compare the others with.");
  if (tfjs_built.size() < 2)
    return check_of(1, Verdict::not_measured,
                    "TF.js built only " + (tfjs_built.empty() ? std::string("nothing") : join(tfjs_built)) +
                        "; the finding is about which model families each framework can build, so run paper-cnn "
                        "and paper-rnn on every framework.");
  Tally tally;
  std::vector<std::string> notes, untried;
  for (const std::string& framework : kOtherFrameworks) {
    if (data.tried(framework).empty()) {
      untried.push_back(framework);
      continue;
    }
    std::vector<std::string> cannot;
    for (const auto& family : data.unsupported(framework))
      if (tfjs_built.count(family)) cannot.push_back(family);
    const auto built = data.built(framework);
    const bool builds_all = std::includes(built.begin(), built.end(), tfjs_built.begin(), tfjs_built.end());
    if (!cannot.empty()) {
      tally.add(true, framework);
      notes.push_back(framework + " cannot build " + join(cannot));
    } else if (builds_all) {
      tally.add(false, framework);
      notes.push_back(framework + " built all of them too");
    } else {
      notes.push_back(framework + " was not tried on all of them");
    }
  }
  // TF.js can build a family when any of its backends did (e.g. tfjs-wasm
  // lacks a conv2d gradient kernel that tfjs-cpu and tfjs-webgl have).
  std::set<std::string> tfjs_none, tfjs_partly;
  for (const auto& family : tfjs_unsupported) (tfjs_built.count(family) ? tfjs_partly : tfjs_none).insert(family);
  if (!tfjs_none.empty()) notes.push_back("TF.js itself could not build " + join(tfjs_none));
  if (!tfjs_partly.empty()) notes.push_back("some TF.js backends could not build " + join(tfjs_partly) + ", others did");
  if (!untried.empty()) notes.push_back(join(untried) + " not run");
  Verdict verdict = tally.verdict();
  if (verdict == Verdict::confirmed && !tfjs_none.empty()) verdict = Verdict::not_confirmed;
  return check_of(1, verdict,
                  "TF.js built " + join(tfjs_built) + "; " + join(notes, "; ") + " (holds for " +
                      std::to_string(tally.holds) + " of " + std::to_string(tally.compared) +
                      " frameworks that could be judged).");
}

struct Timed {
  std::string backend;
  double ms = 0;
};

std::optional<Timed> fastest(const PooledMeasurements& data, const GridPoint& p,
                             const std::vector<std::string>& backends, const std::string& phase) {
  std::optional<Timed> best;
  for (const std::string& b : backends)
    if (auto ms = data.median(p, b, phase); ms && (!best || *ms < best->ms)) best = Timed{b, *ms};
  return best;
}

// Finding 2. Paper: for small fully connected networks ConvNetJS trains and
// predicts faster than the other browser frameworks (Figures 1 and 4). We
// compare convnetjs's median with the fastest of the paper's other frameworks
// (tfjs-cpu, tfjs-webgl, brainjs, synaptic) on every paper-dnn point of the
// Section 4 size (depth <= 8, width <= 256), train and infer. tfjs-wasm, which
// TF.js did not have then, is reported beside it and not judged.
FindingCheck check_convnetjs_fastest_on_small_dnns(const PooledMeasurements& data) {
  std::vector<std::string> rivals = paper_frameworks();
  std::erase(rivals, "convnetjs");
  Tally tally, beats_wasm;
  for (const GridPoint& p : data.points()) {
    if (p.preset != "paper-dnn" || p.depth > 8 || p.width > 256) continue;
    for (const std::string& task : kTasks) {
      auto convnetjs = data.median(p, "convnetjs", task);
      if (!convnetjs) continue;
      const std::string where = name_of(p) + " " + task + ": convnetjs " + ms_text(*convnetjs) + " vs ";
      if (auto rival = fastest(data, p, rivals, task))
        tally.add(*convnetjs < rival->ms, where + rival->backend + " " + ms_text(rival->ms));
      if (auto wasm = data.median(p, "tfjs-wasm", task)) beats_wasm.add(*convnetjs < *wasm, where + "tfjs-wasm");
    }
  }
  if (tally.compared == 0)
    return check_of(2, Verdict::not_measured,
                    "Needs paper-dnn train or infer times (depth <= 8, width <= 256) of convnetjs and of tfjs-cpu, "
                    "tfjs-webgl, brainjs or synaptic; " +
                        what_is_missing(data, {"convnetjs", "tfjs-cpu"}, "small paper-dnn"));
  std::string evidence = "convnetjs is the fastest of the paper's browser frameworks " +
                         tally.count("small paper-dnn train/infer configurations") + tally.examples() + ".";
  if (beats_wasm.compared)
    evidence += " tfjs-wasm, which the paper did not have, is slower than convnetjs " + beats_wasm.count("") + ".";
  return check_of(2, tally.verdict(), evidence);
}

// Finding 3. Paper: TF.js on the GPU (WebGL) trains and predicts faster than
// on its CPU backend (Figures 1 and 4). We compare tfjs-webgl with tfjs-cpu on
// every point, train and infer. A software renderer (llvmpipe, SwiftShader) is
// no GPU: the finding is then not measured and the numbers only reported.
FindingCheck check_gpu_backend_faster(const PooledMeasurements& data) {
  Tally tally;
  for (const GridPoint& p : data.points())
    for (const std::string& task : kTasks) {
      auto webgl = data.median(p, "tfjs-webgl", task);
      auto cpu = data.median(p, "tfjs-cpu", task);
      if (webgl && cpu)
        tally.add(*webgl < *cpu,
                  name_of(p) + " " + task + ": tfjs-webgl " + ms_text(*webgl) + " vs tfjs-cpu " + ms_text(*cpu));
    }
  if (tally.compared == 0)
    return check_of(3, Verdict::not_measured,
                    "Needs train or infer times of tfjs-webgl and tfjs-cpu; " +
                        what_is_missing(data, {"tfjs-webgl", "tfjs-cpu"}, "train or infer"));
  const std::string renderer = data.capability("tfjs-webgl", "webgl_renderer");
  const std::string summary =
      "tfjs-webgl is faster than tfjs-cpu " + tally.count("train/infer configurations") + tally.examples() + ".";
  if (is_software_renderer(renderer))
    return check_of(3, Verdict::not_measured,
                    "tfjs-webgl ran on a software renderer, not a GPU (" + renderer +
                        "), so the finding cannot be judged here; for the record, " + summary);
  return check_of(3, tally.verdict(), summary + (renderer.empty() ? "" : " WebGL renderer: " + renderer + "."));
}

// Finding 4. Paper: TF.js's binary weight files are much smaller than the JSON
// files the other frameworks save (Table 3), and smaller files load faster
// (Figure 2). We compare per point the TF.js files' size with the JSON file's
// (native-cpu saves the same weights in both), and tfjs-cpu's load time with
// that of the frameworks loading their JSON form (convnetjs, brainjs,
// synaptic). The sizes must be measured; slower loading can refute.
FindingCheck check_binary_files_smaller(const PooledMeasurements& data) {
  Tally sizes, loads;
  for (const GridPoint& p : data.points()) {
    auto json = data.median(p, "native-cpu", "file_size", "json");
    auto tfjs = data.median(p, "native-cpu", "file_size", "tfjs");
    for (const std::string& b : kTfjsBackends)
      if (!tfjs) tfjs = data.median(p, b, "file_size", "tfjs");
    if (json && tfjs) sizes.add(*tfjs < *json, name_of(p) + ": " + bytes_text(*tfjs) + " vs " + bytes_text(*json));
    auto tfjs_load = data.median(p, "tfjs-cpu", "load");
    for (const std::string& framework : kOtherFrameworks)
      if (auto load = data.median(p, framework, "load"); load && tfjs_load)
        loads.add(*tfjs_load < *load,
                  name_of(p) + ": tfjs-cpu " + ms_text(*tfjs_load) + " vs " + framework + " " + ms_text(*load));
  }
  if (sizes.compared == 0)
    return check_of(4, Verdict::not_measured,
                    "Needs the model file sizes in both formats (native-cpu records json, tfjs and native); the runs "
                    "have no point with both a json and a tfjs file_size.");
  std::string evidence = "The TF.js files (binary weights) are smaller than the JSON file " +
                         sizes.count("configurations") + sizes.examples() + ".";
  if (loads.compared)
    evidence += " tfjs-cpu loads faster than the JSON-loading frameworks " + loads.count("comparisons") +
                loads.examples() + ".";
  return check_of(4, both(sizes.verdict(), loads.verdict()), evidence);
}

// Finding 5. Paper: the first prediction after loading is far slower than the
// later ones, most of all on WebGL (Figure 3 against Figure 4). "Far slower"
// is taken as at least twice the steady per-sample inference, on every browser
// backend and point; "most of all on WebGL" as tfjs-webgl's warm-up /
// inference ratio being the largest of the backends at a point.
constexpr double kFarSlower = 2.0;

FindingCheck check_warmup_far_slower(const PooledMeasurements& data) {
  Tally far, webgl_most;
  std::map<std::string, std::vector<double>> ratios;
  for (const GridPoint& p : data.points()) {
    std::map<std::string, double> at_point;
    for (const std::string& b : kBrowserBackends) {
      auto warmup = data.median(p, b, "warmup");
      auto infer = data.median(p, b, "infer");
      if (!warmup || !infer || !(*infer > 0)) continue;
      const double ratio = *warmup / *infer;
      at_point[b] = ratio;
      ratios[b].push_back(ratio);
      far.add(ratio >= kFarSlower, name_of(p) + " " + b + ": " + ms_text(*warmup) + " vs " + ms_text(*infer));
    }
    if (at_point.count("tfjs-webgl") && at_point.size() > 1) {
      auto largest = std::max_element(at_point.begin(), at_point.end(),
                                      [](const auto& a, const auto& b) { return a.second < b.second; });
      webgl_most.add(largest->first == "tfjs-webgl", name_of(p));
    }
  }
  if (far.compared == 0)
    return check_of(5, Verdict::not_measured,
                    "Needs warmup and infer times of the same browser backend at the same points; the runs have "
                    "none (warmup is measured by the infer task).");
  std::string evidence = "The first inference takes at least " + fixed(kFarSlower, 0) + " times a steady one " +
                         far.count("browser configurations") + far.examples() +
                         "; median warm-up / inference: " + medians_by_backend(ratios, times_text) + ".";
  if (webgl_most.compared) evidence += " tfjs-webgl's ratio is the largest " + webgl_most.count("points") + ".";
  return check_of(5, both(far.verdict(), webgl_most.verdict()), evidence);
}

struct GapRatio {
  GridPoint point;
  std::string backend, reference, task;
  double ratio = 0;
};

// Each TF.js backend's median over native's at the same point and task:
// tfjs-webgl over native-vulkan where that ran on a real GPU (the paper's GPU
// against GPU), everything else over native-cpu.
std::vector<GapRatio> gap_ratios(const PooledMeasurements& data) {
  const std::string gpu = data.capability("native-vulkan", "device_type");
  const bool real_gpu = !gpu.empty() && gpu != "software" && gpu != "cpu";
  std::vector<GapRatio> ratios;
  for (const GridPoint& p : data.points())
    for (const std::string& b : kTfjsBackends)
      for (const std::string& task : kTasks) {
        const std::string reference = b == "tfjs-webgl" && real_gpu ? "native-vulkan" : "native-cpu";
        auto browser = data.median(p, b, task);
        auto native = data.median(p, reference, task);
        if (browser && native && *native > 0) ratios.push_back({p, b, reference, task, *browser / *native});
      }
  return ratios;
}

// Finding 6. Paper: TF.js in the browser is slower than TensorFlow natively on
// the same model, on CPU and on GPU (Figure 5). The claim holds at a point
// where the browser's median exceeds native's (gap_ratios above).
FindingCheck check_browser_slower_than_native(const PooledMeasurements& data) {
  Tally tally;
  std::map<std::string, std::vector<double>> by_backend;
  bool against_gpu = false;
  for (const GapRatio& r : gap_ratios(data)) {
    tally.add(r.ratio > 1, name_of(r.point) + " " + r.task + ": " + r.backend + " takes " + times_text(r.ratio) + " " +
                               r.reference + "'s time");
    by_backend[r.backend].push_back(r.ratio);
    against_gpu = against_gpu || r.reference == "native-vulkan";
  }
  if (tally.compared == 0)
    return check_of(6, Verdict::not_measured,
                    "Needs train or infer times of a TF.js backend and of native-cpu at the same points; " +
                        what_is_missing(data, {"native-cpu", "tfjs-cpu"}, "train or infer"));
  return check_of(6, tally.verdict(),
                  "TF.js is slower than native " + tally.count("train/infer configurations") + tally.examples() +
                      "; median browser / native: " + medians_by_backend(by_backend, times_text) +
                      (against_gpu ? " (tfjs-webgl against native-vulkan on a GPU)." : " (against native-cpu)."));
}

// Finding 7. Paper: deep call stacks in TF.js cost time on every operation.
// We record times, not call stacks, so this is not measured. The evidence
// shows the indirect sign a fixed per-operation cost leaves, for the reader: a
// browser / native gap that narrows as layers widen (more arithmetic per
// call), per (preset, depth, backend, task) series of two or more widths.
FindingCheck check_call_stack_cost(const PooledMeasurements& data) {
  std::map<std::tuple<std::string, int64_t, std::string, std::string>, std::map<int64_t, double>> series;
  for (const GapRatio& r : gap_ratios(data))
    series[{r.point.preset, r.point.depth, r.backend, r.task}][r.point.width] = r.ratio;
  Tally narrows;
  for (const auto& [key, by_width] : series) {
    if (by_width.size() < 2) continue;
    const auto& [preset, depth, backend, task] = key;
    const auto& [narrow, narrow_ratio] = *by_width.begin();
    const auto& [wide, wide_ratio] = *by_width.rbegin();
    narrows.add(wide_ratio < narrow_ratio, preset + " depth " + std::to_string(depth) + " " + backend + " " + task +
                                               ": " + times_text(narrow_ratio) + " at width " + std::to_string(narrow) +
                                               ", " + times_text(wide_ratio) + " at width " + std::to_string(wide));
  }
  std::string evidence = "Call-stack depth is not recorded (gapscope measures times only).";
  if (narrows.compared)
    evidence +=
        " Indirect sign of a per-call cost: the browser / native gap narrows from the narrowest to the "
        "widest layers " +
        narrows.count("series") + narrows.examples() + ".";
  else
    evidence += " The runs also have no browser / native pairs over two or more widths to show its indirect sign.";
  return check_of(7, Verdict::not_measured, evidence);
}

// Finding 8. Paper: browser frameworks keep about one core busy where native
// TensorFlow uses several (Table 2). We compare per point each browser
// backend's CPU utilisation while training (process CPU time / wall) with
// native-cpu's. A native-cpu run on one thread could not use more cores
// either: then the finding is not measured.
FindingCheck check_browser_uses_fewer_cores(const PooledMeasurements& data) {
  Tally tally;
  std::map<std::string, std::vector<double>> browser_use;
  std::vector<double> native_use;
  for (const GridPoint& p : data.points()) {
    auto native = data.median(p, "native-cpu", "cpu_utilisation");
    if (native) native_use.push_back(*native);
    for (const std::string& b : kBrowserBackends) {
      auto browser = data.median(p, b, "cpu_utilisation");
      if (!browser) continue;
      browser_use[b].push_back(*browser);
      if (native)
        tally.add(*native > *browser,
                  name_of(p) + ": native-cpu " + cores_text(*native) + " vs " + b + " " + cores_text(*browser));
    }
  }
  const std::string native_text = native_use.empty() ? "none from native-cpu either"
                                                     : "native-cpu: median " + cores_text(summarize(native_use).median);
  if (tally.compared == 0)
    return check_of(
        8, Verdict::not_measured,
        (browser_use.empty() ? "The browser runs have no cpu_utilisation records yet ("
                             : "No point has cpu_utilisation from both a browser backend and native-cpu (") +
            native_text + ").");
  const std::string summary = "native-cpu keeps more cores busy than the browser " +
                              tally.count("training comparisons") + tally.examples() +
                              "; browser medians: " + medians_by_backend(browser_use, cores_text) + ".";
  if (data.capability("native-cpu", "threads") == "1")
    return check_of(
        8, Verdict::not_measured,
        "native-cpu ran on 1 thread, so it could not use more cores than the browser; for the record, " + summary);
  return check_of(8, tally.verdict(), summary);
}

}  // namespace

const char* to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::confirmed:
      return "confirmed";
    case Verdict::not_confirmed:
      return "not_confirmed";
    case Verdict::not_measured:
      return "not_measured";
  }
  return "unknown";
}

std::vector<FindingCheck> check_paper_findings(const std::vector<StoredRun>& runs) {
  const PooledMeasurements data(runs);
  return {
      check_tfjs_builds_the_most(data), check_convnetjs_fastest_on_small_dnns(data),
      check_gpu_backend_faster(data),   check_binary_files_smaller(data),
      check_warmup_far_slower(data),    check_browser_slower_than_native(data),
      check_call_stack_cost(data),      check_browser_uses_fewer_cores(data),
  };
}

}  // namespace gapscope

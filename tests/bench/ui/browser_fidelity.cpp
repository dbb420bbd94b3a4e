// Measurement fidelity of the browser backends, printed as two tables:
//  1. harness vs bare loop: in one QtWebEngine page, the train phase as the
//     harness measures it against a bare loop of the same calls, alternated
//     (resources/web/harness/fidelity.js); target: within 3%;
//  2. QtWebEngine vs standalone Chromium: the same harness jobs (same files,
//     same TF.js) in Debian's chromium (tests/bench/web/chromium_runs.mjs),
//     engines alternated pass by pass so drift cancels.
// Run: xvfb-run -a build/bench_browser_fidelity [--passes N] [--rounds N]
//      [--configs 1x64,2x128,4x256] [--runs-scale X]
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include <QApplication>
#include <QProcess>

#include "core/measure/statistics.h"
#include "core/spec/presets.h"
#include "ui/browser/browser_environment.h"
#include "ui/browser/browser_runner.h"
#include "ui/browser/harness_job.h"

namespace fs = std::filesystem;
using namespace gapscope;
using nlohmann::json;

namespace {

struct Options {
  int passes = 2, rounds = 4;
  double runs_scale = 1.0;
  std::vector<std::pair<int, int>> configs = {{1, 64}, {2, 128}, {4, 256}};
  std::vector<std::string> backends = {"tfjs-cpu", "tfjs-wasm", "convnetjs"};
  std::vector<std::string> fidelity_backends = {"tfjs-wasm", "convnetjs"};
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--passes") o.passes = std::stoi(value);
    else if (flag == "--rounds") o.rounds = std::stoi(value);
    else if (flag == "--runs-scale") o.runs_scale = std::stod(value);
    else if (flag == "--configs") {
      o.configs.clear();
      size_t start = 0;
      while (start < value.size()) {
        size_t end = value.find(',', start);
        const std::string item = value.substr(start, end == std::string::npos ? std::string::npos : end - start);
        o.configs.push_back({std::stoi(item), std::stoi(item.substr(item.find('x') + 1))});
        if (end == std::string::npos) break;
        start = end + 1;
      }
    } else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      std::exit(2);
    }
  }
  return o;
}

struct JobFile {
  std::string name, backend, config, text;
  bool fidelity = false;
};

std::vector<JobFile> make_jobs(const Options& o, const fs::path& dir) {
  std::vector<JobFile> jobs;
  for (auto [depth, width] : o.configs) {
    for (const std::string& backend : o.backends) {
      Job job;
      job.spec = make_preset("paper-dnn", depth, width);
      job.run_id = new_run_id();
      job.protocol.phases = {"load", "warmup", "infer", "train"};
      job.protocol = job.protocol.scaled(o.runs_scale);
      job.config = {{"preset", "paper-dnn"}, {"depth", depth}, {"width", width}, {"batch", job.protocol.batch_size}};
      json harness_job = json::parse(browser::make_harness_job(job, backend).json.toStdString());
      JobFile file{std::to_string(depth) + "x" + std::to_string(width) + "-" + backend + ".json", backend,
                   std::to_string(depth) + "x" + std::to_string(width), ""};
      file.fidelity = std::find(o.fidelity_backends.begin(), o.fidelity_backends.end(), backend) != o.fidelity_backends.end();
      if (file.fidelity) harness_job["fidelity_rounds"] = o.rounds;
      file.text = harness_job.dump();
      std::ofstream(dir / file.name) << file.text;
      jobs.push_back(std::move(file));
    }
  }
  return jobs;
}

// Pooled samples per (job file, phase) and fidelity samples per (job file, arm).
using Samples = std::map<std::pair<std::string, std::string>, std::vector<double>>;

void add_records(Samples& phases, const std::string& file, const json& records) {
  for (const auto& r : records)
    if (r.value("kind", "") == "measurement" && r.contains("samples"))
      for (double v : r["samples"]) phases[{file, r["phase"]}].push_back(v);
}

void add_fidelity(Samples& arms, const std::string& file, const json& result) {
  for (const char* arm : {"harness", "bare"})
    for (const auto& round : result[arm])
      for (double v : round) arms[{file, arm}].push_back(v);
}

// A fresh page for a job; the fidelity check reuses the job's page (as the
// Chromium side does).
json call(browser::BrowserSession& session, const char* method, const std::string& text) {
  session.call(method, QString::fromStdString(text), std::string(method) == "start", std::chrono::minutes(10));
  const auto outcome = browser::wait_for_outcome(session);
  if (!outcome.ok()) throw std::runtime_error(std::string(method) + ": " + outcome.error.toStdString());
  return json::parse(outcome.value_json.toStdString());
}

void run_qtwebengine(browser::BrowserSession& session, const std::vector<JobFile>& jobs, Samples& phases, Samples& arms) {
  for (const JobFile& job : jobs) {
    std::fprintf(stderr, "  QtWebEngine %s\n", job.name.c_str());
    add_records(phases, job.name, call(session, "start", job.text));
    if (job.fidelity) add_fidelity(arms, job.name, call(session, "startFidelityCheck", job.text));
  }
}

std::string run_chromium(const fs::path& dir, const std::vector<JobFile>& jobs, Samples& phases, Samples& arms) {
  const fs::path out = dir.parent_path() / "chromium.json";
  QProcess node;
  node.setProcessChannelMode(QProcess::ForwardedErrorChannel);
  node.start("node", {QString(GAPSCOPE_SOURCE_DIR) + "/tests/bench/web/chromium_runs.mjs", QString::fromStdString(dir.string()),
                      QString::fromStdString(out.string())});
  if (!node.waitForFinished(3600 * 1000) || node.exitCode() != 0)
    throw std::runtime_error("chromium_runs.mjs failed: " + node.readAllStandardOutput().toStdString());
  json result;
  std::ifstream(out) >> result;
  for (const auto& job : result["jobs"]) {
    const std::string file = job["file"];
    if (!job["error"].is_null()) throw std::runtime_error("chromium, " + file + ": " + job["error"].get<std::string>());
    for (const auto& [phase, summary] : job["phases"].items())
      for (double v : summary["samples"]) phases[{file, phase}].push_back(v);
    if (!job["fidelity"].is_null()) add_fidelity(arms, file, job["fidelity"]);
  }
  return result.value("browser", "chromium");
}

double median_of(const std::vector<double>& v) { return summarize(v).median; }

}  // namespace

int main(int argc, char** argv) {
  browser::prepare_browser_environment();
  int qt_argc = 1;
  QApplication app(qt_argc, argv);
  const Options o = parse(argc, argv);
  const fs::path scratch = fs::temp_directory_path() / ("gapscope-fidelity-" + new_run_id());
  const fs::path dir = scratch / "jobs";  // only job files: the node script runs every *.json here
  fs::create_directories(dir);
  const auto jobs = make_jobs(o, dir);

  Samples qt_phases, qt_arms, chromium_phases, chromium_arms;
  std::string chromium_version;
  {
    browser::BrowserSession session;
    for (int pass = 0; pass < o.passes; ++pass) {
      std::fprintf(stderr, "pass %d/%d\n", pass + 1, o.passes);
      // Alternate which engine goes first, so neither always gets the cooler machine.
      if (pass % 2 == 0) run_qtwebengine(session, jobs, qt_phases, qt_arms);
      chromium_version = run_chromium(dir, jobs, chromium_phases, chromium_arms);
      if (pass % 2 == 1) run_qtwebengine(session, jobs, qt_phases, qt_arms);
    }
  }

  std::printf("Measurement fidelity: train step, harness vs bare loop of the same calls, same page\n");
  std::printf("(medians of %d passes x %d alternated rounds; target |diff| <= 3%%)\n", o.passes, o.rounds);
  std::printf("%-8s %-10s %-12s %12s %12s %8s\n", "config", "backend", "engine", "harness ms", "bare ms", "diff");
  for (const JobFile& job : jobs) {
    if (!job.fidelity) continue;
    for (auto [engine, arms] : {std::pair<const char*, Samples*>{"QtWebEngine", &qt_arms}, {"Chromium", &chromium_arms}}) {
      const double h = median_of((*arms)[{job.name, "harness"}]), b = median_of((*arms)[{job.name, "bare"}]);
      std::printf("%-8s %-10s %-12s %12.3f %12.3f %+7.1f%%\n", job.config.c_str(), job.backend.c_str(), engine, h, b,
                  100.0 * (h - b) / b);
    }
  }
  std::printf("\nQtWebEngine %s vs standalone %s, same harness jobs (medians of pooled samples)\n",
              browser::webengine_version_text().toUtf8().constData(), chromium_version.c_str());
  std::printf("%-8s %-10s %-7s %14s %14s %10s\n", "config", "backend", "phase", "QtWebEngine ms", "Chromium ms", "Qt/Chr");
  for (const JobFile& job : jobs) {
    for (const char* phase : {"load", "warmup", "infer", "train"}) {
      const double q = median_of(qt_phases[{job.name, phase}]), c = median_of(chromium_phases[{job.name, phase}]);
      std::printf("%-8s %-10s %-7s %14.3f %14.3f %10.2f\n", job.config.c_str(), job.backend.c_str(), phase, q, c,
                  c > 0 ? q / c : 0.0);
    }
  }
  fs::remove_all(scratch);
  return 0;
}

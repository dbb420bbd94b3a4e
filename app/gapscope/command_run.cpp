// gapscope run: one model, the same weights, on several backends one after
// another (native in a gapscope-native child, the browser backends in the
// embedded QtWebEngine), printed side by side.
#include <cstdio>

#include <QCoreApplication>

#include "app/common/arguments.h"
#include "app/common/backend_list_help.h"
#include "app/common/history_store.h"
#include "app/common/interrupt.h"
#include "app/common/measurement_output.h"
#include "app/common/model_source.h"
#include "app/gapscope/backends_in_turn.h"
#include "app/gapscope/commands.h"
#include "app/gapscope/side_by_side_table.h"
#include "core/base/atomic_file.h"
#include "core/measure/backend_catalog.h"
#include "core/measure/process_stats.h"
#include "core/nn/initial_weights.h"
#include "core/run/run_session.h"
#include "ui/browser/browser_environment.h"
#include "ui/runs/run_record.h"

namespace gapscope::cli {
namespace {

const char* kHelp =
    "usage: gapscope run [options]\n"
    "Runs one model with the same weights on each backend in turn (never two at\n"
    "once) through the measurement protocol (DESIGN.md) and prints them side by\n"
    "side with the ratio to native-cpu: load, warmup (first inference), infer per\n"
    "sample, train per batch, model bytes (TF.js files) and peak memory (process\n"
    "peak RSS: the gapscope-native child, or the page's renderer process).\n"
    "Inputs are synthetic and identical on every backend.\n\n"
    "%s"
    "Backends:\n"
    "  --backends LIST      comma-separated, in run order (default: all of\n"
    "                       %s; native-vulkan takes $GAPSCOPE_VULKAN_DEVICE or the best)\n"
    "  --threads N          native-cpu threads (default 0 = all cores)\n"
    "  --timeout S          seconds a browser backend may take before its page is\n"
    "                       stopped and the run goes on (default 600)\n"
    "Protocol:\n"
    "  --batch N            training batch size (default 64)\n"
    "  --phases LIST        subset of load,warmup,infer,train,file_size (default all)\n"
    "  --runs-scale X       multiply every phase's run count (default 1; 0.2 = quick)\n"
    "  --seed N             weight seed (default 1)\n"
    "Output:\n"
    "  --json               JSON lines on stdout instead of the table: a run record,\n"
    "                       every measurement, a failure record per failed backend\n"
    "  --out FILE           also write the JSON lines to FILE (rewritten atomically\n"
    "                       after every backend: a killed run keeps what it measured)\n"
    "  --quiet              no progress lines on stderr\n"
    "Run history (every run is recorded there as it goes; `gapscope history`):\n"
    "%s\n"
    "WebGL needs a display: run under xvfb-run when there is none (without one the\n"
    "page runs offscreen and tfjs-webgl reports itself unavailable).\n"
    "A backend that fails (timeout, renderer crash, JS exception, a model the\n"
    "framework cannot express) gets a failure row and the others go on; the exit\n"
    "code is then 1, unless every failure was 'unsupported' or 'unavailable'.\n";

bool is_benign(const std::string& reason) { return reason == "unsupported" || reason == "unavailable"; }

}  // namespace

int command_run(const CommandArgs& raw) {
  std::set<std::string> value_flags = {"--backends", "--threads", "--timeout", "--batch", "--phases",
                                       "--runs-scale", "--seed", "--out", kDbFlag};
  value_flags.insert(kModelFlags.begin(), kModelFlags.end());
  Arguments args(raw, value_flags, {"--json", "--quiet"});
  if (args.has("--help")) {
    // The list's lines as they have always been wrapped: at most 90 columns.
    std::printf(kHelp, model_flags_help(), backend_list_help(23, 90).c_str(), kDbHelp);
    return kOk;
  }
  const std::vector<std::string> all = backend_ids();
  const auto backends = args.get_list("--backends", all, {all.begin(), all.end()});
  const bool json = args.has("--json"), quiet = args.has("--quiet");
  if (args.has("--out")) check_writable_target(args.get("--out"));  // before measuring or recording anything
  const int threads = static_cast<int>(args.get_int("--threads", 0, 0, 1024));
  const auto timeout = std::chrono::seconds(args.get_int("--timeout", 600, 1, 24 * 3600));

  ModelSource source = resolve_model(args);
  Job job;
  job.spec = source.spec;
  job.seed = static_cast<uint64_t>(args.get_int("--seed", 1, 0, INT64_MAX));
  // One set of weights for every backend: the point of the comparison.
  job.weights = source.weights ? *source.weights : initial_weights(job.spec, job.seed);
  job.run_id = new_run_id();
  job.protocol.batch_size = args.get_int("--batch", 64, 1, 1 << 16);
  job.protocol.phases = args.get_list("--phases", default_phases(source, job.protocol.phases),
                                      {"load", "warmup", "infer", "train", "file_size"});
  job.protocol = job.protocol.scaled(args.get_double("--runs-scale", 1.0, 0.01, 100.0));
  job.config = source.config;
  job.config["batch"] = job.protocol.batch_size;

  std::string flags = "gapscope run";
  for (const auto& arg : raw) flags += " " + arg;
  std::vector<nlohmann::json> lines;
  ResultsStore history = open_history(args, StoreAccess::record);
  auto save = [&] {
    if (!args.has("--out")) return;
    std::string text;
    for (const auto& line : lines) text += line.dump() + "\n";
    write_file_atomically(args.get("--out"), text);
  };
  const RunRecording recording{.history = &history, .lines = [&](const nlohmann::json& line) {
                                 lines.push_back(line);
                                 if (json) print_json_line(line);
                               }};
  RunSession run = RunSession::begin(recording, ui::qt_run_record(job.run_id, job.seed, flags), "run");
  run.plan_backends(job, backends);
  save();

  // Ctrl-C stops the backend in flight (its page or child is killed) and the rest.
  install_interrupt_handler();
  std::vector<BackendResult> results;
  const size_t n = backends.size();
  run_backends_in_turn(
      run, job, backends, threads, timeout,
      {.started =
           [&](size_t i) {
             if (!quiet)
               std::fprintf(stderr, "[%zu/%zu] %s: running %s ...\n", i + 1, n, backends[i].c_str(), job.spec.name.c_str());
           },
       .finished =
           [&](size_t i, ItemOutcome outcome, double seconds) {
             save();
             const std::string how = outcome.done() ? "done" : "failed (" + outcome.failure_reason + ")";
             if (!quiet) std::fprintf(stderr, "[%zu/%zu] %s: %s in %.1f s\n", i + 1, n, backends[i].c_str(), how.c_str(), seconds);
             results.push_back({backends[i], std::move(outcome.records), outcome.failure_reason, outcome.failure_message});
           }});

  if (!json) {
    std::printf("%s, batch %lld, on %s (%d hardware threads); QtWebEngine %s\n\n", job.spec.name.c_str(),
                static_cast<long long>(job.protocol.batch_size), cpu_model_name().c_str(), hardware_threads(),
                browser::webengine_version_text().toUtf8().constData());
    std::fputs(side_by_side_table(results).c_str(), stdout);
  }
  if (interrupted()) return kInterrupted;
  for (const BackendResult& r : results)
    if (!r.failure_reason.empty() && !is_benign(r.failure_reason)) return kFailed;
  return kOk;
}

}  // namespace gapscope::cli

// gapscope reproduce paper: runs the WWW'19 paper's experiments at a size that
// fits this machine (each part a sweep in the run history) and writes one
// report that sets our figures beside the paper's and marks each of its
// findings confirmed or not on this machine, with the evidence.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <map>

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QTimer>

#include "app/common/arguments.h"
#include "app/common/history_store.h"
#include "app/common/interrupt.h"
#include "app/common/progress_bar.h"
#include "app/gapscope/backends_in_turn.h"
#include "app/gapscope/commands.h"
#include "core/analysis/paper_findings.h"
#include "core/base/atomic_file.h"
#include "core/nn/initial_weights.h"
#include "core/report/paper_report.h"
#include "core/report/records_export.h"
#include "core/run/run_session.h"
#include "core/spec/presets.h"
#include "core/sweep/paper_reproduction.h"
#include "ui/report/pdf_printer.h"
#include "ui/runs/run_record.h"
#include "ui/runs/sweep_controller.h"

namespace gapscope::cli {
namespace {

const char* kHelp =
    "usage: gapscope reproduce paper [--quick] [--out DIR] [options]\n"
    "Re-checks the WWW'19 paper \"Moving Deep Learning into Web Browser: How Far\n"
    "Can We Go?\" (Ma et al.) on this machine: its Section 4 grid (the DNN on\n"
    "every browser framework and native-cpu: Figures 1-4, Tables 2-3) and its\n"
    "Section 5 grids (TF.js cpu/wasm/webgl against native on the DNN, CNN and\n"
    "RNN: Figure 6's decision trees) and Section 5.1 (Keras's pre-trained models\n"
    "as gapscope's zoo: Table 4 and Figure 5), then writes a report (HTML and\n"
    "PDF) with our figures beside the paper's and each of Table 6's findings\n"
    "marked confirmed or not confirmed here, with the evidence.\n\n"
    "Each part is a sweep in the run history (the zoo: a run per model),\n"
    "committed as it goes. Runtime on a 2-core machine: under 30 minutes;\n"
    "--quick under 5 (grid corners, 1 round, MobileNetV2 and ResNet50).\n\n"
    "  --quick              the small version\n"
    "  --out DIR            where the report goes (default results/reproduce-<time>)\n"
    "  --resume             continue the newest unfinished reproduction in the history\n"
    "  --from-runs LIST     write the report from these stored sweeps (run ids,\n"
    "                       comma-separated) without measuring\n"
    "  --native-vulkan      also run native-vulkan in the Section 5 parts\n"
    "  --parts LIST         only these parts (default all): fig1-4, gap-dnn, gap-cnn,\n"
    "                       gap-rnn, frameworks-cnn, frameworks-rnn, zoo\n"
    "  --zoo-input-size N   run the zoo (Section 5.1) at N x N images instead of\n"
    "                       Keras's sizes (224, 299): a quick look on a slow machine\n"
    "  --threads N          native-cpu threads (default 0 = all cores)\n"
    "  --timeout S          seconds one browser item may take (default 600)\n"
    "%s\n%s";

// The sweeps of one reproduction share an id in their metadata, so --resume
// finds them.
struct StoredPart {
  std::string run_id;
  bool finished = false;
};

// Sweeps, and the zoo's runs (one per model; an interrupted one is run again,
// so a finished run of a part wins over an unfinished one).
std::map<std::string, StoredPart> stored_parts(const ResultsStore& store, const std::string& reproduction_id) {
  std::map<std::string, StoredPart> parts;
  for (const char* kind : {"sweep", "run"})
    for (const RunSummary& run : store.list_runs({.kind = kind})) {
      const auto& r = run.metadata.value("reproduce", nlohmann::json::object());
      if (r.value("id", "") != reproduction_id) continue;
      const StoredPart part{run.id, run.done + run.failed == run.configurations};
      auto [it, added] = parts.emplace(r.value("part", ""), part);
      if (!added && !it->second.finished) it->second = part;
    }
  return parts;
}

// The newest reproduction with an unfinished part: its id and whether it was --quick.
std::pair<std::string, bool> newest_unfinished(const ResultsStore& store) {
  for (const RunSummary& run : store.list_runs({.kind = "sweep"})) {
    const auto& r = run.metadata.value("reproduce", nlohmann::json::object());
    if (!r.contains("id") || run.done + run.failed == run.configurations) continue;
    return {r.value("id", ""), r.value("quick", false)};
  }
  throw UsageError("--resume: the run history " + store.path().string() + " has no unfinished reproduction");
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    if (comma > start) parts.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return parts;
}

// Runs one sweep to its end (or until Ctrl-C); true if it finished.
bool run_sweep(ui::SweepController& sweep) {
  QTimer interrupt_poll;
  QObject::connect(&interrupt_poll, &QTimer::timeout, [&] {
    if (interrupted()) sweep.stop();
  });
  interrupt_poll.start(100);
  // On a terminal one line redrawn in place; in a log one line per item.
  const bool tty = isatty(STDERR_FILENO) != 0;
  auto progress = QObject::connect(&sweep, &ui::SweepController::progress, [&](const ui::SweepProgress& p) {
    if (!tty && p.item_fraction > 0) return;
    std::fprintf(stderr, "%s  [%lld/%lld] %s%s%s", tty ? "\r\033[K" : "", static_cast<long long>(p.done),
                 static_cast<long long>(p.total), p.current.c_str(),
                 p.eta_seconds >= 0 ? (", ETA " + format_seconds(p.eta_seconds)).c_str() : "", tty ? "" : "\n");
  });
  bool stopped = false;
  auto finished = QObject::connect(&sweep, &ui::SweepController::finished, [&](bool s) {
    stopped = s;
    QCoreApplication::quit();
  });
  if (sweep.running()) QCoreApplication::exec();
  if (tty) std::fprintf(stderr, "\n");
  QObject::disconnect(progress);
  QObject::disconnect(finished);
  return !stopped;
}

// One zoo model on each backend in turn (as `gapscope run`), recorded as a
// run in the history; false if interrupted.
bool run_zoo_model(ResultsStore& store, const ZooPart& part, const std::string& model, const nlohmann::json& record,
                   const ui::SweepOptions& options) {
  Job job;
  job.spec = build_preset(model, {.input_size = part.input_size});
  job.seed = 1;
  job.weights = initial_weights(job.spec, job.seed);
  job.protocol = part.protocol;
  job.run_id = record.at("run_id").get<std::string>();
  job.config = {{"preset", model},
                {"input_size", job.spec.input_shape.at(0)},
                {"classes", model_output_shape(job.spec).at(0)},
                {"parameters", count_parameters(job.spec)},
                {"flops", forward_flops(job.spec)},
                {"batch", job.protocol.batch_size}};
  RunSession run = RunSession::begin({.history = &store}, record, "run", "reproduce paper: zoo " + model);
  run.plan_backends(job, part.backends);
  const auto& backends = part.backends;
  run_backends_in_turn(run, job, backends, options.native_threads, options.browser_timeout,
                       {.started = [&](size_t i) { std::fprintf(stderr, "  %s on %s ...\n", model.c_str(), backends[i].c_str()); },
                        .finished = [&](size_t i, const ItemOutcome& outcome, double) {
                          if (!outcome.done())
                            std::fprintf(stderr, "  %s on %s: failed (%s)\n", model.c_str(), backends[i].c_str(),
                                         outcome.failure_reason.c_str());
                        }});
  return !interrupted();
}

std::string default_out_dir() {
  return "results/reproduce-" + QDateTime::currentDateTimeUtc().toString("yyyyMMddTHHmmssZ").toStdString();
}

}  // namespace

int command_reproduce(const CommandArgs& raw) {
  Arguments args(raw, {"--out", "--from-runs", "--threads", "--timeout", "--parts", "--zoo-input-size", kDbFlag},
                 {"--quick", "--resume", "--native-vulkan"}, {1, 1, "what to reproduce: `gapscope reproduce paper`"});
  if (args.has("--help")) {
    std::printf(kHelp, kDbHelp, kExitCodesHelp);
    return kOk;
  }
  if (args.positional().front() != "paper")
    throw UsageError("cannot reproduce '" + args.positional().front() + "'; known: paper");
  // The report's folder before hours of sweeps: one that cannot take files is found now.
  const std::string out = args.get("--out", default_out_dir());
  if (!QDir().mkpath(QString::fromStdString(out))) throw FileWriteError("cannot create the directory " + out);
  for (const char* name : {"/report.html", "/report.pdf"}) check_writable_target(out + name);
  // --from-runs only reads stored sweeps, --resume goes on in a history that exists.
  ResultsStore store = open_history(args, args.has("--from-runs") ? StoreAccess::read
                                          : args.has("--resume")  ? StoreAccess::modify
                                                                  : StoreAccess::record);
  const auto started = std::chrono::steady_clock::now();
  bool quick = args.has("--quick");

  std::vector<std::string> run_ids, zoo_run_ids;
  if (args.has("--from-runs")) {
    run_ids = split(args.get("--from-runs"));
  } else {
    std::string reproduction_id = new_run_id();
    if (args.has("--resume")) std::tie(reproduction_id, quick) = newest_unfinished(store);
    const auto stored = stored_parts(store, reproduction_id);
    ui::SweepOptions options;
    options.native_threads = static_cast<int>(args.get_int("--threads", 0, 0, 1024));
    options.browser_timeout = std::chrono::seconds(args.get_int("--timeout", 600, 1, 24 * 3600));
    install_interrupt_handler();
    std::vector<ReproductionPart> parts = paper_reproduction(quick, args.has("--native-vulkan"));
    std::vector<std::string> known;
    for (const ReproductionPart& part : parts) known.push_back(part.key);
    known.push_back("zoo");
    const std::vector<std::string> wanted = args.get_list("--parts", known, {known.begin(), known.end()});
    std::erase_if(parts, [&](const ReproductionPart& p) { return std::find(wanted.begin(), wanted.end(), p.key) == wanted.end(); });
    ZooPart zoo = paper_zoo_part(quick, args.has("--native-vulkan"));
    if (std::find(wanted.begin(), wanted.end(), "zoo") == wanted.end()) zoo.models.clear();
    zoo.input_size = args.get_int("--zoo-input-size", 0, 75, 4096);  // 75: every zoo model's smallest
    const size_t total = parts.size() + (zoo.models.empty() ? 0 : 1);
    std::fprintf(stderr, "reproducing the paper%s: %zu parts -> %s\n", quick ? " (--quick)" : "", total,
                 store.path().c_str());
    for (size_t i = 0; i < parts.size(); ++i) {
      const ReproductionPart& part = parts[i];
      std::fprintf(stderr, "[%zu/%zu] %s\n", i + 1, total, part.title.c_str());
      ui::SweepController sweep(store, options);
      auto it = stored.find(part.key);
      if (it != stored.end()) {
        run_ids.push_back(it->second.run_id);
        if (it->second.finished) continue;
        sweep.resume(it->second.run_id);
      } else {
        nlohmann::json record = ui::qt_run_record(new_run_id(), part.grid.seed, "gapscope reproduce paper" +
                                                                                  std::string(quick ? " --quick" : ""));
        record["reproduce"] = {{"id", reproduction_id}, {"part", part.key}, {"quick", quick}};
        run_ids.push_back(sweep.start(part.grid, record, "reproduce paper: " + part.key));
      }
      if (!run_sweep(sweep)) {
        std::printf("stopped; continue with: gapscope reproduce paper --resume%s\n",
                    args.has(kDbFlag) ? (" --db " + args.get(kDbFlag)).c_str() : "");
        return kInterrupted;
      }
    }
    if (!zoo.models.empty())
      std::fprintf(stderr, "[%zu/%zu] Section 5.1: Keras's pre-trained models (Table 4, Figure 5)\n", total, total);
    for (const std::string& model : zoo.models) {
      const std::string key = "zoo-" + model;
      auto it = stored.find(key);
      if (it != stored.end() && it->second.finished) {
        zoo_run_ids.push_back(it->second.run_id);
        continue;
      }
      nlohmann::json record = ui::qt_run_record(new_run_id(), 1, "gapscope reproduce paper" + std::string(quick ? " --quick" : ""));
      record["reproduce"] = {{"id", reproduction_id}, {"part", key}, {"quick", quick}};
      zoo_run_ids.push_back(record.at("run_id").get<std::string>());
      if (!run_zoo_model(store, zoo, model, record, options)) {
        std::printf("stopped; continue with: gapscope reproduce paper --resume%s\n",
                    args.has(kDbFlag) ? (" --db " + args.get(kDbFlag)).c_str() : "");
        return kInterrupted;
      }
    }
  }

  // The zoo's runs go to the report's Section 5.1, not into the grids' findings.
  std::vector<StoredRun> runs, zoo_runs;
  for (const std::string& id : run_ids) {
    StoredRun run = store.load_run(id);
    const bool zoo = run.summary.kind == "run";
    (zoo ? zoo_runs : runs).push_back(std::move(run));
  }
  for (const std::string& id : zoo_run_ids) zoo_runs.push_back(store.load_run(id));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::vector<StoredRun> every = runs;
  every.insert(every.end(), zoo_runs.begin(), zoo_runs.end());
  const auto findings = check_paper_findings(every);
  PaperReportInput input{runs, findings, quick, seconds, zoo_runs};
  const std::string html = paper_report_html(input);

  write_file_atomically(out + "/report.html", html);
  ui::print_html_to_pdf(html, out + "/report.pdf");
  for (const StoredRun& run : every) {
    const auto& part = run.summary.metadata.value("reproduce", nlohmann::json::object()).value("part", run.summary.id);
    write_file_atomically(out + "/records-" + part + ".jsonl", records_json(run));
  }

  std::printf("Table 6 findings on this machine (%s, %s):\n", runs.empty() ? "-" : runs.front().summary.facts.cpu_model.value_or("?").c_str(),
              quick ? "--quick" : "default size");
  for (const FindingCheck& check : findings)
    std::printf("  %s. %-14s %s%s\n     %s\n", check.finding.id.c_str(), to_string(check.verdict),
                check.finding.addition() ? "(gapscope's addition) " : "", check.finding.statement.c_str(),
                check.evidence.c_str());
  std::printf("report: %s/report.html and report.pdf (%s)\n", out.c_str(), format_seconds(seconds).c_str());
  return kOk;
}

}  // namespace gapscope::cli

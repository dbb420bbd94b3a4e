// gapscope sweep: a depth x width grid on native and browser backends,
// interleaved, committed to the run history item by item; --resume continues
// one that was stopped or killed.
#include <cstdio>
#include <optional>

#include <QCoreApplication>
#include <QTimer>

#include "app/common/arguments.h"
#include "app/common/backend_list_help.h"
#include "app/common/interrupt.h"
#include "app/common/progress_bar.h"
#include "app/gapscope/commands.h"
#include "app/common/history_store.h"
#include "core/base/terminal_text.h"
#include "core/measure/backend_catalog.h"
#include "core/measure/statistics.h"
#include "core/sweep/sweep_presets.h"
#include "ui/runs/run_record.h"
#include "ui/runs/sweep_controller.h"

namespace gapscope::cli {
namespace {

const char* kHelp =
    "usage: gapscope sweep --preset NAME [options]\n"
    "       gapscope sweep --model MODEL --depths LIST --widths LIST --backends LIST [options]\n"
    "       gapscope sweep --resume RUN_ID [--db PATH]\n"
    "Measures a model family over a depth x width grid on several backends, one\n"
    "item (grid point x backend x round) at a time. Rounds repeat the grid (A B A\n"
    "B) and the backends rotate per point, so drift of the machine spreads over\n"
    "all of them. Every record is committed to the run history as it arrives: a\n"
    "sweep stopped (Ctrl-C) or killed loses at most the item in flight, and\n"
    "--resume RUN_ID runs only what is not done yet.\n\n"
    "Grid (at most 100,000 items; a larger one is refused, not truncated):\n"
    "  --preset NAME        paper-fig1-4 (the paper's Figures 1-4: DNN, depth\n"
    "                       {1,2,4,8} x width {64,128,256}, all frameworks + native),\n"
    "                       paper-gap-dnn, paper-gap-cnn, paper-gap-rnn (Table 5\n"
    "                       ranges, TF.js cpu/wasm/webgl + native-cpu)\n"
    "  --trim               leave out the presets' largest points (the report says which)\n"
    "  --model MODEL        paper-dnn, paper-cnn or paper-rnn (without --preset)\n"
    "  --depths LIST        e.g. 1,2,4 (overrides the preset's)\n"
    "  --widths LIST        e.g. 64,128 (overrides the preset's)\n"
    "  --backends LIST      %s (overrides the preset's)\n"
    "  --tasks LIST         train,infer (default both; infer = load, warmup, infer)\n"
    "  --no-file-size       do not measure model file sizes\n"
    "Protocol:\n"
    "  --rounds N           interleaved rounds (default 2); each gets 1/N of the runs\n"
    "  --runs-scale X       multiply every phase's run count (default 1; 0.2 = quick)\n"
    "  --batch N            training batch size (default 64)\n"
    "  --seed N             weight seed (default 1)\n"
    "  --threads N          native-cpu threads (default 0 = all cores)\n"
    "  --timeout S          seconds one browser item may take (default 600)\n"
    "Run history:\n"
    "%s"
    "  --label TEXT         a name for the run in the history\n"
    "  --quiet              no progress lines\n\n"
    "Afterwards: `gapscope history show RUN_ID` prints the ratios, `gapscope report\n"
    "RUN_ID --html FILE` writes the report.\n\n"
    "%s";

SweepGrid grid_from_arguments(const Arguments& args) {
  SweepGrid grid;
  if (args.has("--preset")) {
    if (args.has("--model")) throw UsageError("--preset and --model cannot be combined");
    grid = sweep_preset(args.get("--preset"), args.has("--trim"));
  } else {
    if (!args.has("--model")) throw UsageError("give --preset NAME, or --model with --depths, --widths, --backends");
    if (args.has("--trim")) throw UsageError("--trim applies to a --preset");
    grid.model = args.get("--model");
    for (const char* needed : {"--depths", "--widths", "--backends"})
      if (!args.has(needed)) throw UsageError(std::string("--model needs ") + needed);
  }
  grid.depths = args.get_int_list("--depths", grid.depths, 1, 64);
  grid.widths = args.get_int_list("--widths", grid.widths, 1, 65536);
  const auto& ids = backend_ids();
  grid.backends = args.get_list("--backends", grid.backends, {ids.begin(), ids.end()});
  grid.tasks = args.get_list("--tasks", grid.tasks, {"train", "infer"});
  grid.file_size = !args.has("--no-file-size");
  grid.rounds = static_cast<int>(args.get_int("--rounds", grid.rounds, 1, 100));
  grid.runs_scale = args.get_double("--runs-scale", grid.runs_scale, 0.01, 100.0);
  grid.batch = args.get_int("--batch", grid.batch, 1, 65536);
  grid.seed = static_cast<uint64_t>(args.get_int("--seed", 1, 0, INT64_MAX));
  return grid;
}

std::string command_line(const CommandArgs& raw) {
  std::string text = "gapscope sweep";
  for (const auto& arg : raw) text += " " + arg;
  return text;
}

}  // namespace

int command_sweep(const CommandArgs& raw) {
  std::set<std::string> value_flags = {"--preset", "--model", "--depths",  "--widths", "--backends",
                                       "--tasks",  "--rounds", "--runs-scale", "--batch", "--seed",
                                       "--threads", "--timeout", "--resume", "--label", kDbFlag};
  Arguments args(raw, value_flags, {"--trim", "--no-file-size", "--quiet"});
  if (args.has("--help")) {
    std::printf(kHelp, backend_list_help(23, 80).c_str(), kDbHelp, kExitCodesHelp);
    return kOk;
  }
  const bool quiet = args.has("--quiet");
  ui::SweepOptions options;
  options.native_threads = static_cast<int>(args.get_int("--threads", 0, 0, 1024));
  options.browser_timeout = std::chrono::seconds(args.get_int("--timeout", 600, 1, 24 * 3600));
  // The whole grid is checked (its size first) before the history is touched.
  std::optional<SweepGrid> grid;
  if (args.has("--resume")) {
    for (const char* flag : {"--preset", "--model", "--depths", "--widths", "--backends", "--tasks", "--rounds"})
      if (args.has(flag)) throw UsageError(std::string("--resume continues the stored grid; ") + flag + " cannot change it");
  } else {
    grid = grid_from_arguments(args);
    validate_sweep_grid(*grid);
  }
  ResultsStore store = open_history(args, grid ? StoreAccess::record : StoreAccess::modify);
  ui::SweepController sweep(store, options);

  std::string run_id;
  if (!grid) {
    run_id = args.get("--resume");
    sweep.resume(run_id);
  } else {
    run_id = sweep.start(*grid, ui::qt_run_record(new_run_id(), grid->seed, command_line(raw)), args.get("--label"));
  }
  if (!quiet) std::fprintf(stderr, "sweep %s -> %s\n", run_id.c_str(), store.path().c_str());

  install_interrupt_handler();
  QTimer interrupt_poll;
  QObject::connect(&interrupt_poll, &QTimer::timeout, [&] {
    if (interrupted()) sweep.stop();
  });
  interrupt_poll.start(100);

  ui::SweepProgress last;
  QObject::connect(&sweep, &ui::SweepController::progress, [&](const ui::SweepProgress& p) { last = p; });
  QObject::connect(&sweep, &ui::SweepController::itemStarted, [&](const SweepItem&) {
    if (quiet) return;
    std::fprintf(stderr, "[%lld/%lld] %s ...%s\n", static_cast<long long>(last.done + 1),
                 static_cast<long long>(last.total), last.current.c_str(),
                 last.eta_seconds >= 0 ? (" (ETA " + format_seconds(last.eta_seconds) + ")").c_str() : "");
  });
  QObject::connect(&sweep, &ui::SweepController::itemFinished,
                   [&](const SweepItem&, bool ok, const QString& reason, const QString& message) {
                     if (quiet || ok) return;
                     std::fputs(text_line("    failed (%s): %s\n", reason.toStdString(),
                                          message.left(300).toStdString()).c_str(), stderr);
                   });
  bool stopped = false;
  QObject::connect(&sweep, &ui::SweepController::finished, [&](bool was_stopped) {
    stopped = was_stopped;
    QCoreApplication::quit();
  });
  if (sweep.running()) QCoreApplication::exec();

  const RunSummary summary = store.load_run(run_id).summary;
  std::printf("sweep %s: %lld of %lld items done, %lld failed\n", run_id.c_str(),
              static_cast<long long>(summary.done + summary.failed), static_cast<long long>(summary.configurations),
              static_cast<long long>(summary.failed));
  if (stopped)
    std::printf("stopped; continue with: gapscope sweep --resume %s%s\n", run_id.c_str(),
                args.has(kDbFlag) ? (" --db " + args.get(kDbFlag)).c_str() : "");
  return stopped ? kInterrupted : kOk;
}

}  // namespace gapscope::cli

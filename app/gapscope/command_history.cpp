// gapscope history: list, filter, show, compare and delete the runs in the
// run history (SQLite, --db).
#include <cmath>
#include <cstdio>
#include <map>

#include "app/common/arguments.h"
#include "app/common/history_store.h"
#include "app/common/measurement_output.h"
#include "app/gapscope/commands.h"
#include "app/common/history_tables.h"
#include "core/analysis/ratio_analysis.h"
#include "core/analysis/ratio_summary.h"

namespace gapscope::cli {
namespace {

const char* kHelp =
    "usage: gapscope history [list] [filters] [--json]\n"
    "       gapscope history show RUN_ID [--json]\n"
    "       gapscope history compare RUN_A RUN_B\n"
    "       gapscope history delete RUN_ID...\n"
    "The run history: every `gapscope run` and `gapscope sweep` (and the\n"
    "workbench's runs) with the machine and software they ran on.\n\n"
    "  list       newest first: id, date, kind, label, items done/failed, CPU\n"
    "  show       the run's facts, its medians per configuration and phase, and\n"
    "             (for runs with browser and native backends) the browser/native\n"
    "             ratios with the decision tree of what explains them\n"
    "  compare    the same configurations and phases in two runs: medians and\n"
    "             B/A (e.g. before and after an update, or two machines' files)\n"
    "  delete     removes runs with all their measurements\n\n"
    "Filters (list):\n"
    "  --kind K             run | sweep | workbench\n"
    "  --backend B          runs with a configuration on backend B\n"
    "  --model TEXT         runs with a model whose name contains TEXT\n"
    "  --since DATE         created at or after DATE (e.g. 2026-11-01 or 2026-11-01T12:00:00Z)\n"
    "  --until DATE         created before DATE\n"
    "%s\n%s";

std::string or_dash(const std::optional<std::string>& text) { return text ? *text : "-"; }

int list_runs(const Arguments& args, ResultsStore& store) {
  RunFilter filter;
  if (args.has("--kind")) filter.kind = args.get("--kind");
  if (args.has("--backend")) filter.backend = args.get("--backend");
  if (args.has("--model")) filter.model_contains = args.get("--model");
  if (args.has("--since")) filter.created_from = args.get("--since");
  if (args.has("--until")) filter.created_before = args.get("--until");
  const auto runs = store.list_runs(filter);
  if (args.has("--json")) {
    for (const RunSummary& r : runs)
      print_json_line({{"id", r.id}, {"created", r.created}, {"kind", r.kind}, {"label", r.label},
                       {"configurations", r.configurations}, {"done", r.done}, {"failed", r.failed},
                       {"metadata", r.metadata}});
    return kOk;
  }
  std::printf("%-24s %-20s %-9s %-32s %11s  %s\n", "run", "created", "kind", "label", "done/failed", "cpu");
  for (const RunSummary& r : runs)
    std::printf("%-24s %-20s %-9s %-32s %5lld/%-5lld  %s\n", r.id.c_str(), r.created.c_str(), r.kind.c_str(),
                r.label.substr(0, 32).c_str(), static_cast<long long>(r.done), static_cast<long long>(r.failed),
                or_dash(r.facts.cpu_model).c_str());
  std::printf("%zu run(s) in %s\n", runs.size(), store.path().c_str());
  return kOk;
}

int show_run(const Arguments& args, ResultsStore& store, const std::string& run_id) {
  const StoredRun run = store.load_run(run_id);
  if (args.has("--json")) {
    print_json_line(run.summary.metadata);
    for (const PooledMeasurement& m : pool_rounds(run))
      print_json_line({{"preset", m.preset}, {"depth", m.depth}, {"width", m.width}, {"backend", m.backend},
                       {"phase", m.phase}, {"format", m.format}, {"unit", m.unit}, {"median", m.summary.median},
                       {"p10", m.summary.p10}, {"p90", m.summary.p90}, {"n", m.summary.n}});
    return kOk;
  }
  const RunFacts& f = run.summary.facts;
  std::printf("run %s (%s%s), created %s\n", run.summary.id.c_str(), run.summary.kind.c_str(),
              run.summary.label.empty() ? "" : (": " + run.summary.label).c_str(), run.summary.created.c_str());
  std::printf("  %lld configurations: %lld done, %lld failed\n", static_cast<long long>(run.summary.configurations),
              static_cast<long long>(run.summary.done), static_cast<long long>(run.summary.failed));
  std::printf("  machine: %s, %s hardware threads; Vulkan: %s\n", or_dash(f.cpu_model).c_str(),
              f.hardware_threads ? std::to_string(*f.hardware_threads).c_str() : "-", or_dash(f.vulkan_device).c_str());
  std::printf("  software: gapscope %s (git %s), %s; Qt %s, QtWebEngine %s, TF.js %s\n",
              or_dash(f.app_version).c_str(), or_dash(f.git_revision).c_str(), or_dash(f.compiler).c_str(),
              or_dash(f.qt_version).c_str(), or_dash(f.qtwebengine_version).c_str(), or_dash(f.tfjs_version).c_str());
  if (f.flags) std::printf("  command: %s\n", f.flags->c_str());
  std::printf("\n%s", medians_table(run).c_str());
  const std::string failures = failures_table(run);
  if (!failures.empty()) std::printf("\nfailed:\n%s", failures.c_str());
  const RatioAnalysis analysis = analyse_ratios(run);
  if (!analysis.points.empty()) std::printf("\n%s", ratio_summary_text(analysis).c_str());
  return kOk;
}

int compare_runs(ResultsStore& store, const std::string& a_id, const std::string& b_id) {
  const StoredRun a = store.load_run(a_id), b = store.load_run(b_id);
  std::printf("%s", comparison_table(a, b).c_str());
  return kOk;
}

int delete_runs(ResultsStore& store, const std::vector<std::string>& ids) {
  int missing = 0;
  for (const std::string& id : ids) {
    if (store.delete_run(id)) {
      std::printf("deleted %s\n", id.c_str());
    } else {
      std::fprintf(stderr, "gapscope history delete: no run %s in %s\n", id.c_str(), store.path().c_str());
      ++missing;
    }
  }
  return missing ? kBadInput : kOk;
}

}  // namespace

int command_history(const CommandArgs& raw) {
  Arguments args(raw, {"--kind", "--backend", "--model", "--since", "--until", kDbFlag}, {"--json"});
  if (args.has("--help")) {
    std::printf(kHelp, kDbHelp, kExitCodesHelp);
    return kOk;
  }
  std::vector<std::string> words = args.positional();
  const std::string action = words.empty() ? "list" : words.front();
  if (!words.empty()) words.erase(words.begin());
  auto need = [&](size_t n, const char* what) {
    if (words.size() != n) throw UsageError("history " + action + " needs " + what);
  };
  if (action != "list" && action != "show" && action != "compare" && action != "delete")
    throw UsageError("unknown history action '" + action + "' (list, show, compare, delete)");
  ResultsStore store = open_history(args);
  if (action == "list") {
    need(0, "no run ids");
    return list_runs(args, store);
  }
  if (action == "show") {
    need(1, "one RUN_ID");
    return show_run(args, store, words[0]);
  }
  if (action == "compare") {
    need(2, "two run ids: RUN_A RUN_B");
    return compare_runs(store, words[0], words[1]);
  }
  if (words.empty()) throw UsageError("history delete needs at least one RUN_ID");
  return delete_runs(store, words);
}

}  // namespace gapscope::cli

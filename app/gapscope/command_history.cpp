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
#include "core/base/terminal_text.h"
#include "core/store/run_filter_values.h"

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
    "  --since DATE         created at or after DATE: YYYY-MM-DD or\n"
    "                       YYYY-MM-DDTHH:MM:SSZ (UTC), e.g. 2026-11-01\n"
    "  --until DATE         created before DATE\n"
    "%s\n%s";

std::string or_dash(const std::optional<std::string>& text) { return text ? *text : "-"; }

// A value no run can match is a mistake, not "0 runs".
std::optional<std::string> date_option(const Arguments& args, const std::string& flag) {
  if (!args.has(flag)) return std::nullopt;
  if (auto date = run_date(args.get(flag))) return date;
  throw UsageError(flag + " needs a date, " + kRunDateForms + ", got '" + args.get(flag) + "'");
}

RunFilter filter_options(const Arguments& args) {
  RunFilter filter;
  if (args.has("--kind")) filter.kind = args.get_choice("--kind", "", {kRunKinds.begin(), kRunKinds.end()});
  if (args.has("--backend")) filter.backend = args.get("--backend");
  if (args.has("--model")) filter.model_contains = args.get("--model");
  filter.created_from = date_option(args, "--since");
  filter.created_before = date_option(args, "--until");
  return filter;
}

void print(const std::string& text) { std::fputs(text.c_str(), stdout); }

int list_runs(const Arguments& args, const RunFilter& filter, ResultsStore& store) {
  const auto runs = store.list_runs(filter);
  if (args.has("--json")) {
    for (const RunSummary& r : runs)
      print_json_line({{"id", r.id}, {"created", r.created}, {"kind", r.kind}, {"label", r.label},
                       {"configurations", r.configurations}, {"done", r.done}, {"failed", r.failed},
                       {"metadata", r.metadata}});
    return kOk;
  }
  // Stored text is escaped for the terminal (core/base/terminal_text.h); --json keeps it exact.
  print(text_line("%-24s %-20s %-9s %-32s %11s  %s\n", "run", "created", "kind", "label", "done/failed", "cpu"));
  for (const RunSummary& r : runs)
    print(text_line("%-24s %-20s %-9s %-32s %5lld/%-5lld  %s\n", r.id, r.created, r.kind, r.label.substr(0, 32),
                    static_cast<long long>(r.done), static_cast<long long>(r.failed), or_dash(r.facts.cpu_model)));
  print(text_line("%zu run(s) in %s\n", runs.size(), store.path().string()));
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
  const RunSummary& s = run.summary;
  const RunFacts& f = s.facts;
  print(text_line("run %s (%s%s%s), created %s\n", s.id, s.kind, s.label.empty() ? "" : ": ", s.label, s.created));
  print(text_line("  %lld configurations: %lld done, %lld failed\n", static_cast<long long>(s.configurations),
                  static_cast<long long>(s.done), static_cast<long long>(s.failed)));
  print(text_line("  machine: %s, %s hardware threads; Vulkan: %s\n", or_dash(f.cpu_model),
                  f.hardware_threads ? std::to_string(*f.hardware_threads) : "-", or_dash(f.vulkan_device)));
  print(text_line("  software: gapscope %s (git %s), %s; Qt %s, QtWebEngine %s, TF.js %s\n", or_dash(f.app_version),
                  or_dash(f.git_revision), or_dash(f.compiler), or_dash(f.qt_version), or_dash(f.qtwebengine_version),
                  or_dash(f.tfjs_version)));
  if (f.flags) print(text_line("  command: %s\n", *f.flags));
  print("\n");
  print(medians_table(run));
  const std::string failures = failures_table(run);
  if (!failures.empty()) print("\nfailed:\n" + failures);
  const RatioAnalysis analysis = analyse_ratios(run);
  if (!analysis.points.empty()) {
    print("\n");
    print(ratio_summary_text(analysis));
  }
  return kOk;
}

int compare_runs(ResultsStore& store, const std::string& a_id, const std::string& b_id) {
  const StoredRun a = store.load_run(a_id), b = store.load_run(b_id);
  print(comparison_table(a, b));
  return kOk;
}

int delete_runs(ResultsStore& store, const std::vector<std::string>& ids) {
  int missing = 0;
  for (const std::string& id : ids) {
    if (store.delete_run(id)) {
      print(text_line("deleted %s\n", id));
    } else {
      std::fputs(text_line("gapscope history delete: no run %s in %s\n", id, store.path().string()).c_str(), stderr);
      ++missing;
    }
  }
  return missing ? kBadInput : kOk;
}

// The words each action takes after its name.
const std::map<std::string, Positionals> kActions = {
    {"list", {0, 0, "no run ids"}},
    {"show", {1, 1, "one RUN_ID"}},
    {"compare", {2, 2, "two run ids: RUN_A RUN_B"}},
    {"delete", {1, Positionals::kAnyNumber, "at least one RUN_ID"}}};

}  // namespace

int command_history(const CommandArgs& raw) {
  Arguments args(raw, {"--kind", "--backend", "--model", "--since", "--until", kDbFlag}, {"--json"},
                 {0, Positionals::kAnyNumber, "ACTION [RUN_ID...]"});
  if (args.has("--help")) {
    std::printf(kHelp, kDbHelp, kExitCodesHelp);
    return kOk;
  }
  std::vector<std::string> words = args.positional();
  const std::string action = words.empty() ? "list" : words.front();
  if (!words.empty()) words.erase(words.begin());
  const auto rule = kActions.find(action);
  if (rule == kActions.end())
    throw UsageError("unknown history action '" + action + "' (list, show, compare, delete)");
  check_positionals(words, rule->second);
  // Options of another action would be ignored: say so instead.
  for (const char* flag : {"--kind", "--backend", "--model", "--since", "--until"})
    if (action != "list" && args.has(flag)) throw UsageError(std::string(flag) + " filters `history list` only");
  if (args.has("--json") && action != "list" && action != "show")
    throw UsageError("--json applies to `history list` and `history show`");
  const RunFilter filter = filter_options(args);  // checked before the history is opened
  ResultsStore store = open_history(args, action == "delete" ? StoreAccess::modify : StoreAccess::read);
  if (action == "list") return list_runs(args, filter, store);
  if (action == "show") return show_run(args, store, words[0]);
  if (action == "compare") return compare_runs(store, words[0], words[1]);
  return delete_runs(store, words);
}

}  // namespace gapscope::cli

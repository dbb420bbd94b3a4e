// gapscope report: a stored run (or sweep) as an HTML report with inline SVG
// charts, the same report as PDF, and its raw records as CSV and JSON lines.
#include <cstdio>

#include "app/common/arguments.h"
#include "app/common/history_store.h"
#include "app/gapscope/commands.h"
#include "ui/report/report_files.h"

namespace gapscope::cli {
namespace {

const char* kHelp =
    "usage: gapscope report RUN_ID [--html FILE] [--pdf FILE] [--csv FILE] [--json FILE]\n"
    "Writes the report of a run in the run history (`gapscope history` lists\n"
    "them). The HTML is self-contained (inline SVG charts, no scripts): the\n"
    "machine and software, the method (phases, runs, warm-ups, statistics), a\n"
    "chart and a table per phase, the browser/native ratios with their heatmaps\n"
    "and the decision tree, and the failures. The PDF is the same page printed\n"
    "by Chromium (A4). CSV and JSON lines hold every raw record. With no format\n"
    "given: RUN_ID.html in the current directory.\n\n"
    "  --title TEXT         the report's title (default: the run's kind, label and id)\n"
    "%s\n%s";

}  // namespace

int command_report(const CommandArgs& raw) {
  Arguments args(raw, {"--html", "--pdf", "--csv", "--json", "--title", kDbFlag}, {},
                 {1, 1, "one RUN_ID (`gapscope history` lists them)"});
  if (args.has("--help")) {
    std::printf(kHelp, kDbHelp, kExitCodesHelp);
    return kOk;
  }
  const std::string run_id = args.positional().front();
  ui::ReportTargets targets{args.get("--html"), args.get("--pdf"), args.get("--csv"), args.get("--json")};
  if (targets.empty()) targets.html = run_id + ".html";
  const StoredRun run = open_history(args, StoreAccess::read).load_run(run_id);
  ReportOptions options = ui::default_report_options(run);
  if (args.has("--title")) options.title = args.get("--title");
  for (const std::string& path : ui::write_report_files(run, options, targets)) std::printf("wrote %s\n", path.c_str());
  return kOk;
}

}  // namespace gapscope::cli

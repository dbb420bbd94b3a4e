// --db PATH: which run-history database a command reads or writes (default:
// the user's data dir, core/store/history_file.h).
#pragma once
#include "app/common/arguments.h"
#include "core/store/results_store.h"

namespace gapscope::cli {

inline constexpr const char* kDbFlag = "--db";
inline constexpr const char* kDbHelp =
    "  --db PATH            the run history (SQLite; default\n"
    "                       $XDG_DATA_HOME/gapscope/results.sqlite or\n"
    "                       ~/.local/share/gapscope/results.sqlite); only\n"
    "                       commands that record runs create it, in a folder\n"
    "                       that exists\n";

// Opens --db or the default as `access` allows (reading commands: read;
// delete: modify; run, sweep: record). An empty --db is a UsageError;
// StoreError names the file and what is wrong with it.
ResultsStore open_history(const Arguments& args, StoreAccess access);

}  // namespace gapscope::cli

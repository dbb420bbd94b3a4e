// --db PATH: which run-history database a command reads or writes (default:
// the user's data dir, core/store/results_store.h).
#pragma once
#include "app/common/arguments.h"
#include "core/store/results_store.h"

namespace gapscope::cli {

inline constexpr const char* kDbFlag = "--db";
inline constexpr const char* kDbHelp =
    "  --db PATH            the run history (SQLite; default\n"
    "                       $XDG_DATA_HOME/gapscope/results.sqlite or\n"
    "                       ~/.local/share/gapscope/results.sqlite)\n";

// Opens (creating or migrating) --db or the default; StoreError names the file.
ResultsStore open_history(const Arguments& args);

}  // namespace gapscope::cli

// The run history's file before SQLite opens it: where it is by default, what
// a command may do to it, and the checks that keep gapscope from touching a
// file the user named that is not a gapscope history (a typo, an empty file,
// a device) or from building one in a folder nobody asked for.
#pragma once
#include <sqlite3.h>

#include <filesystem>

#include "core/store/schema_migration.h"

namespace gapscope {

// $XDG_DATA_HOME/gapscope, else ~/.local/share/gapscope: where the run
// history and the workbench's records (results/<run>.jsonl) live.
std::filesystem::path data_directory();
// data_directory() / "results.sqlite".
std::filesystem::path default_results_path();

// What a command does with the history. read: an existing history, which may
// be read-only; modify: an existing, writable one (delete); record: creates a
// missing one (run, sweep), but a missing folder only when it is the default's.
enum class StoreAccess { read, modify, record };

// True if the file exists (and so may be opened); false if `record` may
// create it. Throws StoreError naming the file for an empty name, something
// that is not a regular file, an empty (0-byte) file, a missing file that
// `access` may not create, and a missing folder other than the default's.
bool check_history_file(const std::filesystem::path& path, StoreAccess access);

// Builds a new history under a temporary name beside `path` and moves it to
// `path` only when complete, never over an existing file: a killed process
// leaves no half-made history, and of two processes creating it at once one
// wins and the other opens that one. Throws StoreError.
void create_history_file(const std::filesystem::path& path, const Migrations& migrations);

// Throws StoreError naming the file unless the open connection `db` may write
// it and SQLite may create its -wal and -shm files in its folder.
void check_history_writable(sqlite3* db, const std::filesystem::path& path);

}  // namespace gapscope

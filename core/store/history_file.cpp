#include "core/store/history_file.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "core/store/sqlite_handle.h"
#include "core/store/store_error.h"

namespace gapscope {
namespace {

std::filesystem::path folder_of(const std::filesystem::path& path) {
  return path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
}

bool folder_writable(const std::filesystem::path& folder) { return ::access(folder.c_str(), W_OK | X_OK) == 0; }

StoreError refused(const std::filesystem::path& path, const std::string& why) {
  return StoreError("results store " + path.string() + " " + why);
}

// Moves `from` to `to` unless `to` exists (then false): never over a file.
bool move_unless_present(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return true;
  if (errno == EEXIST) return false;
  // File systems without RENAME_NOREPLACE (NFS): a hard link is as atomic.
  if ((errno == EINVAL || errno == ENOSYS) && ::link(from.c_str(), to.c_str()) == 0) return true;
  if (errno == EEXIST) return false;
  throw refused(to, std::string("cannot be created: ") + std::strerror(errno));
}

// Removes the temporary history and whatever SQLite left beside it.
struct RemoveTemporary {
  std::filesystem::path path;
  ~RemoveTemporary() {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
      std::filesystem::remove(path.string() + suffix, ignored);
  }
};

}  // namespace

std::filesystem::path data_directory() {
  const char* data_home = std::getenv("XDG_DATA_HOME");
  std::filesystem::path base;
  if (data_home && *data_home) {
    base = data_home;
  } else {
    const char* home = std::getenv("HOME");
    base = std::filesystem::path(home && *home ? home : ".") / ".local" / "share";
  }
  return base / "gapscope";
}

std::filesystem::path default_results_path() { return data_directory() / "results.sqlite"; }

bool check_history_file(const std::filesystem::path& path, StoreAccess access) {
  if (path.empty()) throw StoreError("results store: no file name given (the path is empty)");
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (status.type() != std::filesystem::file_type::not_found) {
    if (error) throw refused(path, "cannot be examined: " + error.message());
    if (!std::filesystem::is_regular_file(status))
      throw refused(path, "is not a regular file (a folder, device or pipe); it was left untouched");
    if (std::filesystem::file_size(path, error) == 0 && !error)
      throw refused(path, "is an empty file (0 bytes), not a gapscope run history; it was left untouched (remove "
                          "it, or name a new file)");
    return true;
  }
  if (access != StoreAccess::record)
    throw refused(path, "does not exist: no run was recorded there (recording a run creates a history; reading or "
                        "deleting runs never does)");
  const std::filesystem::path folder = folder_of(path);
  if (!std::filesystem::is_directory(folder)) {
    // A folder the user named is theirs to make: a typo must not become a tree of folders.
    if (path != default_results_path())
      throw refused(path, "cannot be created: its folder " + folder.string() +
                              " does not exist (gapscope creates only its default folder; create it, or check the "
                              "path)");
    std::filesystem::create_directories(folder, error);
    if (error) throw refused(path, "cannot be created: cannot create its folder: " + error.message());
  }
  return false;
}

void create_history_file(const std::filesystem::path& path, const Migrations& migrations) {
  const std::filesystem::path folder = folder_of(path);
  if (!folder_writable(folder))
    throw refused(path, "cannot be created: its folder " + folder.string() + " is not writable");
  static std::atomic<int> counter{0};
  const RemoveTemporary temporary{folder / ("." + path.filename().string() + ".new-" + std::to_string(::getpid()) +
                                            "-" + std::to_string(counter++))};
  std::error_code ignored;
  std::filesystem::remove(temporary.path, ignored);  // a leftover of a killed process that had our pid
  {
    sqlite::Connection db = sqlite::open_connection(temporary.path);
    // WAL: readers (the GUI) never block a sweep's commits, and a commit is
    // one append, so a killed writer leaves every committed record intact.
    sqlite::exec(db.get(), "PRAGMA journal_mode = WAL");
    migrate_schema(db.get(), path, migrations);
  }  // closing checkpoints the WAL into the file: it is complete on its own
  move_unless_present(temporary.path, path);  // false: another process made it first, and that one is used
}

void check_history_writable(sqlite3* db, const std::filesystem::path& path) {
  if (sqlite3_db_readonly(db, "main") == 1)
    throw refused(path, "is read-only (this user may not write it): runs cannot be recorded in it or deleted from "
                        "it; it was left untouched");
  const std::filesystem::path folder = folder_of(path);
  if (!folder_writable(folder))
    throw refused(path, "is in a folder this user may not write (" + folder.string() +
                            "): SQLite must create its -wal and -shm files there to change it; it was left "
                            "untouched");
}

}  // namespace gapscope

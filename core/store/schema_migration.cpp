#include "core/store/schema_migration.h"

#include "core/store/sqlite_handle.h"
#include "core/store/store_error.h"

namespace gapscope {

int64_t schema_version(sqlite3* db, const std::filesystem::path& path) {
  try {
    sqlite::Statement query(db, "PRAGMA user_version");
    query.step();
    return query.integer(0);
  } catch (const StoreError& e) {
    // Only SQLite's own verdict makes a file corrupt; a folder SQLite cannot
    // write (a WAL file's -shm) or an I/O error is said as what it is.
    const int primary = e.sqlite_code() & 0xff;
    if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT)
      throw StoreError("results store " + path.string() +
                           " is not a readable SQLite database (corrupt, or another kind of file); it was left "
                           "untouched: " + e.what(),
                       e.sqlite_code());
    throw StoreError("results store " + path.string() + " cannot be read; it was left untouched: " + e.what(),
                     e.sqlite_code());
  }
}

namespace {

void check_version_known(int64_t version, const std::filesystem::path& path, const Migrations& steps) {
  const auto known = static_cast<int64_t>(steps.size());
  if (version > known || version < 0)
    throw StoreError("results store " + path.string() + " has schema version " + std::to_string(version) +
                     " but this gapscope knows versions up to " + std::to_string(known) +
                     "; use a newer gapscope (the file was not modified)");
}

bool has_tables(sqlite3* db) {
  sqlite::Statement query(db, "SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'");
  query.step();
  return query.integer(0) > 0;
}

}  // namespace

void check_schema_openable(sqlite3* db, const std::filesystem::path& path, const Migrations& steps) {
  const int64_t version = schema_version(db, path);
  check_version_known(version, path, steps);
  // Version 0 is a file no gapscope made: gapscope builds a new history
  // completely before it appears under its name (results_store.cpp).
  if (version == 0 && has_tables(db))
    throw StoreError("results store " + path.string() +
                     " is an SQLite database of something else (tables but schema version 0); it was left "
                     "untouched");
  if (version == 0)
    throw StoreError("results store " + path.string() +
                     " is an empty SQLite database (no tables, schema version 0), not a gapscope run history; it "
                     "was left untouched");
}

void migrate_schema(sqlite3* db, const std::filesystem::path& path, const Migrations& steps) {
  const auto target = static_cast<int64_t>(steps.size());
  if (schema_version(db, path) == target) return;
  sqlite::Transaction transaction(db);
  // Read again under the write lock: another process may have migrated meanwhile.
  const int64_t version = schema_version(db, path);
  check_version_known(version, path, steps);
  for (int64_t v = version; v < target; ++v) {
    try {
      sqlite::exec(db, steps[static_cast<size_t>(v)]);
    } catch (const StoreError& e) {
      throw StoreError("results store " + path.string() + ": migrating schema version " + std::to_string(v) +
                       " to " + std::to_string(v + 1) + " failed, the file is unchanged: " + e.what());
    }
    // PRAGMA takes no bound parameters; v is our own loop counter, not input.
    sqlite::exec(db, "PRAGMA user_version = " + std::to_string(v + 1));
  }
  transaction.commit();
}

}  // namespace gapscope

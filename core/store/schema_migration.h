// Versioned schema: PRAGMA user_version is the version of a file, and step i
// of a migration list turns version i into version i + 1. Opening a file runs
// the steps it lacks in one transaction, so a file is always at a version this
// list knows, never half-way between two.
#pragma once
#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace gapscope {

using Migrations = std::vector<std::string>;

// The file's user_version; a file that is not an SQLite database (or is
// corrupt), or one SQLite cannot read (e.g. a WAL file in a folder it cannot
// write), gives a StoreError naming it and why. Only reads.
int64_t schema_version(sqlite3* db, const std::filesystem::path& path);

// Refuses, without writing anything, a file newer than `steps` knows and a
// version-0 file (someone else's database, or an empty one: only a file being
// built is at version 0, and that is never opened by its name).
void check_schema_openable(sqlite3* db, const std::filesystem::path& path, const Migrations& steps);

// Runs the missing steps and sets user_version, all in one transaction: a
// failing step leaves the file as it was. Throws StoreError.
void migrate_schema(sqlite3* db, const std::filesystem::path& path, const Migrations& steps);

}  // namespace gapscope

// RAII over SQLite's C API: a connection closes itself, a statement finalizes
// itself, a transaction rolls back unless committed. Values only ever reach
// SQL through bind(), never through string building.
#pragma once
#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace gapscope::sqlite {

struct ConnectionCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Connection = std::unique_ptr<sqlite3, ConnectionCloser>;

// The largest text or blob value a connection reads or writes (16 MiB).
inline constexpr int kMaxValueBytes = 16 << 20;

// existing: the file must be there (a vanished file is not silently made anew).
enum class OpenMode { create, existing };
// Opens a database file for reading and writing (SQLite falls back to reading
// only when the file is not writable); throws StoreError.
Connection open_connection(const std::filesystem::path& path, OpenMode mode = OpenMode::create);

// SQLite's message for the connection's last error, after the file it is
// about; for the read-only codes, which of file, folder or -shm is at fault.
std::string error_text(sqlite3* db);

// Runs SQL text that carries no values (schema, PRAGMAs, BEGIN/COMMIT).
void exec(sqlite3* db, const std::string& sql);

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(stmt_); }

  // Parameters are 1-based, as in SQLite.
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind_null(int index);
  template <class T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }

  // True while there is a row to read; false once done. Throws on error.
  bool step();
  // Steps a statement that returns no rows to completion.
  void run();
  // Makes the statement runnable again with the same or new bindings.
  void reset();

  bool is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  std::string text(int column) const;
  int64_t integer(int column) const { return sqlite3_column_int64(stmt_, column); }
  double real(int column) const { return sqlite3_column_double(stmt_, column); }
  std::optional<std::string> optional_text(int column) const;
  std::optional<int64_t> optional_integer(int column) const;

 private:
  void check(int rc, const char* what);
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// BEGIN IMMEDIATE (takes the write lock up front, so a concurrent writer
// waits at the start instead of failing at commit); rolls back on scope exit
// unless commit() was called.
class Transaction {
 public:
  explicit Transaction(sqlite3* db);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  void commit();

 private:
  sqlite3* db_;
  bool open_ = true;
};

}  // namespace gapscope::sqlite

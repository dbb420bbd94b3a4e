#include "core/store/sqlite_handle.h"

#include "core/store/store_error.h"

namespace gapscope::sqlite {

std::string error_text(sqlite3* db) {
  const char* file = sqlite3_db_filename(db, "main");
  std::string text = file && *file ? std::string(file) + ": " : std::string();
  text += sqlite3_errmsg(db);
  // SQLite says "attempt to write a readonly database" for all of these; say which it is.
  switch (sqlite3_extended_errcode(db)) {
    case SQLITE_READONLY:
      return text + " (the file is read-only to this user)";
    case SQLITE_READONLY_DIRECTORY:
      return text + " (its folder is not writable: SQLite creates its -journal, -wal and -shm files beside it)";
    case SQLITE_READONLY_CANTINIT:
    case SQLITE_READONLY_CANTLOCK:
      return text + " (its -shm file cannot be created or written beside it)";
    default:
      return text;
  }
}

Connection open_connection(const std::filesystem::path& path, OpenMode mode) {
  // Debian's SQLite reads names that start with "file:" as URIs (USE_URI):
  // "./" keeps --db file:x?mode=memory a file of that name.
  const std::string name = path.string().rfind("file:", 0) == 0 ? "./" + path.string() : path.string();
  const int flags = SQLITE_OPEN_READWRITE | (mode == OpenMode::create ? SQLITE_OPEN_CREATE : 0);
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(name.c_str(), &raw, flags, nullptr);
  Connection db(raw);  // a failed open still allocates a handle that must be closed
  if (rc != SQLITE_OK)
    throw StoreError("results store " + path.string() + ": cannot open: " +
                         (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)),
                     raw ? sqlite3_extended_errcode(raw) : rc);
  sqlite3_extended_result_codes(raw, 1);
  // A history file is outside data too: no value (a run record, a measurement)
  // may be larger than kMaxValueBytes, so a damaged or hostile file cannot make
  // one row allocate a gigabyte. gapscope's own records are a few kilobytes.
  sqlite3_limit(raw, SQLITE_LIMIT_LENGTH, kMaxValueBytes);
  return db;
}

void exec(sqlite3* db, const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    sqlite3_free(message);  // error_text says the same, with the file
    throw StoreError("sqlite: " + error_text(db) + " (in: " + sql.substr(0, 80) + ")", sqlite3_extended_errcode(db));
  }
}

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  const int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
  if (rc != SQLITE_OK)
    throw StoreError("sqlite: " + error_text(db) + " (preparing: " + std::string(sql.substr(0, 80)) + ")",
                     sqlite3_extended_errcode(db));
}

void Statement::check(int rc, const char* what) {
  if (rc != SQLITE_OK)
    throw StoreError("sqlite: " + std::string(what) + ": " + error_text(db_) + " (in: " +
                         std::string(sqlite3_sql(stmt_)).substr(0, 80) + ")",
                     sqlite3_extended_errcode(db_));
}

Statement& Statement::bind(int index, std::string_view text) {
  check(sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT), "bind");
  return *this;
}

Statement& Statement::bind(int index, int64_t value) {
  check(sqlite3_bind_int64(stmt_, index, value), "bind");
  return *this;
}

Statement& Statement::bind(int index, double value) {
  check(sqlite3_bind_double(stmt_, index, value), "bind");
  return *this;
}

Statement& Statement::bind_null(int index) {
  check(sqlite3_bind_null(stmt_, index), "bind");
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  check(rc, "step");
  return false;
}

void Statement::run() {
  while (step()) {
  }
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string Statement::text(int column) const {
  const auto* bytes = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return bytes ? std::string(bytes, static_cast<size_t>(sqlite3_column_bytes(stmt_, column))) : std::string();
}

std::optional<std::string> Statement::optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

std::optional<int64_t> Statement::optional_integer(int column) const {
  if (is_null(column)) return std::nullopt;
  return integer(column);
}

Transaction::Transaction(sqlite3* db) : db_(db) { exec(db, "BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  if (open_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  exec(db_, "COMMIT");
  open_ = false;
}

}  // namespace gapscope::sqlite

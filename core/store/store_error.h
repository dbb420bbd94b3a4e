// The one error the results store throws: every message names the file (or
// the SQL) so a user can tell which database is at fault.
#pragma once
#include <stdexcept>
#include <string>

namespace gapscope {

class StoreError : public std::runtime_error {
 public:
  // sqlite_code: SQLite's extended result code when SQLite reported the
  // error (callers tell a corrupt file from an unwritable one by it), else 0.
  explicit StoreError(const std::string& message, int sqlite_code = 0)
      : std::runtime_error(message), sqlite_code_(sqlite_code) {}
  int sqlite_code() const { return sqlite_code_; }

 private:
  int sqlite_code_;
};

}  // namespace gapscope

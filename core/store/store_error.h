// The one error the results store throws: every message names the file (or
// the SQL) so a user can tell which database is at fault.
#pragma once
#include <stdexcept>
#include <string>

namespace gapscope {

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace gapscope

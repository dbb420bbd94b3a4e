// The error of writing an output file (a saved model, --out, a report): the
// message names the path, what failed and the OS reason, e.g. "cannot write
// m.gsm: writing failed after 4,096 of 1,048,576 bytes: No space left on
// device". Not bad input: the executables report it as a failed run (exit 1).
#pragma once
#include <stdexcept>

namespace gapscope {

class FileWriteError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace gapscope

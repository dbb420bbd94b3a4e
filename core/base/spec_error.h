// The error of a description a user wrote (a model spec, a file's JSON): the
// message names the field path and the rule, e.g. "layers[2].units must be >=
// 1, got 0". Below every folder that reads such descriptions.
#pragma once
#include <stdexcept>

namespace gapscope {

class SpecError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace gapscope

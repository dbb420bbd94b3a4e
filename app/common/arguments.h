// A small command-line parser: --name value, --name=value, and boolean --flags.
// Unknown flags and missing values are usage errors (exit code 2).
#pragma once
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace gapscope::cli {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Arguments {
 public:
  // value_flags take a value; bool_flags do not. "--help" is always accepted.
  Arguments(const std::vector<std::string>& args, const std::set<std::string>& value_flags,
            const std::set<std::string>& bool_flags);

  bool has(const std::string& flag) const;
  std::string get(const std::string& flag, const std::string& fallback = "") const;
  int64_t get_int(const std::string& flag, int64_t fallback, int64_t min, int64_t max) const;
  double get_double(const std::string& flag, double fallback, double min, double max) const;
  // Comma-separated integers, e.g. --depths 1,2,4,8.
  std::vector<int64_t> get_int_list(const std::string& flag, const std::vector<int64_t>& fallback,
                                    int64_t min, int64_t max) const;
  // Comma-separated words, each one of `allowed`, e.g. --phases infer,train.
  std::vector<std::string> get_list(const std::string& flag, const std::vector<std::string>& fallback,
                                    const std::set<std::string>& allowed) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::string> values_;
  std::set<std::string> present_;
  std::vector<std::string> positional_;
};

}  // namespace gapscope::cli

// A small command-line parser: --name value, --name=value, boolean --flags and
// the words between them. Unknown flags, missing values and words a command
// does not take are usage errors (exit code 2).
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

// The words a command takes besides its options: from min to max of them
// (kAnyNumber: no limit), and what they are, for the usage error.
struct Positionals {
  static constexpr size_t kAnyNumber = static_cast<size_t>(-1);
  size_t min = 0, max = 0;
  std::string what;  // e.g. "one RUN_ID"
};

// Throws a UsageError naming the first word past rule.max, or saying what is
// missing below rule.min.
void check_positionals(const std::vector<std::string>& words, const Positionals& rule);

class Arguments {
 public:
  // value_flags take a value; bool_flags do not. "--help" is always accepted
  // and then skips the check of the words against `positionals` (default:
  // none: a stray word is a usage error, never silently ignored).
  Arguments(const std::vector<std::string>& args, const std::set<std::string>& value_flags,
            const std::set<std::string>& bool_flags, const Positionals& positionals = {});

  bool has(const std::string& flag) const;
  std::string get(const std::string& flag, const std::string& fallback = "") const;
  int64_t get_int(const std::string& flag, int64_t fallback, int64_t min, int64_t max) const;
  double get_double(const std::string& flag, double fallback, double min, double max) const;
  // Comma-separated integers, e.g. --depths 1,2,4,8.
  std::vector<int64_t> get_int_list(const std::string& flag, const std::vector<int64_t>& fallback,
                                    int64_t min, int64_t max) const;
  // One word of `allowed`, e.g. --kind sweep.
  std::string get_choice(const std::string& flag, const std::string& fallback,
                         const std::set<std::string>& allowed) const;
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

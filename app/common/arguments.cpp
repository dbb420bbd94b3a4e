#include "app/common/arguments.h"

#include <charconv>
#include <sstream>

namespace gapscope::cli {
namespace {

int64_t parse_int(const std::string& flag, const std::string& text, int64_t min, int64_t max) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size())
    throw UsageError(flag + " needs an integer, got '" + text + "'");
  if (value < min || value > max)
    throw UsageError(flag + " must be in [" + std::to_string(min) + ", " + std::to_string(max) +
                     "], got " + text);
  return value;
}

void check_known(const std::string& flag, const std::string& value, const std::set<std::string>& allowed) {
  if (allowed.count(value)) return;
  std::string known;
  for (const std::string& a : allowed) known += (known.empty() ? "" : ", ") + a;
  throw UsageError(flag + ": unknown value '" + value + "'; known: " + known);
}

}  // namespace

void check_positionals(const std::vector<std::string>& words, const Positionals& rule) {
  if (words.size() > rule.max)
    throw UsageError("unexpected argument '" + words[rule.max] + "' (" +
                     (rule.what.empty() ? std::string("this command takes only options; see --help")
                                        : "it takes " + rule.what) +
                     ")");
  if (words.size() < rule.min) throw UsageError("needs " + rule.what);
}

Arguments::Arguments(const std::vector<std::string>& args, const std::set<std::string>& value_flags,
                     const std::set<std::string>& bool_flags, const Positionals& positionals) {
  for (size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    if (arg.rfind("--", 0) != 0 || arg == "--") {
      positional_.push_back(arg);
      continue;
    }
    std::string value;
    bool inline_value = false;
    if (auto eq = arg.find('='); eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      inline_value = true;
    }
    if (arg == "--help" || bool_flags.count(arg)) {
      if (inline_value) throw UsageError(arg + " takes no value");
      present_.insert(arg);
    } else if (value_flags.count(arg)) {
      if (!inline_value) {
        if (i + 1 >= args.size()) throw UsageError(arg + " needs a value");
        value = args[++i];
      }
      values_[arg] = value;
      present_.insert(arg);
    } else {
      throw UsageError("unknown option " + arg + " (see --help)");
    }
  }
  if (!has("--help")) check_positionals(positional_, positionals);
}

bool Arguments::has(const std::string& flag) const { return present_.count(flag) > 0; }

std::string Arguments::get(const std::string& flag, const std::string& fallback) const {
  auto it = values_.find(flag);
  return it == values_.end() ? fallback : it->second;
}

int64_t Arguments::get_int(const std::string& flag, int64_t fallback, int64_t min, int64_t max) const {
  auto it = values_.find(flag);
  return it == values_.end() ? fallback : parse_int(flag, it->second, min, max);
}

double Arguments::get_double(const std::string& flag, double fallback, double min, double max) const {
  auto it = values_.find(flag);
  if (it == values_.end()) return fallback;
  std::istringstream in(it->second);
  double value = 0;
  if (!(in >> value) || !in.eof())
    throw UsageError(flag + " needs a number, got '" + it->second + "'");
  if (!(value >= min && value <= max))
    throw UsageError(flag + " must be in [" + std::to_string(min) + ", " + std::to_string(max) +
                     "], got " + it->second);
  return value;
}

std::vector<int64_t> Arguments::get_int_list(const std::string& flag,
                                             const std::vector<int64_t>& fallback, int64_t min,
                                             int64_t max) const {
  auto it = values_.find(flag);
  if (it == values_.end()) return fallback;
  std::vector<int64_t> out;
  std::istringstream in(it->second);
  std::string item;
  while (std::getline(in, item, ',')) out.push_back(parse_int(flag, item, min, max));
  if (out.empty()) throw UsageError(flag + " needs at least one value");
  return out;
}

std::string Arguments::get_choice(const std::string& flag, const std::string& fallback,
                                  const std::set<std::string>& allowed) const {
  auto it = values_.find(flag);
  if (it == values_.end()) return fallback;
  check_known(flag, it->second, allowed);
  return it->second;
}

std::vector<std::string> Arguments::get_list(const std::string& flag,
                                            const std::vector<std::string>& fallback,
                                            const std::set<std::string>& allowed) const {
  auto it = values_.find(flag);
  if (it == values_.end()) return fallback;
  std::vector<std::string> out;
  std::istringstream in(it->second);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (item.empty()) continue;
    check_known(flag, item, allowed);
    out.push_back(item);
  }
  if (out.empty()) throw UsageError(flag + " needs at least one value");
  return out;
}

}  // namespace gapscope::cli
